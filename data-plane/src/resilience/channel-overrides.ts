// A channel's request overrides, applied to the prepared upstream call (after model mapping and the provider's own
// conversion, so an override has the last word): top-level body fields set or removed, extra headers. Auth and
// transport headers can never be overridden: a header override must not leak or replace the channel's key.
export const PROTECTED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
  'cookie',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
]);

/** Sets (or, for null, removes) top-level fields of the upstream JSON body; the body unchanged when not an object. */
export function applyParameterOverrides(bodyText: string, overrides: Readonly<Record<string, unknown>>): string {
  const names = Object.keys(overrides);
  if (names.length === 0) return bodyText;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return bodyText;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bodyText;
  const record = body as Record<string, unknown>;
  for (const name of names) {
    const value = overrides[name];
    if (value === null || value === undefined) delete record[name];
    else record[name] = value;
  }
  return JSON.stringify(record);
}

/** The upstream headers with the channel's extra headers merged in (case-insensitively replacing, never auth). */
export function applyHeaderOverrides(headers: Record<string, string>, overrides: Readonly<Record<string, string>>): Record<string, string> {
  const names = Object.keys(overrides);
  if (names.length === 0) return headers;
  const merged: Record<string, string> = { ...headers };
  for (const name of names) {
    const lower = name.toLowerCase();
    if (PROTECTED_HEADERS.has(lower) || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(lower)) continue;
    const value = overrides[name] as string;
    if (/[\r\n\0]/.test(value)) continue;
    for (const existing of Object.keys(merged)) if (existing.toLowerCase() === lower) delete merged[existing];
    merged[lower] = value;
  }
  return merged;
}
