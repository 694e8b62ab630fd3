// The chain pieces of the non-chat endpoints (completions, embeddings, images, audio, moderations, rerank): read the
// body (JSON or multipart, size cap after decompression), validate it and resolve model, route and price (4xx before
// any money moves), then reserve the endpoint's worst case and guarantee the reservation is closed.
import { computeCost, type RouteTier, type SnapshotPrice, type SnapshotSettings, type TokenUsage } from '@nebulagate/schema';
import type {
  AuthState,
  BodyState,
  DataPlaneServices,
  GovernanceState,
  LimitsState,
  RequestIdState,
  ReserveState,
  SnapshotState,
  StateMiddleware,
} from '../context';
import { providerAdapterFor, type RelayEndpoint } from '../providers';
import type { EndpointPayload } from '../providers/endpoint-adapter';
import { multipartBoundary, multipartTextField, parseMultipart, withMultipartTextField } from '../relay/multipart-form';
import { assertThat, RelayError } from '../relay/relay-error';
import { routeTiers } from '../relay/route-planner';
import { worstCasePromptTokens } from '../relay/usage-meter';
import { readRequestBody } from './koa-body';
import { koaReserveWith } from './koa-reserve';

/**
 * Also sets the shared `body` (a JSON body itself, or a multipart upload's text fields) so governance and limits run
 * as on chat; `body.bytes` counts billable text only (never uploaded files).
 */
export interface EndpointBodyState extends BodyState {
  endpointBody: {
    payload: EndpointPayload;
    /** Decoded body bytes. */
    bytes: number;
    /** Bytes of the text the upstream bills as input: the whole JSON body, or a multipart upload's text fields. */
    textBytes: number;
  };
}

export interface EndpointState {
  endpoint: {
    kind: RelayEndpoint;
    model: string;
    /** Only legacy completions stream. */
    stream: boolean;
    clientWantsUsage: boolean;
    /** The model's price with perCall multiplied by the number of images asked for. */
    price: SnapshotPrice | null;
    multiplier: number;
    tiers: RouteTier[];
    /** Usage reserved before the upstream call (priced with `price`). */
    worstCase: TokenUsage;
  };
}

export type EndpointRelayState = RequestIdState & SnapshotState & AuthState & EndpointBodyState & GovernanceState & EndpointState & LimitsState & ReserveState;

/** Endpoints whose OpenAI request is a multipart upload (image edits also accept JSON). */
const MULTIPART_ENDPOINTS: ReadonlySet<RelayEndpoint> = new Set<RelayEndpoint>(['image-edit', 'transcription', 'translation']);
const MAX_CHOICES = 128;
/** Endpoints whose token-priced models bill output tokens. */
const OUTPUT_TOKEN_ENDPOINTS: ReadonlySet<RelayEndpoint> = new Set<RelayEndpoint>(['image-generation', 'image-edit', 'speech', 'transcription', 'translation']);
const MULTIPART_ONLY_ENDPOINTS: ReadonlySet<RelayEndpoint> = new Set<RelayEndpoint>(['transcription', 'translation']);

function textBytesOf(payload: EndpointPayload, bytes: number): number {
  if (payload.kind === 'json') return bytes;
  return payload.parts.reduce((sum, part) => sum + (part.filename === null ? part.data.length : 0), 0);
}

export function koaEndpointBody(endpoint: RelayEndpoint): StateMiddleware<SnapshotState & EndpointBodyState> {
  return async (ctx, next) => {
    const limit = ctx.state.snapshot.settings.maxRequestBodyBytes;
    const boundary = multipartBoundary(ctx.get('content-type'));
    if (boundary === null && MULTIPART_ONLY_ENDPOINTS.has(endpoint)) {
      throw new RelayError('unsupported_media_type', 'This endpoint expects a multipart/form-data upload.');
    }
    if (boundary !== null && !MULTIPART_ENDPOINTS.has(endpoint)) {
      throw new RelayError('unsupported_media_type', 'This endpoint expects a JSON body (Content-Type: application/json).');
    }
    let raw: Buffer;
    try {
      raw = await readRequestBody(ctx.req, limit);
    } catch (error) {
      if (error instanceof RelayError && error.code === 'body_too_large') ctx.set('connection', 'close');
      throw error;
    }
    let payload: EndpointPayload;
    if (boundary !== null) {
      const parts = parseMultipart(raw, boundary);
      if (!parts) throw new RelayError('invalid_request', 'We could not parse the multipart/form-data body of your request.');
      payload = { kind: 'multipart', parts, boundary };
    } else {
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new RelayError('invalid_json', 'We could not parse the JSON body of your request.');
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new RelayError('invalid_request', 'The request body must be a JSON object.');
      payload = { kind: 'json', json: json as Record<string, unknown> };
    }
    const textBytes = textBytesOf(payload, raw.length);
    ctx.state.endpointBody = { payload, bytes: raw.length, textBytes };
    ctx.state.body = { json: payload.kind === 'json' ? payload.json : textFieldsOf(payload), bytes: textBytes };
    await next();
  };
}

