// Governance (admin): prompt rules the data plane applies in order, to block, mask, reroute or tag requests.
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { StatusBadge } from '../../components/status-badge';
import type { GovernanceRuleFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { DeleteGovernanceRuleDialog, type RuleToDelete } from './delete-governance-rule-dialog';
import { GovernanceRuleForm } from './governance-rule-form';
import { GovernanceRulesQuery } from './governance.documents';

export function GovernancePage() {
  const { t } = useI18n();
  const { data, loading, error } = useQuery(GovernanceRulesQuery, { fetchPolicy: 'cache-and-network' });
  const [editing, setEditing] = useState<GovernanceRuleFieldsFragment | null>(null);
  const [toDelete, setToDelete] = useState<RuleToDelete | null>(null);
  const [notice, setNotice] = useState('');
  const rules = data?.governanceRules ?? [];
  const any = t('governance.any');

  const columns: Column<GovernanceRuleFieldsFragment>[] = [
    { key: 'order', header: t('governance.order'), numeric: true, render: (rule) => rule.order },
    { key: 'name', header: t('common.name'), render: (rule) => rule.name },
    { key: 'action', header: t('governance.action'), render: (rule) => t(`governance.action.${rule.action}`) },
    {
      key: 'matches',
      header: t('governance.matches'),
      render: (rule) => (
        <span className="monospace">{[...rule.patterns.map((pattern) => `/${pattern}/`), ...rule.keywords].join(', ')}</span>
      ),
    },
    {
      key: 'scope',
      header: t('governance.scope'),
      render: (rule) => t('governance.scopeSummary', { models: rule.models?.join(', ') ?? any, groups: rule.groups?.join(', ') ?? any }),
    },
    { key: 'status', header: t('common.status'), render: (rule) => <StatusBadge status={rule.enabled ? 'ENABLED' : 'DISABLED'} /> },
    {
      key: 'actions',
      header: t('common.actions'),
      nowrap: true,
      render: (rule) => (
        <>
          <button
            type="button"
            className="button button--small"
            aria-label={`${t('common.edit')} ${rule.name}`}
            onClick={() => {
              setNotice('');
              setEditing(rule);
            }}
          >
            {t('common.edit')}
          </button>{' '}
          <button
            type="button"
            className="button button--danger button--small"
            aria-label={`${t('common.delete')} ${rule.name}`}
            onClick={() => setToDelete({ id: rule.id, name: rule.name })}
          >
            {t('common.delete')}
          </button>
        </>
      ),
    },
  ];

  return (
    <section className="page">
      <h1>{t('governance.title')}</h1>
      <p className="muted">{t('governance.intro')}</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <GovernanceRuleForm
        // A new key resets the draft when switching between creating and editing.
        key={editing?.id ?? 'new'}
        rule={editing}
        onSaved={(name) => {
          setNotice(t('governance.saved', { name }));
          setEditing(null);
        }}
        onCancelEdit={() => setEditing(null)}
      />
      <section className="card">
        <h2>{t('governance.listTitle')}</h2>
        <ErrorBanner error={error} />
        {loading && !data ? (
          <p className="muted">{t('app.loading')}</p>
        ) : (
          <DataTable
            caption={t('governance.listTitle')}
            columns={columns}
            rows={rules}
            rowKey={(rule) => rule.id}
            emptyText={t('governance.empty')}
          />
        )}
      </section>
      <DeleteGovernanceRuleDialog rule={toDelete} onClose={() => setToDelete(null)} />
    </section>
  );
}
