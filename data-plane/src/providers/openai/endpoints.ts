// The OpenAI wire for the non-chat endpoints: path per endpoint, JSON body with the mapped model (and include_usage
// forced on completion streams), multipart uploads with the model field swapped, Bearer auth. Azure and the
// OpenAI-compatible vendors reuse the pieces.
import type { RelayEndpoint } from '../index';
import type { EndpointAdapter, EndpointCallInput, PreparedEndpointCall } from '../endpoint-adapter';
import { serializeMultipart, withMultipartTextField } from '../../relay/multipart-form';
import { readOpenAiEndpointUsage } from './endpoint-usage';
import { normaliseOpenAiError } from './errors';

/** Path of each endpoint below a channel base URL that includes the version segment (…/v1). */
export const OPENAI_ENDPOINT_PATHS: Record<RelayEndpoint, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  'image-generation': '/images/generations',
  'image-edit': '/images/edits',
  speech: '/audio/speech',
  transcription: '/audio/transcriptions',
  translation: '/audio/translations',
  moderation: '/moderations',
  rerank: '/rerank',
  realtime: '/realtime',
};

/** Sets/removes top-level fields (null removes); `consumed` names fields an adapter takes for itself (never sent). */
export function applyParameterOverrides(
  json: Record<string, unknown>,
  overrides: Record<string, unknown>,
  consumed: readonly string[] = [],
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...json };
  for (const [field, value] of Object.entries(overrides)) {
    if (consumed.includes(field)) continue;
    if (value === null) delete result[field];
    else result[field] = value;
  }
  for (const field of consumed) delete result[field];
  return result;
}

/** The upstream body and its content type; `modelInBody` false leaves the model out (Azure names it in the URL). */
export function openAiEndpointBody(
  input: EndpointCallInput,
  options: { consumedOverrides?: readonly string[]; modelInBody?: boolean } = {},
): { body: Buffer; contentType: string } {
  const modelInBody = options.modelInBody ?? true;
  if (input.payload.kind === 'multipart') {
    const parts = modelInBody ? withMultipartTextField(input.payload.parts, 'model', input.upstreamModel) : input.payload.parts;
    return { body: serializeMultipart(parts, input.payload.boundary), contentType: `multipart/form-data; boundary=${input.payload.boundary}` };
  }
  const json = applyParameterOverrides(input.payload.json, input.parameterOverrides, options.consumedOverrides);
  if (modelInBody) json.model = input.upstreamModel;
  if (input.endpoint === 'completions' && input.stream) {
    // Always ask for the usage chunk so streams are billed from real counts; stripped later if the client did not ask.
    const clientOptions = typeof json.stream_options === 'object' && json.stream_options !== null ? json.stream_options : {};
    json.stream_options = { ...clientOptions, include_usage: true };
  }
  return { body: Buffer.from(JSON.stringify(json)), contentType: 'application/json' };
}

export function acceptFor(endpoint: RelayEndpoint, stream: boolean): string {
  if (stream) return 'text/event-stream';
  return endpoint === 'speech' ? '*/*' : 'application/json';
}

export function prepareOpenAiEndpoint(input: EndpointCallInput): PreparedEndpointCall {
  const { body, contentType } = openAiEndpointBody(input);
  const headers: Record<string, string> = {
    'content-type': contentType,
    accept: acceptFor(input.endpoint, input.stream),
    'accept-encoding': 'identity',
    authorization: `Bearer ${input.apiKey}`,
  };
  if (input.userAgent) headers['user-agent'] = input.userAgent;
  return { url: `${input.baseUrl.replace(/\/+$/, '')}${OPENAI_ENDPOINT_PATHS[input.endpoint]}`, headers, body };
}

export const openAiEndpointAdapter: EndpointAdapter = {
  prepare: prepareOpenAiEndpoint,
  readUsage: (_endpoint, reply) => readOpenAiEndpointUsage(reply),
  normaliseError: normaliseOpenAiError,
};
