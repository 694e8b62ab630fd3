// Creates or edits a plan (admin): a credit allowance per day/week/month, entered in USD.
import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { CheckboxField, SelectField, TextField } from '../../components/form-fields';
import type { PlanFieldsFragment } from '../../gql/graphql';
import { useI18n } from '../../i18n/i18n-context';
import { parseOptionalList } from '../../lib/parse-list';
import { creditsToUsdText, usdToCredits } from '../../lib/usd';
import { CreatePlanMutation, PlansQuery, UpdatePlanMutation } from './plans.documents';

export const PLAN_PERIODS = ['day', 'week', 'month'] as const;
type PlanPeriod = (typeof PLAN_PERIODS)[number];

function periodOf(text: string | undefined): PlanPeriod {
  return PLAN_PERIODS.find((period) => period === text) ?? 'month';
}

export function PlanForm({ plan, onSaved }: { plan: PlanFieldsFragment | null; onSaved: (name: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(plan?.name ?? '');
  const [period, setPeriod] = useState<PlanPeriod>(periodOf(plan?.period));
  const [allowance, setAllowance] = useState(plan ? creditsToUsdText(plan.allowance) : '');
  const [rolloverCap, setRolloverCap] = useState(plan?.rolloverCap !== null && plan?.rolloverCap !== undefined ? creditsToUsdText(plan.rolloverCap) : '');
  const [models, setModels] = useState(plan?.models?.join(', ') ?? '');
  const [groups, setGroups] = useState(plan?.groups?.join(', ') ?? '');
  const [price, setPrice] = useState(plan?.price ?? '');
  const [active, setActive] = useState(plan?.active ?? true);
  const [invalid, setInvalid] = useState(false);
  const options = { refetchQueries: [PlansQuery], awaitRefetchQueries: true };
  const [createPlan, createState] = useMutation(CreatePlanMutation, options);
  const [updatePlan, updateState] = useMutation(UpdatePlanMutation, options);
  const loading = createState.loading || updateState.loading;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const allowanceCredits = usdToCredits(allowance);
    const rolloverCredits = usdToCredits(rolloverCap);
    if (allowanceCredits === null || (rolloverCap.trim() !== '' && rolloverCredits === null)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    const modelList = parseOptionalList(models);
    const groupList = parseOptionalList(groups);
    const common = { name: name.trim(), period, allowance: allowanceCredits, price: price.trim() || null, active };
    try {
      if (plan) {
        await updatePlan({
          variables: {
            input: {
              id: plan.id,
              ...common,
              ...(modelList ? { models: modelList } : { allModels: true }),
              ...(groupList ? { groups: groupList } : { allGroups: true }),
              ...(rolloverCredits === null ? { clearRolloverCap: true } : { rolloverCap: rolloverCredits }),
            },
          },
        });
      } else {
        await createPlan({ variables: { input: { ...common, models: modelList, groups: groupList, rolloverCap: rolloverCredits } } });
      }
      onSaved(common.name);
    } catch {
      // Shown through the error banner above the fields.
    }
  }

  const title = plan ? t('plans.editTitle', { name: plan.name }) : t('plans.createTitle');
  return (
    <form className="card form" onSubmit={onSubmit} aria-label={title}>
      <h2>{title}</h2>
      <ErrorBanner error={createState.error ?? updateState.error} />
      {invalid ? (
        <p className="error-banner" role="alert">
          {t('plans.invalid')}
        </p>
      ) : null}
      <div className="form__grid">
        <TextField label={t('plans.name')} value={name} onChange={setName} required />
        <SelectField label={t('plans.period')} value={period} options={PLAN_PERIODS} labelOf={(option) => t(`plans.period.${option}`)} onChange={setPeriod} />
        <TextField label={t('plans.allowanceUsd')} value={allowance} onChange={setAllowance} required placeholder="20" />
        <TextField label={t('plans.rolloverCapUsd')} hint={t('plans.rolloverHint')} value={rolloverCap} onChange={setRolloverCap} />
        <TextField label={t('plans.models')} hint={t('plans.anyHint')} value={models} onChange={setModels} />
        <TextField label={t('plans.groups')} hint={t('plans.anyHint')} value={groups} onChange={setGroups} />
        <TextField label={t('plans.price')} hint={t('plans.priceHint')} value={price} onChange={setPrice} />
        <CheckboxField label={t('plans.active')} checked={active} onChange={setActive} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? t('common.saving') : t('plans.save')}
        </button>
      </div>
    </form>
  );
}
