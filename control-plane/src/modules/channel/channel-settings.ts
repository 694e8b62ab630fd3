// Validation of a channel's routing settings (mapping, overrides, status mapping, limits, names). Each throws
// BAD_USER_INPUT with a message naming the field, and returns the cleaned value.
import { assertThat } from '../../graphql/errors';
import type { ChannelLimitsValue } from './channel.entity';

const MAX_JSON_BYTES = 16 * 1024;
const MAX_NAMES = 1000;

/** Headers an override may never set: credentials (the channel's key is the only auth) and transport framing. */
const FORBIDDEN_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'x-goog-api-key', 'cookie', 'set-cookie',
  'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect',
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
/** Body fields the gateway itself owns: overriding them would break routing, streaming or billing. */
const FORBIDDEN_PARAMETERS = new Set(['model', 'stream', 'stream_options', 'messages']);

export function cleanNames(values: readonly string[], field: string): string[] {
  const cleaned = [...new Set(values.map((value) => value.trim()))];
  assertThat(cleaned.length <= MAX_NAMES, 'BAD_USER_INPUT', `${field} holds too many entries (at most ${MAX_NAMES})`);
  assertThat(cleaned.every((value) => value.length > 0 && value.length <= 255), 'BAD_USER_INPUT', `${field} must be non-empty names`);
  return cleaned;
}

function assertSmall(value: unknown, field: string): void {
  assertThat(Buffer.byteLength(JSON.stringify(value)) <= MAX_JSON_BYTES, 'BAD_USER_INPUT', `${field} is too large (at most ${MAX_JSON_BYTES} bytes)`);
}

export function cleanModelMapping(mapping: Record<string, unknown>): Record<string, string> {
  assertSmall(mapping, 'modelMapping');
  const result: Record<string, string> = {};
  for (const [from, to] of Object.entries(mapping)) {
    assertThat(typeof to === 'string' && to.trim().length > 0 && from.trim().length > 0, 'BAD_USER_INPUT', 'modelMapping must map model names to model names');
    result[from.trim()] = to.trim();
  }
  return result;
}

export function cleanParameterOverrides(overrides: Record<string, unknown>): Record<string, unknown> {
  assertSmall(overrides, 'parameterOverrides');
  for (const name of Object.keys(overrides)) {
    assertThat(name.trim().length > 0 && name === name.trim(), 'BAD_USER_INPUT', 'parameterOverrides must use non-empty field names');
    assertThat(!FORBIDDEN_PARAMETERS.has(name), 'BAD_USER_INPUT', `parameterOverrides may not set "${name}" (the gateway owns it)`);
  }
  return { ...overrides };
}

export function cleanHeaderOverrides(overrides: Record<string, unknown>): Record<string, string> {
  assertSmall(overrides, 'headerOverrides');
  const result: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(overrides)) {
    const name = rawName.trim().toLowerCase();
    assertThat(HEADER_NAME.test(name), 'BAD_USER_INPUT', 'headerOverrides must use valid header names');
    assertThat(!FORBIDDEN_HEADERS.has(name), 'BAD_USER_INPUT', `headerOverrides may not set "${name}" (auth and transport headers are refused)`);
    assertThat(typeof value === 'string' && !/[\r\n\0]/.test(value) && value.length <= 4096, 'BAD_USER_INPUT', 'headerOverrides values must be single-line strings');
    result[name] = value;
  }
  return result;
}

function isHttpStatus(value: number): boolean {
  return Number.isInteger(value) && value >= 100 && value <= 599;
}

export function cleanStatusCodeMapping(mapping: Record<string, unknown>): Record<string, number> {
  assertSmall(mapping, 'statusCodeMapping');
  const result: Record<string, number> = {};
  for (const [from, to] of Object.entries(mapping)) {
    const key = from.trim();
    assertThat(/^\d{3}$/.test(key) && isHttpStatus(Number(key)), 'BAD_USER_INPUT', 'statusCodeMapping keys must be HTTP status codes');
    assertThat(typeof to === 'number' && isHttpStatus(to), 'BAD_USER_INPUT', 'statusCodeMapping values must be HTTP status codes');
    result[key] = to;
  }
  return result;
}

function cleanLimit(value: number | null | undefined, field: string): number | null {
  if (value === null || value === undefined) return null;
  assertThat(Number.isInteger(value) && value > 0 && value <= 1_000_000_000, 'BAD_USER_INPUT', `limits.${field} must be a positive integer or null`);
  return value;
}

export function cleanLimits(limits: Partial<ChannelLimitsValue>): ChannelLimitsValue {
  return {
    requestsPerMinute: cleanLimit(limits.requestsPerMinute, 'requestsPerMinute'),
    tokensPerMinute: cleanLimit(limits.tokensPerMinute, 'tokensPerMinute'),
    concurrentRequests: cleanLimit(limits.concurrentRequests, 'concurrentRequests'),
  };
}
