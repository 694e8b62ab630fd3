// Gives a plan to one user or to every member of a group (admin); "no plan" removes it.
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { SelectField, TextField } from '../../components/form-fields';
import type { PlanFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { UsersQuery } from '../users/users.documents';
import { AssignPlanMutation, AssignPlanToGroupMutation } from './plans.documents';

type Target = 'user' | 'group';
const TARGETS: readonly Target[] = ['user', 'group'];
const USER_CHOICES = 200;

export function PlanAssignCard({ plans }: { plans: readonly PlanFieldsFragment[] }) {
  const { t } = useI18n();
  const [planId, setPlanId] = useState('');
  const [target, setTarget] = useState<Target>('user');
  const [userId, setUserId] = useState('');
  const [group, setGroup] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [notice, setNotice] = useState('');
  const users = useQuery(UsersQuery, { variables: { first: USER_CHOICES }, skip: target !== 'user' });
  const [assignPlan, userState] = useMutation(AssignPlanMutation);
  const [assignPlanToGroup, groupState] = useMutation(AssignPlanToGroupMutation);
  const userList = users.data?.users.edges.map((edge) => edge.node) ?? [];
  const planOptions = ['', ...plans.map((plan) => plan.id)];
  const userOptions = ['', ...userList.map((user) => user.id)];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    const plan = planId === '' ? null : planId;
    // A date input gives YYYY-MM-DD: the plan ends at the start of that day, UTC (as the server's periods count).
    const endsAt = plan && endsOn ? new Date(`${endsOn}T00:00:00Z`).toISOString() : null;
    try {
      if (target === 'user') {
        if (userId === '') return;
        const result = await assignPlan({ variables: { input: { userId, planId: plan, endsAt } } });
        const username = userList.find((user) => user.id === userId)?.username ?? userId;
        const ends = result.data?.assignPlan?.endsAt;
        setNotice(ends ? t('plans.assignedUserUntil', { username, date: String(ends).slice(0, 10) }) : t('plans.assignedUser', { username }));
      } else {
        const result = await assignPlanToGroup({ variables: { input: { group: group.trim(), planId: plan, endsAt } } });
        setNotice(t('plans.assignedGroup', { group: group.trim(), count: String(result.data?.assignPlanToGroup ?? 0) }));
      }
    } catch {
      // Shown through the error banner below.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={t('plans.assignTitle')}>
      <h2>{t('plans.assignTitle')}</h2>
      <ErrorBanner error={userState.error ?? groupState.error} />
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <div className="form__grid">
        <SelectField
          label={t('plans.plan')}
          value={planId}
          options={planOptions}
          labelOf={(id) => plans.find((plan) => plan.id === id)?.name ?? t('plans.noPlan')}
          onChange={setPlanId}
        />
        <SelectField label={t('plans.assignTo')} value={target} options={TARGETS} labelOf={(option) => t(`plans.target.${option}`)} onChange={setTarget} />
        {target === 'user' ? (
          <SelectField
            label={t('plans.user')}
            value={userId}
            options={userOptions}
            labelOf={(id) => userList.find((user) => user.id === id)?.username ?? t('plans.chooseUser')}
            onChange={setUserId}
          />
        ) : (
          <TextField label={t('plans.group')} value={group} onChange={setGroup} required />
        )}
        <TextField label={t('plans.endsOn')} hint={t('plans.endsOnHint')} type="date" value={endsOn} onChange={setEndsOn} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={userState.loading || groupState.loading}>
          {t('plans.assign')}
        </button>
      </div>
    </form>
  );
}
