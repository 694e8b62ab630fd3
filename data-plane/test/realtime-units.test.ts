// Table tests of the Realtime proxy's pure parts: key sources and subprotocol choice, upstream URL, response.done usage,
// the budget rule and close-code forwarding.
import { forwardedCloseCode, isSendableCloseCode, safeCloseReason } from '../src/realtime/realtime-close-code';
import { isWebSocketHandshake, offeredSubprotocols, readRealtimeKey, selectSubprotocol, wantsRealtimeBeta } from '../src/realtime/realtime-handshake';
import { realtimeUpstreamUrl } from '../src/realtime/realtime-upstream-url';
import { addUsage, budgetAllowsAnotherResponse, readResponseDoneUsage } from '../src/realtime/realtime-usage';

describe('readRealtimeKey', () => {
  test.each([
    ['bearer header', { authorization: 'Bearer sk-a' }, {}, [], 'sk-a'],
    ['x-api-key header', { 'x-api-key': 'sk-b' }, {}, [], 'sk-b'],
    ['?key=', {}, { key: 'sk-c' }, [], 'sk-c'],
    ['browser subprotocol', {}, {}, ['realtime', 'openai-insecure-api-key.sk-d'], 'sk-d'],
    ['header wins over subprotocol', { authorization: 'Bearer sk-e' }, {}, ['openai-insecure-api-key.sk-f'], 'sk-e'],
    ['empty key subprotocol', {}, {}, ['openai-insecure-api-key.'], null],
    ['nothing', {}, {}, ['realtime'], null],
  ])('%s', (_name, headers, query, protocols, expected) => {
    expect(readRealtimeKey(headers, query, protocols)).toBe(expected);
  });
});

test.each([
  [['realtime', 'openai-insecure-api-key.sk-x'], 'realtime'],
  [['openai-insecure-api-key.sk-x'], false],
  [[], false],
])('selectSubprotocol(%j) = %j (never the key)', (offered, expected) => {
  expect(selectSubprotocol(new Set(offered))).toBe(expected);
});

test('offeredSubprotocols splits and trims the header', () => {
  expect(offeredSubprotocols({ 'sec-websocket-protocol': 'realtime, openai-insecure-api-key.k ,x' })).toEqual(['realtime', 'openai-insecure-api-key.k', 'x']);
  expect(offeredSubprotocols({})).toEqual([]);
});

test.each([
  [{ 'openai-beta': 'realtime=v1' }, [], true],
  [{ 'openai-beta': 'assistants=v2, realtime=v1' }, [], true],
  [{}, ['openai-beta.realtime-v1'], true],
  [{ 'openai-beta': 'realtime=v10' }, [], false],
  [{}, ['realtime'], false],
])('wantsRealtimeBeta(%j, %j) = %s', (headers, protocols, expected) => {
  expect(wantsRealtimeBeta(headers, protocols)).toBe(expected);
});

test.each([
  ['GET', { upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }, true],
  ['POST', { upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }, false],
  ['GET', { upgrade: 'h2c', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }, false],
  ['GET', { upgrade: 'websocket', 'sec-websocket-version': '8', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }, false],
  ['GET', { upgrade: 'websocket', 'sec-websocket-version': '13' }, false],
])('isWebSocketHandshake(%s, %j) = %s', (method, headers, expected) => {
  expect(isWebSocketHandshake(method, headers)).toBe(expected);
});

test.each([
  ['https://api.openai.com/v1', 'gpt-realtime', 'wss://api.openai.com/v1/realtime?model=gpt-realtime', 'https://api.openai.com/v1/realtime?model=gpt-realtime'],
  ['https://api.openai.com/v1/', 'gpt realtime', 'wss://api.openai.com/v1/realtime?model=gpt+realtime', 'https://api.openai.com/v1/realtime?model=gpt+realtime'],
  ['http://127.0.0.1:8080/v1?x=1#frag', 'm', 'ws://127.0.0.1:8080/v1/realtime?model=m', 'http://127.0.0.1:8080/v1/realtime?model=m'],
])('realtimeUpstreamUrl(%s, %s)', (base, model, webSocketUrl, httpUrl) => {
  const url = realtimeUpstreamUrl(base, model);
  expect(url?.webSocketUrl).toBe(webSocketUrl);
  expect(url?.httpUrl.href).toBe(httpUrl);
});

