// Gateway settings (admin): defaults, retry and breaker policy, session affinity, limits and group multipliers.
import { useQuery } from '@apollo/client/react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/i18n-context';
import { SettingsForm } from './settings-form';
import { GatewaySettingsQuery } from './settings.documents';

export function SettingsPage() {
  const { t } = useI18n();
  // network-only: the form starts from what is stored now, not from a copy cached before someone else saved.
  const { data, loading, error } = useQuery(GatewaySettingsQuery, { fetchPolicy: 'network-only' });
  return (
    <section className="page">
      <h1>{t('settings.title')}</h1>
      <ErrorBanner error={error} />
      {loading && !data ? <p className="muted">{t('app.loading')}</p> : null}
      {data ? <SettingsForm settings={data.gatewaySettings} /> : null}
    </section>
  );
}
