// The gateway settings form: every section is sent on save (lists replace the stored lists).
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { CheckboxField, TextField } from '../../components/form-fields';
import type { GatewaySettingsFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { GroupRowsEditor } from './group-rows-editor';
import { draftFromSettings, draftToInput, invalidNumberFields, type LimitsDraft, type SettingsDraft } from './settings-draft';
import { UpdateGatewaySettingsMutation } from './settings.documents';

const EMPTY_LIMITS: LimitsDraft = { requestsPerMinute: '', tokensPerMinute: '', concurrentRequests: '' };

export function SettingsForm({ settings }: { settings: GatewaySettingsFieldsFragment }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFromSettings(settings));
  const [invalid, setInvalid] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const [updateSettings, { loading, error, reset }] = useMutation(UpdateGatewaySettingsMutation);

  const set = <Key extends keyof SettingsDraft>(key: Key) => (value: SettingsDraft[Key]) => {
    setSaved(false);
    setDraft((current) => ({ ...current, [key]: value }));
  };
  const setPerIp = (key: keyof LimitsDraft) => (value: string) => set('perIpLimits')({ ...draft.perIpLimits, [key]: value });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = invalidNumberFields(draft);
    setInvalid(problems);
    if (problems.length > 0) return;
    try {
      const result = await updateSettings({ variables: { input: draftToInput(draft) } });
      const next = result.data?.updateGatewaySettings.settings;
      if (next) setDraft(draftFromSettings(next));
      setSaved(true);
    } catch {
      // Shown through `error` above the fields.
    }
  }

  const limitFields = [
    { key: 'requestsPerMinute', label: t('settings.requestsPerMinute'), type: 'number' },
    { key: 'tokensPerMinute', label: t('settings.tokensPerMinute'), type: 'number' },
    { key: 'concurrentRequests', label: t('settings.concurrentRequests'), type: 'number' },
  ] as const;

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={t('settings.title')}>
      <ErrorBanner error={error} onDismiss={reset} />
      {invalid.length > 0 ? (
        <p className="error-banner" role="alert">
          {t('settings.invalidNumbers')}
        </p>
      ) : null}
      {saved ? (
        <p className="notice" role="status">
          {t('settings.saved')}
        </p>
      ) : null}
      <fieldset className="fieldset">
        <legend>{t('settings.general')}</legend>
        <div className="form__grid">
          <TextField label={t('settings.defaultMaxOutputTokens')} type="number" value={draft.defaultMaxOutputTokens} onChange={set('defaultMaxOutputTokens')} required />
          <TextField label={t('settings.maxRequestBodyBytes')} type="number" value={draft.maxRequestBodyBytes} onChange={set('maxRequestBodyBytes')} required />
        </div>
        <CheckboxField label={t('settings.allowUnpricedModels')} checked={draft.allowUnpricedModels} onChange={set('allowUnpricedModels')} />
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('settings.retry')}</legend>
        <div className="form__grid">
          <TextField label={t('settings.maxAttempts')} type="number" value={draft.retryMaxAttempts} onChange={set('retryMaxAttempts')} required />
          <TextField label={t('settings.budgetRatio')} type="number" step="any" value={draft.retryBudgetRatio} onChange={set('retryBudgetRatio')} required />
          <TextField label={t('settings.retryOnStatus')} hint={t('settings.listHint')} value={draft.retryOnStatus} onChange={set('retryOnStatus')} />
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('settings.breaker')}</legend>
        <div className="form__grid">
          <TextField label={t('settings.failureRateThreshold')} type="number" step="any" value={draft.breakerFailureRateThreshold} onChange={set('breakerFailureRateThreshold')} required />
          <TextField label={t('settings.minimumRequests')} type="number" value={draft.breakerMinimumRequests} onChange={set('breakerMinimumRequests')} required />
          <TextField label={t('settings.windowSeconds')} type="number" value={draft.breakerWindowSeconds} onChange={set('breakerWindowSeconds')} required />
          <TextField label={t('settings.openSeconds')} type="number" value={draft.breakerOpenSeconds} onChange={set('breakerOpenSeconds')} required />
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('settings.sessionAffinity')}</legend>
        <CheckboxField label={t('settings.affinityEnabled')} checked={draft.affinityEnabled} onChange={set('affinityEnabled')} />
        <div className="form__grid">
          <TextField label={t('settings.affinityHeaders')} hint={t('settings.listHint')} value={draft.affinityHeaders} onChange={set('affinityHeaders')} />
          <TextField label={t('settings.affinityTtlSeconds')} type="number" value={draft.affinityTtlSeconds} onChange={set('affinityTtlSeconds')} required />
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('settings.perIpLimits')}</legend>
        <p className="hint">{t('settings.noCapHint')}</p>
        <div className="form__grid">
          {limitFields.map((field) => (
            <TextField key={field.key} label={field.label} type="number" value={draft.perIpLimits[field.key]} onChange={setPerIp(field.key)} />
          ))}
        </div>
      </fieldset>
      <GroupRowsEditor
        legend={t('settings.groupLimits')}
        fields={[{ key: 'group', label: t('settings.group') }, ...limitFields]}
        rows={draft.groupLimits}
        emptyRow={{ group: '', ...EMPTY_LIMITS }}
        onChange={set('groupLimits')}
      />
      <GroupRowsEditor
        legend={t('settings.groupMultipliers')}
        fields={[
          { key: 'group', label: t('settings.group') },
          { key: 'multiplier', label: t('settings.multiplier'), type: 'number' },
        ]}
        rows={draft.groupMultipliers}
        emptyRow={{ group: '', multiplier: '1' }}
        onChange={set('groupMultipliers')}
      />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? t('common.saving') : t('settings.save')}
        </button>
      </div>
    </form>
  );
}