function textFieldsOf(payload: EndpointPayload): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (payload.kind === 'multipart') for (const part of payload.parts) if (part.filename === null) fields[part.name] ??= part.data.toString('utf8');
  return fields;
}

/** Text fields governance rewrote (masks) in the multipart view go back into the upload; the model is mapped later. */
function syncMultipartText(payload: EndpointPayload, view: Record<string, unknown>): EndpointPayload {
  if (payload.kind !== 'multipart') return payload;
  let parts = payload.parts;
  for (const [name, value] of Object.entries(view)) {
    if (name !== 'model' && typeof value === 'string' && multipartTextField(parts, name) !== value) parts = withMultipartTextField(parts, name, value);
  }
  return parts === payload.parts ? payload : { ...payload, parts };
}

/** A field of either body kind, as text (multipart) or as parsed JSON. */
function fieldOf(payload: EndpointPayload, name: string): unknown {
  if (payload.kind === 'json') return payload.json[name];
  return multipartTextField(payload.parts, name) ?? undefined;
}

function positiveIntegerField(payload: EndpointPayload, name: string): number | null | 'invalid' {
  const value = fieldOf(payload, name);
  if (value === undefined || value === null) return null;
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : 'invalid';
}

/** The upstream's worst case for one request of this endpoint (tokens; perCall × n is in the effective price). */
export function endpointWorstCase(
  endpoint: RelayEndpoint,
  input: { textBytes: number; maxTokens: number | null; choices: number; price: SnapshotPrice | null; settings: Pick<SnapshotSettings, 'defaultMaxOutputTokens'> },
): TokenUsage {
  const promptTokens = worstCasePromptTokens(input.textBytes);
  const outputCap = input.maxTokens ?? input.price?.defaultMaxOutputTokens ?? input.settings.defaultMaxOutputTokens;
  let completionTokens = 0;
  if (endpoint === 'completions') completionTokens = outputCap * input.choices;
  // Token-priced images and audio (gpt-image-1, gpt-4o-transcribe, tts models) bill output tokens: reserve the cap
  // per image / per call, so a nearly empty wallet cannot get the work done for free.
  else if (OUTPUT_TOKEN_ENDPOINTS.has(endpoint) && (input.price?.outputPerMillion ?? 0) > 0) completionTokens = outputCap * input.choices;
  return { promptTokens, completionTokens, cacheReadTokens: 0, cacheWriteTokens: 0 };
}

/** Images bill perCall once per image asked for. */
export function effectivePrice(endpoint: RelayEndpoint, price: SnapshotPrice | null, images: number): SnapshotPrice | null {
  if (!price) return null;
  if (endpoint !== 'image-generation' && endpoint !== 'image-edit') return price;
  return { ...price, perCall: price.perCall * images };
}

