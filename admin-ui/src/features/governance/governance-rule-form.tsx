// Creates a governance rule, or edits one when `rule` is given; server validation messages show above the fields.
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../components/form-fields';
import type { GovernanceRuleFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { draftFromRule, draftToInput, EMPTY_RULE_DRAFT, GOVERNANCE_ACTIONS, type RuleDraft } from './governance-rule-draft';
import { CreateGovernanceRuleMutation, GovernanceRulesQuery, UpdateGovernanceRuleMutation } from './governance.documents';

export interface GovernanceRuleFormProps {
  /** The rule being edited; null creates a new one. */
  rule: GovernanceRuleFieldsFragment | null;
  onSaved: (name: string) => void;
  onCancelEdit: () => void;
}

export function GovernanceRuleForm({ rule, onSaved, onCancelEdit }: GovernanceRuleFormProps) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftFromRule(rule) : EMPTY_RULE_DRAFT));
  const [createRule, createState] = useMutation(CreateGovernanceRuleMutation, { refetchQueries: [GovernanceRulesQuery], awaitRefetchQueries: true });
  const [updateRule, updateState] = useMutation(UpdateGovernanceRuleMutation, { refetchQueries: [GovernanceRulesQuery], awaitRefetchQueries: true });
  const saving = createState.loading || updateState.loading;
  const error = createState.error ?? updateState.error;

  const set = <Key extends keyof RuleDraft>(key: Key) => (value: RuleDraft[Key]) => setDraft((current) => ({ ...current, [key]: value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = draftToInput(draft);
    try {
      if (rule) await updateRule({ variables: { input: { ...input, id: rule.id } } });
      else await createRule({ variables: { input } });
      if (!rule) setDraft(EMPTY_RULE_DRAFT);
      onSaved(input.name);
    } catch {
      // Shown through `error` above the fields.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={rule ? t('governance.editTitle', { name: rule.name }) : t('governance.createTitle')}>
      <h2>{rule ? t('governance.editTitle', { name: rule.name }) : t('governance.createTitle')}</h2>
      <ErrorBanner
        error={error}
        onDismiss={() => {
          createState.reset();
          updateState.reset();
        }}
      />
      <div className="form__grid">
        <TextField label={t('governance.name')} value={draft.name} onChange={set('name')} required />
        <TextField label={t('governance.order')} type="number" step="1" value={draft.order} onChange={set('order')} hint={t('governance.orderHint')} />
        <SelectField
          label={t('governance.action')}
          value={draft.action}
          options={GOVERNANCE_ACTIONS}
          labelOf={(action) => t(`governance.action.${action}`)}
          onChange={set('action')}
        />
        {draft.action === 'MASK' ? <TextField label={t('governance.maskWith')} value={draft.maskWith} onChange={set('maskWith')} /> : null}
        {draft.action === 'REROUTE' ? (
          <TextField label={t('governance.rerouteModel')} value={draft.rerouteModel} onChange={set('rerouteModel')} />
        ) : null}
        {draft.action === 'BLOCK' ? (
          <TextField label={t('governance.blockMessage')} value={draft.blockMessage} onChange={set('blockMessage')} />
        ) : null}
        {draft.action === 'TAG' ? <TextField label={t('governance.tag')} value={draft.tag} onChange={set('tag')} /> : null}
        <TextAreaField
          label={t('governance.patterns')}
          hint={t('governance.patternsHint')}
          value={draft.patterns}
          onChange={set('patterns')}
          monospace
        />
        <TextField label={t('governance.keywords')} hint={t('governance.listHint')} wide value={draft.keywords} onChange={set('keywords')} />
        <TextField label={t('governance.models')} hint={t('governance.scopeHint')} value={draft.models} onChange={set('models')} />
        <TextField label={t('governance.paths')} hint={t('governance.scopeHint')} value={draft.paths} onChange={set('paths')} />
        <TextField label={t('governance.groups')} hint={t('governance.scopeHint')} value={draft.groups} onChange={set('groups')} />
        <TextField label={t('governance.tokenIds')} hint={t('governance.scopeHint')} value={draft.tokenIds} onChange={set('tokenIds')} />
      </div>
      <div className="checkbox-row">
        <CheckboxField label={t('governance.enabled')} checked={draft.enabled} onChange={set('enabled')} />
        <CheckboxField label={t('governance.caseSensitive')} checked={draft.caseSensitive} onChange={set('caseSensitive')} />
        <CheckboxField label={t('governance.recordMatch')} checked={draft.recordMatch} onChange={set('recordMatch')} />
      </div>
      <div className="form__actions">
        {rule ? (
          <button type="button" className="button" onClick={onCancelEdit} disabled={saving}>
            {t('common.cancel')}
          </button>
        ) : null}
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? t('common.saving') : rule ? t('governance.save') : t('governance.create')}
        </button>
      </div>
    </form>
  );
}
