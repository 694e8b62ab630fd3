// The one-pass frame scan of the OpenAI stream processor must find exactly what searching the frame for each marker
// found (the relay's former method): usage objects, error fields, non-null finish reasons and the delta text bytes.
import { scanChunkFrame } from '../src/providers/openai/stream';
import { indexOfBytes, startsWithBytesAt } from '../src/relay/sse';
import { jsonStringByteLength } from '../src/relay/usage-meter';

const DELTA_MARKERS = ['"content":"', '"arguments":"', '"reasoning_content":"', '"refusal":"'].map((marker) => Buffer.from(marker));

/** The marker search the scan replaces, kept here as the reference. */
function markerFacts(frame: Buffer) {
  let deltaBytes = 0;
  for (const marker of DELTA_MARKERS) {
    let from = 0;
    for (;;) {
      const index = frame.indexOf(marker, from);
      if (index === -1) break;
      const valueStart = index + marker.length;
      const length = jsonStringByteLength(frame, valueStart);
      deltaBytes += length;
      from = valueStart + length + 1;
    }
  }
  return {
    usage: frame.indexOf('"usage":{') !== -1,
    error: frame.indexOf('"error":') !== -1,
    finish: frame.indexOf('"finish_reason":"') !== -1,
    deltaBytes,
  };
}

const data = (payload: unknown) => Buffer.from(`data: ${JSON.stringify(payload)}\n\n`);

const frames: Array<[string, Buffer]> = [
  ['content delta', data({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'word7 ' }, logprobs: null, finish_reason: null }] })],
  ['role chunk', data({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })],
  ['finish chunk', data({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })],
  ['usage chunk', data({ id: 'x', choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } })],
  ['null usage', data({ id: 'x', choices: [{ index: 0, delta: { content: 'a' } }], usage: null })],
  ['error object', data({ error: { message: 'boom', type: 'server_error', param: null, code: null } })],
  ['error string', data({ error: 'overloaded' })],
  ['tool call arguments', data({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{"city":"Par' } }] } }] })],
  ['reasoning and refusal', data({ choices: [{ index: 0, delta: { reasoning_content: 'think…', refusal: 'no' } }] })],
  ['two choices', data({ choices: [{ index: 0, delta: { content: 'é漢' } }, { index: 1, delta: { content: 'xyz' }, finish_reason: 'length' }] })],
  ['escaped quotes and markers inside values', data({ choices: [{ delta: { content: 'say "content":"x" and \\"error\\": and "usage":{' } }] })],
  ['marker text as a value', data({ name: 'content', other: '"finish_reason":"stop"', choices: [{ delta: { content: '\\' } }] })],
  ['message instead of delta', data({ choices: [{ message: { content: 'whole' }, finish_reason: 'stop' }] })],
  ['nested usage in a choice', data({ choices: [{ delta: { content: 'a' }, usage: { completion_tokens: 1 } }] })],
  ['comment frame', Buffer.from(': keepalive\n\n')],
  ['event line before data', Buffer.from('event: message\ndata: {"choices":[{"delta":{"content":"hi"}}]}\n\n')],
  ['unterminated string', Buffer.from('data: {"choices":[{"delta":{"content":"cut off')],
  ['not JSON', Buffer.from('data: [DONE]\n\n')],
  ['crlf frame', Buffer.from('data: {"choices":[{"delta":{"content":"a\\nb"},"finish_reason":"stop"}]}\r\n\r\n')],
];

describe('scanChunkFrame', () => {
  test.each(frames)('%s: same facts as the marker search', (_name, frame) => {
    expect(scanChunkFrame(frame)).toEqual(markerFacts(frame));
  });

  test('counts content bytes as UTF-8 bytes of the JSON text, escapes included', () => {
    expect(scanChunkFrame(data({ choices: [{ delta: { content: 'é"' } }] })).deltaBytes).toBe(Buffer.byteLength('é\\"'));
  });

  test('matches the marker search on random chunk-shaped frames', () => {
    const alphabet = ['a', ' ', '"', '\\', ':', '{', 'é', 'content', 'error', 'usage', 'finish_reason', '\n'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const text = () => Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let round = 0; round < 2000; round += 1) {
      const delta: Record<string, unknown> = {};
      for (const key of ['content', 'arguments', 'reasoning_content', 'refusal', 'role']) if (random() < 0.4) delta[key] = text();
      const choice: Record<string, unknown> = { index: 0, delta, finish_reason: random() < 0.2 ? text() : null };
      const payload: Record<string, unknown> = { id: text(), choices: random() < 0.1 ? [] : [choice] };
      if (random() < 0.1) payload.usage = random() < 0.5 ? null : { prompt_tokens: 1, completion_tokens: 2 };
      if (random() < 0.05) payload.error = random() < 0.5 ? text() : { message: text() };
      const frame = data(payload);
      expect(scanChunkFrame(frame)).toEqual(markerFacts(frame));
    }
  });
});

describe('byte search helpers', () => {
  const haystack = Buffer.from('data: a\n\ndata: b\r\n\r\nx\n\n');
  test.each([
    ['\n\n', 0],
    ['\n\n', 8],
    ['\r\n\r\n', 0],
    ['\n\n', 18],
    ['data', 1],
    ['zz', 0],
    ['x\n\n\n', 0],
  ])('indexOfBytes(%j, from %d) = Buffer#indexOf', (needle, from) => {
    expect(indexOfBytes(haystack, Buffer.from(needle), from)).toBe(haystack.indexOf(Buffer.from(needle), from));
  });

  test('startsWithBytesAt', () => {
    expect(startsWithBytesAt(Buffer.from('data: [DONE]\n\n'), Buffer.from('data: [DONE]'))).toBe(true);
    expect(startsWithBytesAt(Buffer.from(': x\n\ndata: [DONE]'), Buffer.from('data: [DONE]'))).toBe(false);
    expect(startsWithBytesAt(Buffer.from('data: [DON'), Buffer.from('data: [DONE]'))).toBe(false);
  });
});