export function koaEndpointGuard(endpoint: RelayEndpoint): StateMiddleware<SnapshotState & AuthState & EndpointBodyState & EndpointState> {
  return async (ctx, next) => {
    const { snapshot, auth, endpointBody } = ctx.state;
    const payload = syncMultipartText(endpointBody.payload, ctx.state.body.json);
    endpointBody.payload = payload;
    // From the shared body view: a governance reroute has already replaced it there.
    const model = ctx.state.body.json.model;
    assertThat(typeof model === 'string' && model.length > 0, 'invalid_request', 'you must provide a model parameter', 'model');
    const stream = fieldOf(payload, 'stream');
    const streaming = endpoint === 'completions' && stream === true;
    assertThat(stream === undefined || stream === null || typeof stream === 'boolean' || payload.kind === 'multipart', 'invalid_request', "'stream' must be a boolean", 'stream');
    // Only completions are relayed as a stream: an SSE image or transcription reply would carry its usage where the
    // buffered relay does not read it, and go unbilled.
    const asksToStream = stream === true || (typeof stream === 'string' && stream.trim().toLowerCase() === 'true');
    assertThat(endpoint === 'completions' || !asksToStream, 'invalid_request', `Streaming is not supported on ${ctx.path} by this gateway; send the request without 'stream'.`, 'stream');
    const partialImages = fieldOf(payload, 'partial_images');
    assertThat(partialImages === undefined || partialImages === null || partialImages === 0 || partialImages === '0', 'invalid_request', "'partial_images' needs streaming, which this gateway does not relay for images.", 'partial_images');
    const maxTokens = positiveIntegerField(payload, 'max_tokens');
    assertThat(maxTokens !== 'invalid', 'invalid_request', "'max_tokens' must be a positive integer", 'max_tokens');
    const count = positiveIntegerField(payload, 'n');
    // Bounded so a reservation of perCall x n (or max_tokens x n) stays a sane integer.
    assertThat(count !== 'invalid' && (count ?? 1) <= MAX_CHOICES, 'invalid_request', `'n' must be an integer from 1 to ${MAX_CHOICES}`, 'n');
    const bestOf = endpoint === 'completions' ? positiveIntegerField(payload, 'best_of') : null;
    assertThat(bestOf !== 'invalid' && (bestOf ?? 1) <= MAX_CHOICES, 'invalid_request', `'best_of' must be an integer from 1 to ${MAX_CHOICES}`, 'best_of');

    assertThat(auth.token.models === null || auth.token.models.includes(model), 'model_not_allowed', `This API key may not use the model "${model}".`, 'model');
    const tiers = routeTiers(snapshot, auth.group, model);
    assertThat(tiers, 'model_not_found', `The model "${model}" does not exist or you do not have access to it.`, 'model');
    const served = tiers.some((tier) =>
      tier.channels.some((entry) => {
        const channel = snapshot.channels[entry.channelId];
        return channel !== undefined && providerAdapterFor(channel.type)?.endpoints.has(endpoint) === true;
      }),
    );
    assertThat(served, 'invalid_request', `The model "${model}" cannot be used on ${ctx.path}: none of its channels serves this endpoint.`, 'model');
    const price = snapshot.prices[model] ?? null;
    assertThat(
      price !== null || snapshot.settings.allowUnpricedModels,
      'model_not_allowed',
      `The model "${model}" has no price configured yet, so it cannot be used. Ask an administrator to set its price.`,
      'model',
    );
    const choices = Math.max(count ?? 1, bestOf ?? 1);
    const streamOptions = fieldOf(payload, 'stream_options');
    const clientWantsUsage =
      streaming && typeof streamOptions === 'object' && streamOptions !== null && (streamOptions as { include_usage?: unknown }).include_usage === true;
    ctx.state.endpoint = {
      kind: endpoint,
      model,
      stream: streaming,
      clientWantsUsage,
      price: effectivePrice(endpoint, price, count ?? 1),
      multiplier: snapshot.groupMultipliers[auth.group] ?? 1,
      tiers,
      worstCase: endpointWorstCase(endpoint, { textBytes: endpointBody.textBytes, maxTokens, choices, price, settings: snapshot.settings }),
    };
    await next();
  };
}

export function koaEndpointReserve(
  services: Pick<DataPlaneServices, 'wallet' | 'usage' | 'inFlight' | 'billing'>,
): StateMiddleware<RequestIdState & SnapshotState & AuthState & GovernanceState & EndpointState & ReserveState> {
  return koaReserveWith(services, (state: RequestIdState & SnapshotState & AuthState & GovernanceState & EndpointState & ReserveState) => ({
    model: state.endpoint.model,
    stream: state.endpoint.stream,
    price: state.endpoint.price,
    multiplier: state.endpoint.multiplier,
    amount: state.endpoint.price ? computeCost(state.endpoint.worstCase, state.endpoint.price, state.endpoint.multiplier).total : 0,
  }));
}
