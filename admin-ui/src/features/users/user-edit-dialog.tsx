// Edits one user (admin): group, status, e-mail, a new password and rate caps; the role too when the editor is root.
import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import { SelectField, TextField } from '../../components/form-fields';
import type { Role, UserFieldsFragment, UserStatus } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { LimitsFields } from './limits-fields';
import { limitsToText, parseLimitsText } from './limits-draft';
import { ROLE_OPTIONS } from './user-create-form';
import { UpdateUserMutation } from './users.documents';

const STATUS_OPTIONS: readonly UserStatus[] = ['ACTIVE', 'DISABLED'];

function UserEditForm({ user, isRoot, onClose }: { user: UserFieldsFragment; isRoot: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [group, setGroup] = useState(user.group);
  const [status, setStatus] = useState<UserStatus>(user.status);
  const [role, setRole] = useState<Role>(user.role);
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState(user.email ?? '');
  const [limits, setLimits] = useState(limitsToText(user.limits));
  const [invalid, setInvalid] = useState(false);
  const [updateUser, { loading, error }] = useMutation(UpdateUserMutation);

  async function save() {
    const parsedLimits = parseLimitsText(limits, true);
    if (parsedLimits === 'invalid') {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    try {
      await updateUser({
        variables: {
          input: {
            id: user.id,
            group: group.trim(),
            status,
            limits: parsedLimits,
            email: email.trim(),
            ...(password !== '' ? { password } : {}),
            ...(isRoot && role !== user.role ? { role } : {}),
          },
        },
      });
      onClose();
    } catch {
      // Shown through `error` above the fields.
    }
  }

  return (
    <Dialog
      open
      title={t('users.editTitle', { username: user.username })}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose} disabled={loading}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button--primary" onClick={() => void save()} disabled={loading}>
            {loading ? t('common.saving') : t('users.save')}
          </button>
        </>
      }
    >
      <ErrorBanner error={error} />
      {invalid ? (
        <p className="error-banner" role="alert">
          {t('limits.invalid')}
        </p>
      ) : null}
      <div className="form__grid">
        <TextField label={t('users.group')} value={group} onChange={setGroup} required />
        <SelectField label={t('common.status')} value={status} options={STATUS_OPTIONS} labelOf={(option) => t(`status.${option}`)} onChange={setStatus} />
        {isRoot ? (
          <SelectField label={t('users.role')} value={role} options={ROLE_OPTIONS} labelOf={(option) => t(`role.${option}`)} onChange={setRole} />
        ) : null}
        <TextField label={t('users.email')} hint={t('users.emailHint')} value={email} onChange={setEmail} />
        <TextField label={t('users.newPassword')} hint={t('users.newPasswordHint')} value={password} onChange={setPassword} />
        <LimitsFields value={limits} onChange={setLimits} hint={t('users.limitsHint')} />
      </div>
    </Dialog>
  );
}

export function UserEditDialog({ user, isRoot, onClose }: { user: UserFieldsFragment | null; isRoot: boolean; onClose: () => void }) {
  // Keyed by user so the fields start from the chosen user's values each time.
  return user ? <UserEditForm key={user.id} user={user} isRoot={isRoot} onClose={onClose} /> : null;
}
