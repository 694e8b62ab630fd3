// Table tests for the pure pieces behind channels: key lists, settings validation, probe building / classification /
// scrubbing, health hysteresis, the compiled key list and the address policy.
import { GraphQLError } from 'graphql';
import { channelKeyId } from '@nebulagate/schema';
import { ChannelHealthStatus, ChannelStatus, type ChannelHealthCheckRecord } from '../src/modules/channel/channel.entity';
import { buildBalanceRequest, readBalance } from '../src/modules/channel/channel-balance';
import { appendHealthCheck, nextHealthState, type HealthState } from '../src/modules/channel/channel-health';
import { keyStatesFor, maskKey, splitKeys } from '../src/modules/channel/channel-keys';
import { buildProbeRequest, classifyStatus, scrubMessage, upstreamErrorMessage } from '../src/modules/channel/channel-probe';
import { cleanHeaderOverrides, cleanLimits, cleanParameterOverrides, cleanStatusCodeMapping } from '../src/modules/channel/channel-settings';
import { isPrivateAddress } from '../src/modules/channel/upstream-url';
import { servingKeys } from '../src/snapshot/snapshot.compiler';

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof GraphQLError ? String(error.extensions.code) : 'other';
  }
}

describe('splitKeys', () => {
  it.each([
    ['a,b\nc', ['a', 'b', 'c']],
    [['a, b', 'c\r\nd'], ['a', 'b', 'c', 'd']],
    [' a ,a,, ', ['a']],
    [[], []],
    [' ,\n', []],
  ] as const)('%j -> %j', (input, expected) => {
    expect(splitKeys(input)).toEqual(expected);
  });
});

describe('maskKey', () => {
  it.each([
    ['sk-abcdef1234567890', 'sk-…7890'],
    ['short', '…'],
    ['12345678', '…'],
  ])('%s -> %s', (key, hint) => expect(maskKey(key)).toBe(hint));
});

describe('keyStatesFor', () => {
  it('keeps the enabled flag of keys that stay and enables new ones', () => {
    const previous = [{ id: channelKeyId('sk-one-000000000'), hint: 'x', enabled: false }];
    expect(keyStatesFor(['sk-one-000000000', 'sk-two-000000000'], previous)).toEqual([
      { id: channelKeyId('sk-one-000000000'), hint: 'sk-…0000', enabled: false },
      { id: channelKeyId('sk-two-000000000'), hint: 'sk-…0000', enabled: true },
    ]);
  });
});

describe('settings validation', () => {
  it.each([
    [{ 'X-Org': 'a' }, null],
    [{ authorization: 'x' }, 'BAD_USER_INPUT'],
    [{ 'Proxy-Authorization': 'x' }, 'BAD_USER_INPUT'],
    [{ 'x-goog-api-key': 'x' }, 'BAD_USER_INPUT'],
    [{ 'api-key': 'x' }, 'BAD_USER_INPUT'],
    [{ host: 'evil' }, 'BAD_USER_INPUT'],
    [{ 'x-a': 'a\nb' }, 'BAD_USER_INPUT'],
    [{ 'x-a': 5 }, 'BAD_USER_INPUT'],
    [{ 'a b': 'x' }, 'BAD_USER_INPUT'],
  ])('headerOverrides %j -> %s', (input, code) => expect(codeOf(() => cleanHeaderOverrides(input))).toBe(code));

  it('lower-cases header names', () => expect(cleanHeaderOverrides({ 'X-Org': 'a' })).toEqual({ 'x-org': 'a' }));

  it.each([
    [{ '400': 500, '429': 503 }, null],
    [{ '40': 500 }, 'BAD_USER_INPUT'],
    [{ '700': 500 }, 'BAD_USER_INPUT'],
    [{ '400': 5000 }, 'BAD_USER_INPUT'],
    [{ '400': '500' }, 'BAD_USER_INPUT'],
  ])('statusCodeMapping %j -> %s', (input, code) => expect(codeOf(() => cleanStatusCodeMapping(input))).toBe(code));

  it.each([
    [{ temperature: 0.1, user: null }, null],
    [{ model: 'x' }, 'BAD_USER_INPUT'],
    [{ stream: true }, 'BAD_USER_INPUT'],
    [{ '': 1 }, 'BAD_USER_INPUT'],
    [{ big: 'x'.repeat(20_000) }, 'BAD_USER_INPUT'],
  ])('parameterOverrides %j -> %s', (input, code) => expect(codeOf(() => cleanParameterOverrides(input))).toBe(code));

  it.each([
    [{}, null],
    [{ requestsPerMinute: 10, tokensPerMinute: null }, null],
    [{ requestsPerMinute: 0 }, 'BAD_USER_INPUT'],
    [{ concurrentRequests: 1.5 }, 'BAD_USER_INPUT'],
  ])('limits %j -> %s', (input, code) => expect(codeOf(() => cleanLimits(input))).toBe(code));
});

