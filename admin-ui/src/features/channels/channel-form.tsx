// Adds or edits an upstream channel with every routing field. Keys go to the server once and are never read back:
// editing shows only their hints, and the keys field then adds keys.
import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { SelectField, TextField } from '../../components/form-fields';
import type { ChannelFieldsFragment } from '../../gql/graphql';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/i18n-context';
import { PROVIDER_IDS } from '../../lib/contract';
import {
  createInputFromDraft,
  draftFromChannel,
  EMPTY_CHANNEL_DRAFT,
  KEY_SELECTIONS,
  updateInputFromDraft,
  type ChannelDraft,
  type DraftProblem,
  type JsonField,
  type LimitField,
} from './channel-draft';
import { ChannelsQuery, CreateChannelMutation, UpdateChannelMutation } from './channels.documents';
import { JsonObjectField } from './json-object-field';

const JSON_LABELS: Record<JsonField, { label: MessageKey; hint: MessageKey; placeholder: string }> = {
  modelMapping: { label: 'channels.modelMapping', hint: 'channels.modelMappingHint', placeholder: '{"gpt-4o": "gpt-4o-2024-08-06"}' },
  parameterOverrides: { label: 'channels.parameterOverrides', hint: 'channels.parameterOverridesHint', placeholder: '{"temperature": 0.2}' },
  headerOverrides: { label: 'channels.headerOverrides', hint: 'channels.headerOverridesHint', placeholder: '{"x-team": "search"}' },
  statusCodeMapping: { label: 'channels.statusCodeMapping', hint: 'channels.statusCodeMappingHint', placeholder: '{"400": 500}' },
};
const LIMIT_LABELS: Record<LimitField, MessageKey> = {
  requestsPerMinute: 'channels.requestsPerMinute',
  tokensPerMinute: 'channels.tokensPerMinute',
  concurrentRequests: 'channels.concurrentRequests',
};

export interface ChannelFormProps {
  /** The channel being edited, or null to create one. */
  channel: ChannelFieldsFragment | null;
  onSaved: (name: string) => void;
  onCancelEdit: () => void;
}

