// Plans (admin): list, create and edit plans, and assign one to a user or a group.
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import type { PlanFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { formatUsdShort } from '../../lib/usd';
import { PlanAssignCard } from './plan-assign-card';
import { PlanForm } from './plan-form';
import { PlansQuery } from './plans.documents';

export function PlansPage() {
  const { t } = useI18n();
  const { data, loading, error } = useQuery(PlansQuery, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<PlanFieldsFragment | null>(null);
  const [notice, setNotice] = useState('');
  // Bumped after each save so the form starts empty again (a new plan) or leaves edit mode.
  const [formVersion, setFormVersion] = useState(0);
  const plans = data?.plans ?? [];
  const periodLabel = (period: string) => (period === 'day' || period === 'week' || period === 'month' ? t(`plans.period.${period}`) : period);

  const columns: Column<PlanFieldsFragment>[] = [
    { key: 'id', header: 'ID', nowrap: true, render: (plan) => <code className="monospace">{plan.id}</code> },
    { key: 'name', header: t('plans.name'), render: (plan) => plan.name },
    { key: 'period', header: t('plans.period'), render: (plan) => periodLabel(plan.period) },
    { key: 'allowance', header: t('plans.allowance'), numeric: true, render: (plan) => formatUsdShort(plan.allowance) },
    { key: 'rollover', header: t('plans.rolloverCap'), numeric: true, render: (plan) => (plan.rolloverCap === null || plan.rolloverCap === undefined ? t('common.none') : formatUsdShort(plan.rolloverCap)) },
    { key: 'scope', header: t('plans.scope'), render: (plan) => t('plans.scopeText', { models: plan.models?.join(', ') ?? t('plans.any'), groups: plan.groups?.join(', ') ?? t('plans.any') }) },
    { key: 'price', header: t('plans.price'), render: (plan) => plan.price ?? t('common.none') },
    { key: 'status', header: t('common.status'), render: (plan) => (plan.active ? t('plans.activeYes') : t('plans.activeNo')) },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (plan) => (
        <button type="button" className="button button--small" aria-label={`${t('common.edit')} ${plan.name}`} onClick={() => setEditing(plan)}>
          {t('common.edit')}
        </button>
      ),
    },
  ];

  return (
    <section className="page">
      <h1>{t('plans.title')}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <section className="card">
        <h2>{t('plans.listTitle')}</h2>
        <ErrorBanner error={error} />
        {loading && !data ? (
          <p className="muted">{t('app.loading')}</p>
        ) : (
          <DataTable caption={t('plans.listTitle')} columns={columns} rows={plans} rowKey={(plan) => plan.id} emptyText={t('plans.empty')} />
        )}
      </section>
      <PlanForm
        key={`${editing?.id ?? 'new'}-${formVersion}`}
        plan={editing}
        onSaved={(name) => {
          setNotice(t('plans.saved', { name }));
          setEditing(null);
          setFormVersion((version) => version + 1);
        }}
      />
      <PlanAssignCard plans={plans} />
    </section>
  );
}
