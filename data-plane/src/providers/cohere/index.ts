// Cohere: rerank on its own v2 API (the caller's {model, query, documents, top_n} body is Cohere's shape already) and
// embeddings through its OpenAI-compatible Compatibility API. Channel base URL = the API origin (https://api.cohere.com).
import type { TokenUsage } from '@nebulagate/schema';
import type { ProviderAdapter, RelayEndpoint } from '../index';
import type { EndpointAdapter, EndpointCallInput, PreparedEndpointCall } from '../endpoint-adapter';
import { readOpenAiEndpointUsage } from '../openai/endpoint-usage';
import { openAiEndpointBody } from '../openai/endpoints';
import { normaliseOpenAiError } from '../openai/errors';
import type { UpstreamFailure } from '../provider-adapter';

export const COHERE_DEFAULT_BASE_URL = 'https://api.cohere.com';

const COHERE_PATHS: Partial<Record<RelayEndpoint, string>> = {
  rerank: '/v2/rerank',
  embeddings: '/compatibility/v1/embeddings',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** Cohere reports tokens under meta.billed_units (rerank bills search units, which carry no token count). */
export function readCohereUsage(reply: unknown): TokenUsage | null {
  const openAiStyle = readOpenAiEndpointUsage(reply);
  if (openAiStyle) return openAiStyle;
  if (!isObject(reply) || !isObject(reply.meta) || !isObject(reply.meta.billed_units)) return null;
  const units = reply.meta.billed_units;
  const input = count(units.input_tokens);
  const output = count(units.output_tokens);
  if (input === null && output === null) return null;
  return { promptTokens: input ?? 0, completionTokens: output ?? 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

/** Cohere errors are `{"message": "..."}`; the OpenAI normaliser handles status mapping and scrubbing. */
export function normaliseCohereError(status: number, bodyText: string, secrets: string[]): UpstreamFailure {
  let message: string | null = null;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (isObject(parsed) && typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: status only
  }
  return normaliseOpenAiError(status, message === null ? bodyText : JSON.stringify({ error: { message } }), secrets);
}

export function prepareCohereEndpoint(input: EndpointCallInput): PreparedEndpointCall {
  const { body, contentType } = openAiEndpointBody(input);
  const path = COHERE_PATHS[input.endpoint] ?? `/v2/${input.endpoint}`;
  const headers: Record<string, string> = {
    'content-type': contentType,
    accept: 'application/json',
    'accept-encoding': 'identity',
    authorization: `Bearer ${input.apiKey}`,
  };
  if (input.userAgent) headers['user-agent'] = input.userAgent;
  return { url: `${input.baseUrl.replace(/\/+$/, '')}${path}`, headers, body };
}

export const cohereEndpointAdapter: EndpointAdapter = {
  prepare: prepareCohereEndpoint,
  readUsage: (_endpoint, reply) => readCohereUsage(reply),
  normaliseError: normaliseCohereError,
};

export const cohereAdapter: ProviderAdapter = {
  endpoints: new Set<RelayEndpoint>(['rerank', 'embeddings']),
  chat: null,
  endpointAdapter: cohereEndpointAdapter,
  displayName: 'Cohere',
  defaultBaseUrl: COHERE_DEFAULT_BASE_URL,
};