export function ChannelForm({ channel, onSaved, onCancelEdit }: ChannelFormProps) {
  const { t } = useI18n();
  const ids = { keys: useId(), keysHint: useId() };
  const [draft, setDraft] = useState<ChannelDraft>(() => (channel ? draftFromChannel(channel) : EMPTY_CHANNEL_DRAFT));
  const [localError, setLocalError] = useState<string | null>(null);
  const [createChannel, creation] = useMutation(CreateChannelMutation, { refetchQueries: [ChannelsQuery], awaitRefetchQueries: true });
  const [updateChannel, update] = useMutation(UpdateChannelMutation);
  const saving = creation.loading || update.loading;
  const serverError = channel ? update.error : creation.error;

  function set<Field extends keyof ChannelDraft>(field: Field, value: ChannelDraft[Field]) {
    setDraft((previous) => ({ ...previous, [field]: value }));
  }

  function describe(problem: DraftProblem): string {
    switch (problem.kind) {
      case 'invalidNumber':
        return t('channels.invalidNumber');
      case 'modelsRequired':
        return t('channels.modelsRequired');
      case 'keysRequired':
        return t('channels.keysRequired');
      case 'invalidLimit':
        return t('channels.invalidLimit', { field: t(LIMIT_LABELS[problem.field]) });
      case 'invalidJson':
        return `${t(JSON_LABELS[problem.field].label)}: ${t(`channels.json.${problem.reason}`)}`;
    }
  }

  async function save(): Promise<string | null> {
    if (channel) {
      const checked = updateInputFromDraft(channel.id, draft);
      if ('problem' in checked) return fail(checked.problem);
      const result = await updateChannel({ variables: { input: checked.input } });
      return result.data?.updateChannel.channel.name ?? null;
    }
    const checked = createInputFromDraft(draft);
    if ('problem' in checked) return fail(checked.problem);
    const result = await createChannel({ variables: { input: checked.input } });
    return result.data?.createChannel.channel.name ?? null;
  }

  function fail(problem: DraftProblem): null {
    setLocalError(describe(problem));
    return null;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    creation.reset();
    update.reset();
    setLocalError(null);
    try {
      const savedName = await save();
      if (savedName === null) return;
      if (!channel) setDraft(EMPTY_CHANNEL_DRAFT);
      onSaved(savedName);
    } catch {
      // Shown through the mutation's error below.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={channel ? t('channels.editTitle', { name: channel.name }) : t('channels.createTitle')}>
      <h2>{channel ? t('channels.editTitle', { name: channel.name }) : t('channels.createTitle')}</h2>
      <ErrorBanner error={serverError} onDismiss={channel ? update.reset : creation.reset} />
      {localError ? (
        <div className="error-banner" role="alert">
          <strong>{localError}</strong>
        </div>
      ) : null}
      <div className="form__grid">
        <TextField label={t('channels.name')} value={draft.name} onChange={(value) => set('name', value)} required />
        <SelectField label={t('channels.type')} value={draft.type} options={PROVIDER_IDS} labelOf={(value) => value} onChange={(value) => set('type', value)} />
        <TextField label={t('channels.baseUrl')} value={draft.baseUrl} onChange={(value) => set('baseUrl', value)} required wide placeholder="https://api.openai.com" />
        <div className="field field--wide">
          <label htmlFor={ids.keys}>{channel ? t('channels.addKeys') : t('channels.keys')}</label>
          <textarea
            id={ids.keys}
            required={!channel}
            rows={3}
            className="monospace"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={ids.keysHint}
            value={draft.keys}
            onChange={(event) => set('keys', event.target.value)}
          />
          <small id={ids.keysHint} className="hint">
            {channel
              ? t('channels.addKeysHint', { hints: channel.keys.map((key) => key.hint).join(', ') || t('common.none') })
              : t('channels.keysHint')}
          </small>
        </div>
        <TextField label={t('channels.models')} value={draft.models} onChange={(value) => set('models', value)} required wide placeholder="gpt-4o, gpt-4o-mini" />
        <TextField label={t('channels.groups')} value={draft.groups} onChange={(value) => set('groups', value)} hint={t('channels.groupsHint')} />
        <TextField label={t('channels.tags')} value={draft.tags} onChange={(value) => set('tags', value)} hint={t('channels.tagsHint')} />
        <TextField label={t('channels.priority')} type="number" step="1" value={draft.priority} onChange={(value) => set('priority', value)} required hint={t('channels.priorityHint')} />
        <TextField label={t('channels.weight')} type="number" step="1" value={draft.weight} onChange={(value) => set('weight', value)} required hint={t('channels.weightHint')} />
        <SelectField
          label={t('channels.keySelection')}
          value={draft.keySelection}
          options={KEY_SELECTIONS}
          labelOf={(value) => t(`channels.keySelection.${value}`)}
          onChange={(value) => set('keySelection', value)}
        />
      </div>
      <fieldset className="fieldset" style={{ marginTop: '1rem' }}>
        <legend>{t('channels.limits')}</legend>
        <small className="hint">{t('channels.limitsHint')}</small>
        <div className="form__grid">
          {(Object.keys(LIMIT_LABELS) as LimitField[]).map((field) => (
            <TextField key={field} label={t(LIMIT_LABELS[field])} type="number" step="1" value={draft[field]} onChange={(value) => set(field, value)} />
          ))}
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>{t('channels.advanced')}</legend>
        <div className="form__grid">
          {(Object.keys(JSON_LABELS) as JsonField[]).map((field) => (
            <JsonObjectField
              key={field}
              label={t(JSON_LABELS[field].label)}
              hint={t(JSON_LABELS[field].hint)}
              placeholder={JSON_LABELS[field].placeholder}
              value={draft[field]}
              onChange={(value) => set(field, value)}
            />
          ))}
        </div>
      </fieldset>
      <div className="form__actions form__actions--spaced">
        {channel ? (
          <button type="button" className="button" onClick={onCancelEdit}>
            {t('common.cancel')}
          </button>
        ) : null}
        <button type="submit" className="button button--primary" disabled={saving}>
          {saving ? t('common.saving') : channel ? t('channels.save') : t('channels.create')}
        </button>
      </div>
    </form>
  );
}