describe('probes', () => {
  const target = { apiKey: 'sk-probe', headerOverrides: { 'x-org': 'a' }, parameterOverrides: { temperature: 0 } };
  it.each([
    ['openai', 'https://api.example.com/v1/', 'models', 'GET', 'https://api.example.com/v1/models', 'authorization'],
    ['deepseek', 'https://api.example.com/v1', 'chat', 'POST', 'https://api.example.com/v1/chat/completions', 'authorization'],
    ['anthropic', 'https://api.example.com', 'models', 'GET', 'https://api.example.com/v1/models', 'x-api-key'],
    ['anthropic', 'https://api.example.com', 'chat', 'POST', 'https://api.example.com/v1/messages', 'x-api-key'],
    ['gemini', 'https://api.example.com', 'models', 'GET', 'https://api.example.com/v1beta/models', 'x-goog-api-key'],
    ['gemini', 'https://api.example.com', 'chat', 'POST', 'https://api.example.com/v1beta/models/m%2F1:generateContent', 'x-goog-api-key'],
  ] as const)('%s %s %s -> %s %s', (type, baseUrl, kind, method, url, keyHeader) => {
    const request = buildProbeRequest({ ...target, type, baseUrl }, kind, 'm/1');
    expect(request).toMatchObject({ method, url });
    expect(request.headers[keyHeader]).toContain('sk-probe');
    expect(request.headers['x-org']).toBe('a');
  });

  it('asks for one token at most', () => {
    expect(JSON.parse(buildProbeRequest({ ...target, type: 'openai', baseUrl: 'https://x/v1' }, 'chat', 'm').body ?? '{}')).toMatchObject({ max_tokens: 1, model: 'm', stream: false, temperature: 0 });
  });

  it('never lets a header override replace the key header', () => {
    const request = buildProbeRequest({ ...target, headerOverrides: { authorization: 'Bearer stolen' }, type: 'openai', baseUrl: 'https://x/v1' }, 'models', 'm');
    expect(request.headers.authorization).toBe('Bearer sk-probe');
  });

  it.each([
    [200, 'up'], [204, 'up'], [400, 'up'], [404, 'up'], [422, 'up'],
    [401, 'inconclusive'], [402, 'inconclusive'], [403, 'inconclusive'], [429, 'inconclusive'], [302, 'inconclusive'],
    [408, 'down'], [500, 'down'], [502, 'down'], [529, 'down'],
  ] as const)('status %i -> %s', (status, outcome) => expect(classifyStatus(status)).toBe(outcome));

  it.each([
    ['{"error":{"message":"bad key","type":"x"}}', 'bad key'],
    ['{"type":"error","error":{"type":"api_error","message":"overloaded"}}', 'overloaded'],
    ['{"error":{"code":500,"message":"gemini down","status":"INTERNAL"}}', 'gemini down'],
    ['{"error":"plain"}', 'plain'],
    ['<html>', null],
  ])('error body %s -> %s', (body, message) => expect(upstreamErrorMessage(body)).toBe(message));

  it.each([
    ['Incorrect API key provided: sk-proj-abcdefghijklmnop1234', ['sk-proj-abcdefghijklmnop1234'], 'Incorrect API key provided: [redacted]'],
    ['key AIzaSyA-1234567890abcdefghij is invalid', [], 'key [redacted] is invalid'],
    ['multi\n  line', [], 'multi line'],
  ])('scrubs %s', (message, secrets, expected) => expect(scrubMessage(message, secrets)).toBe(expected));

  it('caps the message length', () => expect(scrubMessage('word '.repeat(200), []).length).toBeLessThanOrEqual(301));
});

