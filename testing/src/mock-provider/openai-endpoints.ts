// OpenAI's non-chat endpoints for the mock provider: legacy completions (JSON and SSE), images (generations, multipart
// edits), audio (binary speech, multipart transcriptions/translations), moderations, and rerank in Jina's (/v1/rerank)
// and Cohere's (/v2/rerank) shapes. Multipart uploads are recorded as a summary (fields + file sizes and hashes).
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { countWords, DEFAULT_REPLY, mockId, splitIntoChunks, textOf, usageOf, type MockScript } from './script';

const ENDPOINT_PATTERN = /(?<!\/chat)\/completions$|\/images\/(generations|edits)$|\/audio\/(speech|transcriptions|translations)$|\/moderations$|\/rerank$/;

export function isOpenAiEndpointPath(path: string): boolean {
  return ENDPOINT_PATTERN.test(path);
}

export interface MultipartFileSummary {
  field: string;
  filename: string;
  type: string;
  size: number;
  sha256: string;
}

/** How the mock records a multipart upload (in RecordedRequest.body). */
export interface MultipartSummary {
  multipart: true;
  fields: Record<string, string>;
  files: MultipartFileSummary[];
}

/** Parses with the platform's own multipart parser, so the data plane's re-encoding is checked independently. */
export async function summariseMultipart(bytes: Buffer, contentType: string): Promise<MultipartSummary> {
  const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  const summary: MultipartSummary = { multipart: true, fields: {}, files: [] };
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      summary.fields[field] = value;
      continue;
    }
    const data = Buffer.from(await value.arrayBuffer());
    summary.files.push({ field, filename: value.name, type: value.type, size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  }
  return summary;
}

/** The audio the mock "speaks" for an input: deterministic, and large enough to arrive in several chunks. */
export function mockSpeechBytes(input: string): Buffer {
  const seed = createHash('sha256').update(input).digest();
  const bytes = Buffer.alloc(200 * 1024);
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = (seed[index % seed.length] as number) ^ (index & 0xff);
  return bytes;
}

function sendJson(response: ServerResponse, payload: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(payload));
}

function fieldsOf(body: Record<string, unknown>): Record<string, unknown> {
  return (body as Partial<MultipartSummary>).multipart ? ((body as unknown as MultipartSummary).fields as Record<string, unknown>) : body;
}

function numberField(value: unknown, fallback: number): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : fallback;
}

function handleCompletion(response: ServerResponse, body: Record<string, unknown>, script: MockScript): void {
  const model = typeof body.model === 'string' ? body.model : 'unknown';
  const reply = script.content ?? DEFAULT_REPLY;
  const id = mockId('cmpl-mock');
  const created = Math.floor(Date.now() / 1000);
  const counted = usageOf(textOf(body.prompt ?? ''), reply, script);
  const usage = { prompt_tokens: counted.promptTokens, completion_tokens: counted.completionTokens, total_tokens: counted.promptTokens + counted.completionTokens };
  const finishReason = script.finishReason ?? 'stop';
  if (body.stream !== true) {
    const payload: Record<string, unknown> = { id, object: 'text_completion', created, model, choices: [{ text: reply, index: 0, logprobs: null, finish_reason: finishReason }] };
    if (!script.omitUsage) payload.usage = usage;
    sendJson(response, payload);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const write = (data: unknown) => response.write(`data: ${JSON.stringify(data)}\n\n`);
  const chunk = (text: string, finish: string | null) => ({ id, object: 'text_completion', created, model, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] });
  const pieces = splitIntoChunks(reply, script.chunkCount);
  for (let index = 0; index < pieces.length; index += 1) {
    if (script.errorAfterChunks !== undefined && index >= script.errorAfterChunks) {
      write({ error: { message: 'mock mid-stream failure', type: 'server_error', param: null, code: null } });
      response.end();
      return;
    }
    write(chunk(pieces[index] as string, null));
  }
  write(chunk('', finishReason));
  const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
  if (streamOptions?.include_usage && !script.omitUsage) write({ id, object: 'text_completion', created, model, choices: [], usage });
  response.end('data: [DONE]\n\n');
}

