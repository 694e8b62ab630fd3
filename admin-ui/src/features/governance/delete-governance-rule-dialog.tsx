// Asks before deleting a governance rule: the data plane stops applying it with the next snapshot.
import { useMutation } from '@apollo/client/react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useI18n } from '../../i18n/i18n-context';
import { DeleteGovernanceRuleMutation, GovernanceRulesQuery } from './governance.documents';

export interface RuleToDelete {
  id: string;
  name: string;
}

export function DeleteGovernanceRuleDialog({ rule, onClose }: { rule: RuleToDelete | null; onClose: () => void }) {
  const { t } = useI18n();
  const [deleteRule] = useMutation(DeleteGovernanceRuleMutation, { refetchQueries: [GovernanceRulesQuery], awaitRefetchQueries: true });
  return (
    <ConfirmDialog
      subject={rule}
      title={t('governance.deleteTitle')}
      message={({ name }) => t('governance.deleteConfirm', { name })}
      confirmLabel={t('common.delete')}
      onConfirm={({ id }) => deleteRule({ variables: { input: { id } } })}
      onClose={onClose}
    />
  );
}
