// Creates a user (admin). Only root may hand out a role other than USER, so the role choice is shown to root only.
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { SelectField, TextField } from '../../components/form-fields';
import type { Role } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { CreateUserMutation, UsersQuery } from './users.documents';

export const ROLE_OPTIONS: readonly Role[] = ['USER', 'ADMIN', 'ROOT'];

export function UserCreateForm({ isRoot, onCreated }: { isRoot: boolean; onCreated: (username: string) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [group, setGroup] = useState('default');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('USER');
  const [createUser, { loading, error, reset }] = useMutation(CreateUserMutation, {
    refetchQueries: [UsersQuery],
    awaitRefetchQueries: true,
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      const result = await createUser({
        variables: {
          input: { username: username.trim(), password, group: group.trim() || 'default', ...(email.trim() ? { email: email.trim() } : {}), ...(isRoot ? { role } : {}) },
        },
      });
      const created = result.data?.createUser.user;
      if (!created) return;
      setUsername('');
      setPassword('');
      setEmail('');
      onCreated(created.username);
    } catch {
      // Shown through `error` below.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={t('users.createTitle')}>
      <h2>{t('users.createTitle')}</h2>
      <ErrorBanner error={error} onDismiss={reset} />
      <div className="form__grid">
        <TextField label={t('users.username')} value={username} onChange={setUsername} required />
        <TextField label={t('users.password')} hint={t('users.passwordHint')} value={password} onChange={setPassword} required />
        <TextField label={t('users.group')} value={group} onChange={setGroup} required />
        <TextField label={t('users.email')} hint={t('users.emailHint')} value={email} onChange={setEmail} />
        {isRoot ? (
          <SelectField label={t('users.role')} value={role} options={ROLE_OPTIONS} labelOf={(option) => t(`role.${option}`)} onChange={setRole} />
        ) : null}
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? t('users.creating') : t('users.create')}
        </button>
      </div>
    </form>
  );
}
