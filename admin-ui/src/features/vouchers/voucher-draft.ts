// The voucher batch form as text <-> CreateVouchersInput; one pure reader so the rules are testable without a browser.
import type { CreateVouchersInput } from '../../gql/graphql';
import { parseOptionalList } from '../../lib/parse-list';
import { usdToCredits } from '../../lib/usd';

export type VoucherKindChoice = 'CREDIT' | 'PLAN';

export interface VoucherDraft {
  kind: VoucherKindChoice;
  amountUsd: string;
  planId: string;
  planPeriods: string;
  count: string;
  prefix: string;
  giftCode: string;
  /** datetime-local text (local wall time) or empty. */
  expiresAt: string;
  maxRedemptions: string;
  oncePerUser: boolean;
  groups: string;
  note: string;
}

export const EMPTY_VOUCHER_DRAFT: VoucherDraft = {
  kind: 'CREDIT',
  amountUsd: '',
  planId: '',
  planPeriods: '',
  count: '1',
  prefix: '',
  giftCode: '',
  expiresAt: '',
  maxRedemptions: '',
  oncePerUser: true,
  groups: '',
  note: '',
};

function optionalPositiveInteger(text: string): number | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isInteger(value) && value > 0 ? value : 'invalid';
}

/** The mutation input, or 'invalid' when a field cannot be read (the server checks the rest). */
export function voucherInputOf(draft: VoucherDraft): CreateVouchersInput | 'invalid' {
  const count = optionalPositiveInteger(draft.count);
  const maxRedemptions = optionalPositiveInteger(draft.maxRedemptions);
  const planPeriods = optionalPositiveInteger(draft.planPeriods);
  if (count === 'invalid' || maxRedemptions === 'invalid' || planPeriods === 'invalid') return 'invalid';
  const giftCode = draft.giftCode.trim();
  const common: CreateVouchersInput = {
    count: giftCode ? 1 : (count ?? 1),
    prefix: draft.prefix.trim() || null,
    giftCode: giftCode || null,
    expiresAt: draft.expiresAt ? new Date(draft.expiresAt).toISOString() : null,
    // Left out when empty: the server's default (1, unlimited for a gift code) applies; null would mean unlimited.
    ...(maxRedemptions === null ? {} : { maxRedemptions }),
    oncePerUser: draft.oncePerUser,
    groups: parseOptionalList(draft.groups),
    note: draft.note.trim() || null,
  };
  if (draft.kind === 'PLAN') {
    if (draft.planId === '') return 'invalid';
    return { ...common, planId: draft.planId, planPeriods };
  }
  const amount = usdToCredits(draft.amountUsd);
  if (amount === null || amount === 0) return 'invalid';
  return { ...common, amount };
}
