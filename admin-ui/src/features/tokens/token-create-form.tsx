// Creates a token; the caller receives the whole key exactly once, to show it in a dialog.
import { useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/i18n-context';
import { parseList } from '../../lib/parse-list';
import { CreateTokenMutation, TokensQuery } from './tokens.documents';

export interface CreatedToken {
  name: string;
  key: string;
}

export function TokenCreateForm({ onCreated }: { onCreated: (created: CreatedToken) => void }) {
  const { t } = useI18n();
  const nameId = useId();
  const expiresId = useId();
  const modelsId = useId();
  const modelsHintId = useId();
  const [name, setName] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [models, setModels] = useState('');
  const [createToken, { loading, error, reset }] = useMutation(CreateTokenMutation, {
    refetchQueries: [TokensQuery],
    awaitRefetchQueries: true,
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const modelList = parseList(models);
    try {
      const result = await createToken({
        variables: {
          input: {
            name: name.trim(),
            // datetime-local gives local wall time without a zone; Date reads it as local time.
            expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
            models: modelList.length > 0 ? modelList : null,
          },
        },
      });
      const payload = result.data?.createToken;
      if (!payload) return;
      setName('');
      setExpiresAt('');
      setModels('');
      onCreated({ name: payload.token.name, key: payload.key });
    } catch {
      // Shown through `error` below.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit}>
      <h2>{t('tokens.createTitle')}</h2>
      <ErrorBanner error={error} onDismiss={reset} />
      <div className="form__grid">
        <div className="field">
          <label htmlFor={nameId}>{t('tokens.name')}</label>
          <input id={nameId} required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={expiresId}>{t('tokens.expiresAt')}</label>
          <input
            id={expiresId}
            type="datetime-local"
            value={expiresAt}
            onChange={(event) => setExpiresAt(event.target.value)}
          />
        </div>
        <div className="field field--wide">
          <label htmlFor={modelsId}>{t('tokens.models')}</label>
          <input
            id={modelsId}
            aria-describedby={modelsHintId}
            placeholder="gpt-4o-mini, claude-sonnet-4"
            value={models}
            onChange={(event) => setModels(event.target.value)}
          />
          <small id={modelsHintId} className="hint">
            {t('tokens.modelsHint')}
          </small>
        </div>
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? t('tokens.creating') : t('tokens.create')}
        </button>
      </div>
    </form>
  );
}
