// Adds an upstream channel. Keys go to the server once and are never read back.
import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/i18n-context';
import { PROVIDER_IDS, type ProviderId } from '../../lib/contract';
import { parseLines, parseList } from '../../lib/parse-list';
import { ChannelsQuery, CreateChannelMutation } from './channels.documents';

interface ChannelFormState {
  name: string;
  type: ProviderId;
  baseUrl: string;
  keys: string;
  models: string;
  priority: string;
  weight: string;
}

const EMPTY_FORM: ChannelFormState = {
  name: '',
  type: 'openai',
  baseUrl: '',
  keys: '',
  models: '',
  priority: '0',
  weight: '1',
};

function parseWholeNumber(text: string, minimum: number): number | null {
  if (!/^-?\d+$/.test(text.trim())) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) && value >= minimum ? value : null;
}

export function ChannelCreateForm() {
  const { t } = useI18n();
  const ids = {
    name: useId(),
    type: useId(),
    baseUrl: useId(),
    keys: useId(),
    keysHint: useId(),
    models: useId(),
    priority: useId(),
    weight: useId(),
  };
  const [form, setForm] = useState<ChannelFormState>(EMPTY_FORM);
  const [localError, setLocalError] = useState<string | null>(null);
  const [createdName, setCreatedName] = useState<string | null>(null);
  const [createChannel, { loading, error, reset }] = useMutation(CreateChannelMutation, {
    refetchQueries: [ChannelsQuery],
    awaitRefetchQueries: true,
  });

  function update<Field extends keyof ChannelFormState>(field: Field, value: ChannelFormState[Field]) {
    setForm((previous) => ({ ...previous, [field]: value }));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreatedName(null);
    const priority = parseWholeNumber(form.priority, Number.MIN_SAFE_INTEGER);
    const weight = parseWholeNumber(form.weight, 0);
    if (priority === null || weight === null) {
      setLocalError(t('channels.invalidNumber'));
      return;
    }
    const models = parseList(form.models);
    if (models.length === 0) {
      setLocalError(t('channels.modelsRequired'));
      return;
    }
    setLocalError(null);
    try {
      const result = await createChannel({
        variables: {
          input: {
            name: form.name.trim(),
            type: form.type,
            baseUrl: form.baseUrl.trim(),
            // One key per line, as the field says; the server checks each one.
            keys: parseLines(form.keys),
            models,
            priority,
            weight,
          },
        },
      });
      const channel = result.data?.createChannel.channel;
      if (!channel) return;
      setForm(EMPTY_FORM);
      setCreatedName(channel.name);
    } catch {
      // Shown through `error` below.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit}>
      <h2>{t('channels.createTitle')}</h2>
      <ErrorBanner error={error} onDismiss={reset} />
      {localError ? (
        <div className="error-banner" role="alert">
          <strong>{localError}</strong>
        </div>
      ) : null}
      {createdName ? (
        <p className="notice" role="status">
          {t('channels.created', { name: createdName })}
        </p>
      ) : null}
      <div className="form__grid">
        <div className="field">
          <label htmlFor={ids.name}>{t('channels.name')}</label>
          <input id={ids.name} required maxLength={100} value={form.name} onChange={(event) => update('name', event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.type}>{t('channels.type')}</label>
          <select
            id={ids.type}
            value={form.type}
            onChange={(event) => {
              const type = PROVIDER_IDS.find((candidate) => candidate === event.target.value);
              if (type) update('type', type);
            }}
          >
            {PROVIDER_IDS.map((providerId) => (
              <option key={providerId} value={providerId}>
                {providerId}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--wide">
          <label htmlFor={ids.baseUrl}>{t('channels.baseUrl')}</label>
          <input
            id={ids.baseUrl}
            type="url"
            required
            placeholder="https://api.openai.com"
            value={form.baseUrl}
            onChange={(event) => update('baseUrl', event.target.value)}
          />
        </div>
        <div className="field field--wide">
          <label htmlFor={ids.keys}>{t('channels.keys')}</label>
          <textarea
            id={ids.keys}
            required
            rows={3}
            className="monospace"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={ids.keysHint}
            value={form.keys}
            onChange={(event) => update('keys', event.target.value)}
          />
          <small id={ids.keysHint} className="hint">
            {t('channels.keysHint')}
          </small>
        </div>
        <div className="field field--wide">
          <label htmlFor={ids.models}>{t('channels.models')}</label>
          <input
            id={ids.models}
            required
            placeholder="gpt-4o, gpt-4o-mini"
            value={form.models}
            onChange={(event) => update('models', event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.priority}>{t('channels.priority')}</label>
          <input
            id={ids.priority}
            type="number"
            step={1}
            required
            value={form.priority}
            onChange={(event) => update('priority', event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.weight}>{t('channels.weight')}</label>
          <input
            id={ids.weight}
            type="number"
            min={0}
            step={1}
            required
            value={form.weight}
            onChange={(event) => update('weight', event.target.value)}
          />
        </div>
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? t('channels.creating') : t('channels.create')}
        </button>
      </div>
    </form>
  );
}
