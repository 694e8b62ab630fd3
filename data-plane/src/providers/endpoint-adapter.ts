// What the endpoint relay needs from a provider for the non-chat endpoints (legacy completions, embeddings, images,
// audio, moderations, rerank): build the upstream call, read usage from a JSON reply, normalise errors. Replies pass
// through as bytes, so an adapter only serves endpoints whose reply already has the caller's shape.
import type { TokenUsage } from '@nebulagate/schema';
import type { MultipartPart } from '../relay/multipart-form';
import type { RelayEndpoint } from './index';
import type { UpstreamFailure } from './provider-adapter';

/** The caller's body as the guard read it: a JSON object, or the parts of a multipart/form-data upload. */
export type EndpointPayload =
  | { kind: 'json'; json: Record<string, unknown> }
  | { kind: 'multipart'; parts: MultipartPart[]; boundary: string };

export interface EndpointCallInput {
  endpoint: RelayEndpoint;
  baseUrl: string;
  apiKey: string;
  payload: EndpointPayload;
  upstreamModel: string;
  stream: boolean;
  userAgent: string | null;
  /** The channel's parameterOverrides: top-level JSON fields to set (null removes); adapters may consume some. */
  parameterOverrides: Record<string, unknown>;
}

export interface PreparedEndpointCall {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface EndpointAdapter {
  prepare(input: EndpointCallInput): PreparedEndpointCall;
  /** Token usage reported in a 2xx JSON reply (already parsed); null when the reply reports none. */
  readUsage(endpoint: RelayEndpoint, reply: unknown): TokenUsage | null;
  normaliseError(status: number, bodyText: string, secrets: string[]): UpstreamFailure;
}
