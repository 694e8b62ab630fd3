// Username + password form; the server answers with an httpOnly session cookie, then the whole store is reloaded.
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { LanguageSwitch } from '../../components/layout';
import { useI18n } from '../../i18n/i18n-context';
import { LoginMutation } from './session';

export function LoginPage({ initialError }: { initialError?: unknown }) {
  const { t } = useI18n();
  const client = useApolloClient();
  const usernameId = useId();
  const passwordId = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [login, { loading, error, reset }] = useMutation(LoginMutation);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      await login({ variables: { input: { username: username.trim(), password } } });
    } catch {
      // Shown through `error` below.
      return;
    }
    setPassword('');
    // Drops anything cached for a previous user and refetches `me`, which switches the app to the console.
    await client.resetStore();
  }

  return (
    <div className="login">
      <div className="login__language">
        <LanguageSwitch />
      </div>
      <form className="card login__card" onSubmit={onSubmit}>
        <h1 className="login__title">{t('login.title')}</h1>
        <ErrorBanner
          error={error ?? initialError}
          onDismiss={error ? reset : undefined}
          messages={error ? { UNAUTHENTICATED: 'login.failed' } : undefined}
        />
        <div className="field">
          <label htmlFor={usernameId}>{t('login.username')}</label>
          <input
            id={usernameId}
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={passwordId}>{t('login.password')}</label>
          <input
            id={passwordId}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
