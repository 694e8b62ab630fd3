// Governance rules: the pure evaluator (table tests), then block / mask / reroute / tag through the data plane, proven
// by what the mock provider actually received and by the usage event the worker audits from.
import { governanceRuleSchema, type GovernanceRule } from '@nebulagate/schema';
import { evaluateGovernance } from '../src/governance/governance-engine';
import { expectOpenAiError, post, PRICE, seedUser, startHarness, type Harness } from './harness';

function rule(fields: Partial<Omit<GovernanceRule, 'match'>> & { id: string; action: GovernanceRule['action']; match?: Partial<GovernanceRule['match']> }): GovernanceRule {
  return governanceRuleSchema.parse({ name: fields.id, order: 0, ...fields, match: { ...fields.match } });
}

function chatBody(...contents: unknown[]): Record<string, unknown> {
  return { model: 'gpt-4o-mini', messages: contents.map((content) => ({ role: 'user', content })) };
}

const request = (body: Record<string, unknown>, overrides: Partial<{ path: string; group: string; tokenId: string }> = {}) => ({
  body,
  model: typeof body.model === 'string' ? body.model : '',
  path: '/v1/chat/completions',
  group: 'default',
  tokenId: 'token-1',
  ...overrides,
});

describe('evaluateGovernance', () => {
  test.each([
    ['regex, case-insensitive by default', { patterns: ['secret\\s+plan'] }, 'The SECRET   plan is here', true],
    ['keyword is literal, not a regex', { keywords: ['a.b'] }, 'axb', false],
    ['keyword found as a substring', { keywords: ['a.b'] }, 'see a.b now', true],
    ['case-sensitive pattern', { patterns: ['Secret'], caseSensitive: true }, 'secret', false],
    ['no pattern = scope alone', { models: ['gpt-4o-mini'] }, 'anything', true],
    ['scope excludes other models', { keywords: ['x'], models: ['other-model'] }, 'x', false],
  ])('%s', (_name, match, text, expected) => {
    const verdict = evaluateGovernance([rule({ id: 'r', action: 'block', match })], request(chatBody(text)));
    expect(verdict.blockedBy !== null).toBe(expected);
  });

  test('masks every match in strings and text parts, keeps other parts, and records no excerpt unless asked', () => {
    const body = chatBody('card 4111-1111-1111-1111 and 4000-0000-0000-0002', [
      { type: 'text', text: 'again 4111-1111-1111-1111' },
      { type: 'image_url', image_url: { url: 'https://example.com/4111-1111-1111-1111.png' } },
    ]);
    const verdict = evaluateGovernance([rule({ id: 'cards', action: 'mask', maskWith: '[card]', match: { patterns: ['\\d{4}(-\\d{4}){3}'] } })], request(body));
    const messages = body.messages as Array<{ content: unknown }>;
    expect(messages[0]?.content).toBe('card [card] and [card]');
    expect(messages[1]?.content).toEqual([
      { type: 'text', text: 'again [card]' },
      { type: 'image_url', image_url: { url: 'https://example.com/4111-1111-1111-1111.png' } },
    ]);
    expect(verdict.hits).toEqual([{ ruleId: 'cards', action: 'mask', excerpt: null }]);
  });

  test('rules run in order: tags and masks accumulate, the first block ends evaluation, excerpt only with recordMatch', () => {
    const rules = [
      rule({ id: 'late-block', order: 30, action: 'block', match: { keywords: ['forbidden'] } }),
      rule({ id: 'tagger', order: 10, action: 'tag', tag: 'finance', match: { keywords: ['invoice'] } }),
      rule({ id: 'first-block', order: 20, action: 'block', recordMatch: true, match: { keywords: ['forbidden'] } }),
    ];
    const verdict = evaluateGovernance(rules, request(chatBody('an invoice with forbidden words')));
    expect(verdict.tags).toEqual(['finance']);
    expect(verdict.blockedBy?.id).toBe('first-block');
    expect(verdict.hits).toEqual([
      { ruleId: 'tagger', action: 'tag', excerpt: null },
      { ruleId: 'first-block', action: 'block', excerpt: 'forbidden' },
    ]);
  });

  test('scopes by path suffix (the /hf alias too), group and token', () => {
    const scoped = rule({ id: 's', action: 'block', match: { keywords: ['x'], paths: ['/v1/chat/completions'], groups: ['vip'], tokenIds: ['token-9'] } });
    expect(evaluateGovernance([scoped], request(chatBody('x'), { path: '/hf/v1/chat/completions', group: 'vip', tokenId: 'token-9' })).blockedBy).not.toBeNull();
    expect(evaluateGovernance([scoped], request(chatBody('x'), { group: 'default', tokenId: 'token-9' })).blockedBy).toBeNull();
    expect(evaluateGovernance([scoped], request(chatBody('x'), { group: 'vip', tokenId: 'token-1' })).blockedBy).toBeNull();
  });

  test('a pattern that backtracks catastrophically in JavaScript runs in linear time on a hostile prompt', () => {
    // With RegExp this input takes hours; the test would hit jest's timeout instead of passing.
    const hostile = `${'a'.repeat(50_000)}!`;
    const verdict = evaluateGovernance([rule({ id: 'nested', action: 'block', match: { patterns: ['((a+))+$'] } })], request(chatBody(hostile)));
    expect(verdict.blockedBy).toBeNull();
  });

  test('mask text is inserted literally, group references included', () => {
    const body = chatBody('key=abc123');
    evaluateGovernance([rule({ id: 'm', action: 'mask', maskWith: '[$1$&]', match: { patterns: ['key=(\\w+)'] } })], request(body));
    expect((body.messages as Array<{ content: string }>)[0]?.content).toBe('[$1$&]');
  });

  test('reads embeddings / completions inputs too', () => {
    const verdict = evaluateGovernance([rule({ id: 'k', action: 'block', match: { keywords: ['drop table'] } })], request({ model: 'e', input: ['ok', 'DROP TABLE users'] }));
    expect(verdict.blockedBy?.id).toBe('k');
  });
});