test.each(['ftp://example.com/v1', 'not a url', ''])('realtimeUpstreamUrl refuses %j', (base) => {
  expect(realtimeUpstreamUrl(base, 'm')).toBeNull();
});

describe('readResponseDoneUsage', () => {
  const frame = (event: unknown) => Buffer.from(JSON.stringify(event));
  test.each([
    [
      'full usage with cached and audio detail',
      { type: 'response.done', response: { usage: { total_tokens: 1500, input_tokens: 1200, output_tokens: 300, input_token_details: { cached_tokens: 1000, audio_tokens: 900 }, output_token_details: { audio_tokens: 250 } } } },
      { usage: { promptTokens: 1200, completionTokens: 300, cacheReadTokens: 1000, cacheWriteTokens: 0 }, inputAudioTokens: 900, outputAudioTokens: 250 },
    ],
    [
      'minimal usage',
      { type: 'response.done', response: { usage: { input_tokens: 7, output_tokens: 3 } } },
      { usage: { promptTokens: 7, completionTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0 }, inputAudioTokens: 0, outputAudioTokens: 0 },
    ],
    [
      'cached tokens never exceed input tokens',
      { type: 'response.done', response: { usage: { input_tokens: 5, output_tokens: 0, input_token_details: { cached_tokens: 50 } } } },
      { usage: { promptTokens: 5, completionTokens: 0, cacheReadTokens: 5, cacheWriteTokens: 0 }, inputAudioTokens: 0, outputAudioTokens: 0 },
    ],
    ['response.done without usage', { type: 'response.done', response: { usage: null } }, null],
    ['another event naming response.done in text', { type: 'response.output_text.delta', delta: '"response.done"' }, null],
    ['audio delta', { type: 'response.output_audio.delta', delta: 'AAAA' }, null],
  ])('%s', (_name, event, expected) => {
    expect(readResponseDoneUsage(frame(event))).toEqual(expected);
  });

  test('non-JSON frames are ignored', () => {
    expect(readResponseDoneUsage(Buffer.from('"response.done" but not json'))).toBeNull();
  });
});

test('addUsage sums every field', () => {
  expect(addUsage({ promptTokens: 1, completionTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 4 }, { promptTokens: 10, completionTokens: 20, cacheReadTokens: 30, cacheWriteTokens: 40 })).toEqual({
    promptTokens: 11,
    completionTokens: 22,
    cacheReadTokens: 33,
    cacheWriteTokens: 44,
  });
});

test.each([
  [10_000, 6_000, 6_000, false],
  [10_000, 4_000, 6_000, true],
  [10_000, 10_000, 1, false],
  [10_000, 0, 0, true],
  [10_000, 12_000, 12_000, false],
  // Free models (nothing reserved, nothing spent) go on.
  [0, 0, 0, true],
])('budgetAllowsAnotherResponse(reserved %d, spent %d, costliest %d) = %s', (reserved, spent, costliest, expected) => {
  expect(budgetAllowsAnotherResponse(reserved, spent, costliest)).toBe(expected);
});

test.each([
  [1000, true, 1000],
  [4000, true, 4000],
  [1005, true, 1000],
  [1006, true, 1011],
  [1006, false, 1001],
  [1005, false, 1000],
  [1001, false, 1001],
  [1015, true, 1011],
])('forwardedCloseCode(%d, fromUpstream %s) = %d', (code, fromUpstream, expected) => {
  expect(forwardedCloseCode(code, fromUpstream)).toBe(expected);
  expect(isSendableCloseCode(expected)).toBe(true);
});

test('safeCloseReason keeps reasons within 123 bytes on a character boundary', () => {
  expect(safeCloseReason('bye')).toBe('bye');
  const long = 'é'.repeat(100);
  const cut = safeCloseReason(long);
  expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
  expect(long.startsWith(cut)).toBe(true);
});