describe('nextHealthState', () => {
  const thresholds = { failuresToDisable: 3, successesToEnable: 2 };
  const base: HealthState = { status: ChannelStatus.ENABLED, autoDisabled: false, healthStatus: ChannelHealthStatus.UNKNOWN, consecutiveFailures: 0, consecutiveSuccesses: 0 };
  const autoDisabled: HealthState = { ...base, status: ChannelStatus.DISABLED, autoDisabled: true, consecutiveFailures: 3 };
  const adminDisabled: HealthState = { ...base, status: ChannelStatus.DISABLED, autoDisabled: false };

  it.each([
    ['enabled, 2nd failure', { ...base, consecutiveFailures: 1 }, 'down', 'none', ChannelStatus.ENABLED],
    ['enabled, 3rd failure', { ...base, consecutiveFailures: 2 }, 'down', 'auto-disable', ChannelStatus.DISABLED],
    ['enabled, success resets', { ...base, consecutiveFailures: 2 }, 'up', 'none', ChannelStatus.ENABLED],
    ['auto-disabled, 1st success', autoDisabled, 'up', 'none', ChannelStatus.DISABLED],
    ['auto-disabled, 2nd success', { ...autoDisabled, consecutiveSuccesses: 1 }, 'up', 're-enable', ChannelStatus.ENABLED],
    ['auto-disabled, failure resets', { ...autoDisabled, consecutiveSuccesses: 1 }, 'down', 'none', ChannelStatus.DISABLED],
    ['admin-disabled, many successes', { ...adminDisabled, consecutiveSuccesses: 10 }, 'up', 'none', ChannelStatus.DISABLED],
    ['inconclusive keeps everything', { ...base, consecutiveFailures: 2 }, 'inconclusive', 'none', ChannelStatus.ENABLED],
  ] as const)('%s', (_name, state, outcome, transition, status) => {
    const next = nextHealthState(state, outcome, thresholds);
    expect(next.transition).toBe(transition);
    expect(next.state.status).toBe(status);
  });

  it('counts streaks', () => {
    expect(nextHealthState({ ...base, consecutiveSuccesses: 4 }, 'down', thresholds).state).toMatchObject({ consecutiveFailures: 1, consecutiveSuccesses: 0, healthStatus: ChannelHealthStatus.UNHEALTHY });
    expect(nextHealthState({ ...base, consecutiveFailures: 2 }, 'inconclusive', thresholds).state).toMatchObject({ consecutiveFailures: 2 });
  });

  it('appendHealthCheck keeps the newest entries', () => {
    const check = (at: number): ChannelHealthCheckRecord => ({ at, outcome: 'up', httpStatus: 200, latencyMs: 1, message: null });
    expect(appendHealthCheck([check(1), check(2), check(3)], check(4), 3).map((entry) => entry.at)).toEqual([2, 3, 4]);
  });
});

describe('servingKeys', () => {
  it('drops disabled keys and keeps keyIds aligned', () => {
    const keyStates = [{ id: 'a', hint: '', enabled: true }, { id: 'b', hint: '', enabled: false }, { id: 'c', hint: '', enabled: true }];
    expect(servingKeys({ sealedKeys: ['A', 'B', 'C'], keyStates })).toEqual({ sealedKeys: ['A', 'C'], keyIds: ['a', 'c'] });
  });

  it('serves every key, without ids, for channels saved before per-key state', () => {
    expect(servingKeys({ sealedKeys: ['A', 'B'], keyStates: [] })).toEqual({ sealedKeys: ['A', 'B'], keyIds: [] });
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['169.254.169.254', true], ['100.64.0.1', true], ['192.0.2.1', true],
    ['::1', true], ['::ffff:127.0.0.1', true], ['fd00::1', true], ['fe80::1', true], ['64:ff9b::a00:1', true],
    ['8.8.8.8', false], ['2606:4700::1111', false], ['not-an-ip', false],
  ])('%s -> %s', (address, expected) => expect(isPrivateAddress(address)).toBe(expected));
});

describe('upstream balance', () => {
  it.each([
    ['deepseek', 'https://api.deepseek.com/v1', 'https://api.deepseek.com/user/balance'],
    ['deepseek', 'https://api.deepseek.com/', 'https://api.deepseek.com/user/balance'],
    ['moonshot', 'https://api.moonshot.cn/v1', 'https://api.moonshot.cn/v1/users/me/balance'],
    ['openai', 'https://api.openai.com/v1', null],
    ['anthropic', 'https://api.anthropic.com', null],
  ])('%s %s -> %s', (type, baseUrl, url) => {
    const request = buildBalanceRequest(type, baseUrl, 'sk-x');
    expect(request?.url ?? null).toBe(url);
    if (request) expect(request).toMatchObject({ method: 'GET', headers: { authorization: 'Bearer sk-x' } });
  });

  it.each([
    ['deepseek', 'https://api.deepseek.com', '{"is_available":true,"balance_infos":[{"currency":"CNY","total_balance":"110.00"}]}', { amount: 110, currency: 'CNY' }],
    ['deepseek', 'https://api.deepseek.com', '{"balance_infos":[{"currency":"CNY","total_balance":"1"},{"currency":"USD","total_balance":"2.5"}]}', { amount: 2.5, currency: 'USD' }],
    ['deepseek', 'https://api.deepseek.com', '{"balance_infos":[]}', null],
    ['deepseek', 'https://api.deepseek.com', 'not json', null],
    ['moonshot', 'https://api.moonshot.cn/v1', '{"code":0,"data":{"available_balance":49.5,"voucher_balance":46,"cash_balance":3.5}}', { amount: 49.5, currency: 'CNY' }],
    ['moonshot', 'https://api.moonshot.ai/v1', '{"code":0,"data":{"available_balance":-1}}', { amount: -1, currency: 'USD' }],
    ['moonshot', 'https://api.moonshot.ai/v1', '{"error":{"message":"bad"}}', null],
    ['openai', 'https://api.openai.com/v1', '{"balance":1}', null],
  ])('%s %s %s', (type, baseUrl, body, expected) => {
    const balance = readBalance(type, baseUrl, body, 42);
    expect(balance).toEqual(expected ? { ...expected, checkedAt: 42 } : null);
  });
});