describe('governance through the data plane', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
    await harness.publish({
      prices: { 'gpt-4o-mini': PRICE, 'gpt-4o': PRICE },
      governanceRules: [
        rule({ id: 'block-weapons', order: 1, action: 'block', blockMessage: 'Not allowed here.', match: { keywords: ['build a bomb'] } }),
        rule({ id: 'mask-email', order: 2, action: 'mask', maskWith: '<email>', match: { patterns: ['[\\w.+-]+@[\\w-]+\\.[\\w.]+'] } }),
        rule({ id: 'tag-legal', order: 3, action: 'tag', tag: 'legal', match: { keywords: ['contract'] } }),
        rule({ id: 'reroute-big', order: 4, action: 'reroute', rerouteModel: 'gpt-4o-mini', match: { keywords: ['#cheap'], models: ['gpt-4o'] } }),
      ],
    });
  });
  afterAll(async () => {
    await harness.close();
  });
  beforeEach(() => harness.mock.reset());

  test('block: 400 content_blocked in OpenAI shape, nothing sent upstream, no money moved, an audited zero-cost event', async () => {
    const { key, userId } = await seedUser(harness);
    const before = await harness.wallet(userId);
    const response = await post(harness, '/v1/chat/completions', {
      key,
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'how to build a bomb' }] }),
    });
    expect(response.status).toBe(400);
    expectOpenAiError(response.json, 'content_blocked');
    expect((response.json as { error: { message: string } }).error.message).toBe('Not allowed here.');
    expect(harness.mock.requests).toHaveLength(0);
    expect(await harness.wallet(userId)).toBe(before);
    const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
    expect(event).toMatchObject({ status: 'error', httpStatus: 400, cost: 0, errorCode: 'content_blocked', governanceHits: [{ ruleId: 'block-weapons', action: 'block', excerpt: null }] });
  });

  test('block on the Anthropic endpoint answers in Anthropic shape', async () => {
    const { key } = await seedUser(harness);
    const response = await post(harness, '/v1/messages', {
      headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'build a bomb' }] }),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'Not allowed here.' } });
    expect(harness.mock.requests).toHaveLength(0);
  });

  test('mask: the upstream receives the masked text; tag and hits ride on the usage event', async () => {
    const { key } = await seedUser(harness);
    const { response } = await harness
      .openai(key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'mail jane.doe@example.com about the contract' }] })
      .withResponse();
    const sent = harness.mock.requests[0]?.body as { messages: Array<{ content: string }> };
    expect(sent.messages[0]?.content).toBe('mail <email> about the contract');
    const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
    expect(event?.tags).toEqual(['legal']);
    expect(event?.governanceHits.map((hit) => hit.ruleId)).toEqual(['mask-email', 'tag-legal']);
  });

  test('reroute: the request is served (and priced) as the other model', async () => {
    const { key } = await seedUser(harness);
    const { data, response } = await harness
      .openai(key)
      .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'summarise this #cheap' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect((harness.mock.requests[0]?.body as { model: string }).model).toBe('gpt-4o-mini');
    const event = await harness.usageEvent(response.headers.get('x-request-id') ?? '');
    expect(event).toMatchObject({ model: 'gpt-4o-mini', status: 'success', governanceHits: [{ ruleId: 'reroute-big', action: 'reroute' }] });
  });
});
