// Long gaps in a stream get `: ping` comment frames, which every SDK parser skips: the caller's connection stays alive
// through a slow upstream and the answer arrives whole.
import { seedUser, startHarness, type Harness } from './harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ streamPingIntervalMs: 100 });
});
afterAll(async () => {
  await harness.close();
});

test('a slow stream carries ping comments between chunks, and the SDK still assembles the whole answer', async () => {
  const { key } = await seedUser(harness);
  harness.mock.enqueue({ content: 'one two three', chunkIntervalMs: 350 });
  const raw = await fetch(`${harness.dataPlane.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true }),
  });
  const text = await raw.text();
  expect(text).toContain(': ping\n\n');
  expect(text.trim().endsWith('data: [DONE]')).toBe(true);

  harness.mock.enqueue({ content: 'one two three', chunkIntervalMs: 350 });
  const stream = harness.openai(key).chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
  const completion = await stream.finalChatCompletion();
  expect(completion.choices[0]?.message.content).toBe('one two three');
});

test('a fast stream gets no pings', async () => {
  const { key } = await seedUser(harness);
  const raw = await fetch(`${harness.dataPlane.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true }),
  });
  expect(await raw.text()).not.toContain(': ping');
});
