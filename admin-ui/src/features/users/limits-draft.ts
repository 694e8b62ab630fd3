// Rate caps typed as text in a form <-> the LimitsInput the server takes. All three empty means "group defaults" (null).

export interface LimitsText {
  requestsPerMinute: string;
  tokensPerMinute: string;
  concurrentRequests: string;
}

export interface LimitsValue {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  concurrentRequests: number | null;
}

export const EMPTY_LIMITS_TEXT: LimitsText = { requestsPerMinute: '', tokensPerMinute: '', concurrentRequests: '' };

export function limitsToText(limits: Partial<LimitsValue> | null | undefined): LimitsText {
  const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));
  return {
    requestsPerMinute: text(limits?.requestsPerMinute),
    tokensPerMinute: text(limits?.tokensPerMinute),
    concurrentRequests: text(limits?.concurrentRequests),
  };
}

/** Empty field -> no cap; a positive whole number -> that cap; anything else -> 'invalid'. */
function readCap(text: string): number | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isInteger(value) && value > 0 ? value : 'invalid';
}

/**
 * Reads the three fields. `emptyMeansNull`: for a user, all empty returns null (the group defaults apply);
 * for a key, all empty is an object of nulls (no caps).
 */
export function parseLimitsText(text: LimitsText, emptyMeansNull: boolean): LimitsValue | null | 'invalid' {
  const requestsPerMinute = readCap(text.requestsPerMinute);
  const tokensPerMinute = readCap(text.tokensPerMinute);
  const concurrentRequests = readCap(text.concurrentRequests);
  if (requestsPerMinute === 'invalid' || tokensPerMinute === 'invalid' || concurrentRequests === 'invalid') return 'invalid';
  if (emptyMeansNull && requestsPerMinute === null && tokensPerMinute === null && concurrentRequests === null) return null;
  return { requestsPerMinute, tokensPerMinute, concurrentRequests };
}
