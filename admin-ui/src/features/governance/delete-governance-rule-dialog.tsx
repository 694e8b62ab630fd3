// Asks before deleting a governance rule: the data plane stops applying it with the next snapshot.
import { useMutation } from '@apollo/client/react';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/i18n-context';
import { DeleteGovernanceRuleMutation, GovernanceRulesQuery } from './governance.documents';

export interface RuleToDelete {
  id: string;
  name: string;
}

export function DeleteGovernanceRuleDialog({ rule, onClose }: { rule: RuleToDelete | null; onClose: () => void }) {
  const { t } = useI18n();
  const [deleteRule, { loading, error, reset }] = useMutation(DeleteGovernanceRuleMutation, {
    refetchQueries: [GovernanceRulesQuery],
    awaitRefetchQueries: true,
  });

  function close() {
    reset();
    onClose();
  }

  async function confirm() {
    if (!rule) return;
    try {
      await deleteRule({ variables: { input: { id: rule.id } } });
      close();
    } catch {
      // Shown through `error` in the dialog.
    }
  }

  return (
    <Dialog
      open={rule !== null}
      title={t('governance.deleteTitle')}
      onClose={close}
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={loading}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--danger" onClick={confirm} disabled={loading}>
            {t('common.delete')}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      <p>{t('governance.deleteConfirm', { name: rule?.name ?? '' })}</p>
    </Dialog>
  );
}
