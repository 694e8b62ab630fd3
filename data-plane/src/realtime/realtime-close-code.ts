// Which close code to pass on to the other side when one side of a Realtime session closes. Codes that may not be sent
// on the wire (1005 no status, 1006 abnormal, 1015 TLS) are replaced by a sendable one.

export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_INTERNAL_ERROR = 1011;
/** A close reason is at most 123 bytes. */
const MAX_REASON_BYTES = 123;

export function isSendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/**
 * `fromUpstream`: the upstream closed, so an abnormal end becomes 1011 for the client; the client closing abnormally
 * (it vanished) becomes 1001 for the upstream. A missing status is a normal close.
 */
export function forwardedCloseCode(code: number, fromUpstream: boolean): number {
  if (isSendableCloseCode(code)) return code;
  if (code === 1005) return CLOSE_NORMAL;
  return fromUpstream ? CLOSE_INTERNAL_ERROR : CLOSE_GOING_AWAY;
}

export function safeCloseReason(reason: string): string {
  const bytes = Buffer.from(reason, 'utf8');
  if (bytes.length <= MAX_REASON_BYTES) return reason;
  // Cut on a character boundary.
  let cut = reason;
  while (Buffer.byteLength(cut, 'utf8') > MAX_REASON_BYTES) cut = cut.slice(0, -1);
  return cut;
}
