// Gemini embedContent (a caller speaking Gemini) <-> OpenAI embeddings: the request becomes an OpenAI embeddings body
// for the usual embeddings chain, and the OpenAI reply becomes Gemini's {embedding: {values}}. Pure.
import { isJsonObject, type JsonObject } from './gemini-api';
import type { GeminiRequestConversion } from './convert-gemini-request-to-openai';

/** Retrieval hints with no OpenAI counterpart; they do not change the reply's shape. */
const IGNORED_FIELDS = new Set(['model', 'taskType', 'title']);

export function convertGeminiEmbedRequestToOpenAi(request: JsonObject, model: string): GeminiRequestConversion {
  for (const field of Object.keys(request)) {
    if (!IGNORED_FIELDS.has(field) && field !== 'content' && field !== 'outputDimensionality') {
      return { ok: false, problem: { param: field, message: `'${field}' is not supported by this gateway` } };
    }
  }
  const content = request.content;
  if (!isJsonObject(content) || !Array.isArray(content.parts) || content.parts.length === 0) {
    return { ok: false, problem: { param: 'content', message: "'content' must have a non-empty 'parts' array" } };
  }
  const texts: string[] = [];
  for (const [index, part] of content.parts.entries()) {
    if (!isJsonObject(part) || typeof part.text !== 'string') {
      return { ok: false, problem: { param: `content.parts.${index}`, message: `'content.parts.${index}' must be a text part; only text can be embedded here` } };
    }
    texts.push(part.text);
  }
  const body: JsonObject = { model, input: texts.join('\n') };
  const dimensions = request.outputDimensionality;
  if (dimensions !== undefined && dimensions !== null) {
    if (typeof dimensions !== 'number' || !Number.isSafeInteger(dimensions) || dimensions <= 0) {
      return { ok: false, problem: { param: 'outputDimensionality', message: "'outputDimensionality' must be a positive integer" } };
    }
    body.dimensions = dimensions;
  }
  return { ok: true, body };
}

/** An embedding given as base64 (little-endian float32) or as numbers -> numbers; null when neither. */
function embeddingValues(embedding: unknown): number[] | null {
  if (Array.isArray(embedding)) return embedding.every((value) => typeof value === 'number') ? (embedding as number[]) : null;
  if (typeof embedding !== 'string') return null;
  const bytes = Buffer.from(embedding, 'base64');
  if (bytes.length % 4 !== 0) return null;
  const values: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 4) values.push(bytes.readFloatLE(offset));
  return values;
}

export function convertOpenAiEmbeddingToGemini(response: unknown): JsonObject | null {
  if (!isJsonObject(response) || !Array.isArray(response.data)) return null;
  const first: unknown = response.data[0];
  if (!isJsonObject(first)) return null;
  const values = embeddingValues(first.embedding);
  return values ? { embedding: { values } } : null;
}