function handleImages(response: ServerResponse, body: Record<string, unknown>, script: MockScript): void {
  const fields = fieldsOf(body);
  const count = numberField(fields.n, 1);
  const data = Array.from({ length: count }, (_, index) => ({ b64_json: Buffer.from(`mock-image-${index}`).toString('base64'), revised_prompt: String(fields.prompt ?? '') }));
  const payload: Record<string, unknown> = { created: Math.floor(Date.now() / 1000), data };
  if (script.usage) payload.usage = { input_tokens: script.usage.promptTokens, output_tokens: script.usage.completionTokens, total_tokens: script.usage.promptTokens + script.usage.completionTokens };
  sendJson(response, payload);
}

async function handleSpeech(response: ServerResponse, body: Record<string, unknown>): Promise<void> {
  const audio = mockSpeechBytes(String(body.input ?? ''));
  response.writeHead(200, { 'content-type': body.response_format === 'wav' ? 'audio/wav' : 'audio/mpeg' });
  const size = 16 * 1024;
  for (let offset = 0; offset < audio.length; offset += size) {
    if (!response.write(audio.subarray(offset, offset + size))) await new Promise((resolve) => response.once('drain', resolve));
  }
  response.end();
}

function handleTranscription(response: ServerResponse, body: Record<string, unknown>, translation: boolean): void {
  const summary = body as unknown as Partial<MultipartSummary>;
  const file = summary.files?.[0];
  const text = `mock ${translation ? 'translation' : 'transcript'} of ${file?.size ?? 0} bytes`;
  if (summary.fields?.response_format === 'text') {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(text);
    return;
  }
  sendJson(response, { text });
}

function handleModeration(response: ServerResponse, body: Record<string, unknown>): void {
  const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
  const results = inputs.map((input) => {
    const flagged = textOf(input).toLowerCase().includes('violence');
    return { flagged, categories: { violence: flagged, harassment: false }, category_scores: { violence: flagged ? 0.98 : 0.01, harassment: 0.01 } };
  });
  sendJson(response, { id: mockId('modr-mock'), model: body.model ?? 'unknown', results });
}

function handleRerank(response: ServerResponse, path: string, body: Record<string, unknown>, script: MockScript): void {
  const query = String(body.query ?? '');
  const documents = Array.isArray(body.documents) ? body.documents : [];
  const queryWords = new Set(query.toLowerCase().split(/\s+/).filter(Boolean));
  const scored = documents.map((document, index) => {
    const words = textOf(document).toLowerCase().split(/\s+/).filter(Boolean);
    const hits = words.filter((word) => queryWords.has(word)).length;
    return { index, relevance_score: words.length ? hits / words.length : 0, text: textOf(document) };
  });
  scored.sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  const top = scored.slice(0, numberField(body.top_n, scored.length));
  if (path.startsWith('/v2/')) {
    sendJson(response, { id: mockId('rerank-mock'), results: top.map(({ index, relevance_score }) => ({ index, relevance_score })), meta: { billed_units: { search_units: 1 } } });
    return;
  }
  const tokens = script.usage?.promptTokens ?? countWords(query) + documents.reduce<number>((sum, document) => sum + countWords(textOf(document)), 0);
  sendJson(response, { model: body.model ?? 'unknown', results: top.map(({ index, relevance_score, text }) => ({ index, relevance_score, document: { text } })), usage: { total_tokens: tokens } });
}

export async function handleOpenAiEndpoint(response: ServerResponse, path: string, body: Record<string, unknown>, script: MockScript): Promise<void> {
  if (path.endsWith('/completions')) handleCompletion(response, body, script);
  else if (path.endsWith('/images/generations') || path.endsWith('/images/edits')) handleImages(response, body, script);
  else if (path.endsWith('/audio/speech')) await handleSpeech(response, body);
  else if (path.endsWith('/audio/transcriptions')) handleTranscription(response, body, false);
  else if (path.endsWith('/audio/translations')) handleTranscription(response, body, true);
  else if (path.endsWith('/moderations')) handleModeration(response, body);
  else handleRerank(response, path, body, script);
}
