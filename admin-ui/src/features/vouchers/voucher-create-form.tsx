// Creates a batch of voucher codes (admin): credits entered in USD, or a plan; shows the codes once created.
import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { CheckboxField, SelectField, TextField } from '../../components/form-fields';
import { useI18n } from '../../i18n/i18n-context';
import { PlansQuery } from '../plans/plans.documents';
import { EMPTY_VOUCHER_DRAFT, voucherInputOf, type VoucherDraft, type VoucherKindChoice } from './voucher-draft';
import { CreateVouchersMutation, VouchersQuery } from './vouchers.documents';

export interface CreatedBatch {
  batchId: string;
  codes: string[];
}

const KIND_OPTIONS: readonly VoucherKindChoice[] = ['CREDIT', 'PLAN'];

export function VoucherCreateForm({ onCreated }: { onCreated: (batch: CreatedBatch) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<VoucherDraft>(EMPTY_VOUCHER_DRAFT);
  const [invalid, setInvalid] = useState(false);
  const plans = useQuery(PlansQuery, { skip: draft.kind !== 'PLAN' });
  const [createVouchers, { loading, error, reset }] = useMutation(CreateVouchersMutation, {
    refetchQueries: [VouchersQuery],
    awaitRefetchQueries: true,
  });
  const update = <Key extends keyof VoucherDraft>(key: Key) => (value: VoucherDraft[Key]) => setDraft((current) => ({ ...current, [key]: value }));
  const planOptions = ['', ...(plans.data?.plans.map((plan) => plan.id) ?? [])];
  const planName = (id: string) => plans.data?.plans.find((plan) => plan.id === id)?.name ?? t('vouchers.choosePlan');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = voucherInputOf(draft);
    if (input === 'invalid') {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    try {
      const result = await createVouchers({ variables: { input } });
      const payload = result.data?.createVouchers;
      if (!payload) return;
      setDraft(EMPTY_VOUCHER_DRAFT);
      onCreated({ batchId: payload.batchId, codes: payload.codes });
    } catch {
      // Shown through `error` below.
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} aria-label={t('vouchers.createTitle')}>
      <h2>{t('vouchers.createTitle')}</h2>
      <ErrorBanner error={error} onDismiss={reset} />
      {invalid ? (
        <p className="error-banner" role="alert">
          {t('vouchers.invalid')}
        </p>
      ) : null}
      <div className="form__grid">
        <SelectField label={t('vouchers.kind')} value={draft.kind} options={KIND_OPTIONS} labelOf={(kind) => t(`vouchers.kind.${kind}`)} onChange={update('kind')} />
        {draft.kind === 'CREDIT' ? (
          <TextField label={t('vouchers.amountUsd')} value={draft.amountUsd} onChange={update('amountUsd')} required placeholder="5.00" />
        ) : (
          <>
            <SelectField label={t('vouchers.plan')} value={draft.planId} options={planOptions} labelOf={planName} onChange={update('planId')} />
            <TextField label={t('vouchers.planPeriods')} type="number" value={draft.planPeriods} onChange={update('planPeriods')} />
          </>
        )}
        <TextField label={t('vouchers.count')} type="number" value={draft.count} onChange={update('count')} />
        <TextField label={t('vouchers.prefix')} value={draft.prefix} onChange={update('prefix')} placeholder="GIFT" />
        <TextField label={t('vouchers.giftCode')} hint={t('vouchers.giftCodeHint')} value={draft.giftCode} onChange={update('giftCode')} />
        <TextField label={t('vouchers.maxRedemptions')} hint={t('vouchers.maxRedemptionsHint')} type="number" value={draft.maxRedemptions} onChange={update('maxRedemptions')} />
        <div className="field">
          <label>
            {t('vouchers.expiresAt')}
            <input type="datetime-local" value={draft.expiresAt} onChange={(event) => update('expiresAt')(event.target.value)} />
          </label>
        </div>
        <TextField label={t('vouchers.groups')} hint={t('vouchers.groupsHint')} value={draft.groups} onChange={update('groups')} />
        <TextField label={t('vouchers.note')} value={draft.note} onChange={update('note')} />
        <CheckboxField label={t('vouchers.oncePerUser')} checked={draft.oncePerUser} onChange={update('oncePerUser')} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={loading}>
          {loading ? t('vouchers.creating') : t('vouchers.create')}
        </button>
      </div>
    </form>
  );
}
