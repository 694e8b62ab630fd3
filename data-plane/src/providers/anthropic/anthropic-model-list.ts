// GET /v1/models in Anthropic's shape for Anthropic clients: {data:[{type:'model', id, display_name, created_at}],
// has_more, first_id, last_id}, paged with limit / after_id / before_id.
import type { RequestIdState, StateMiddleware } from '../../context';
import { anthropicClientWire } from './index';

export interface AnthropicModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

export interface AnthropicModelPage {
  data: AnthropicModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export type AnthropicModelPageReading = { ok: true; page: AnthropicModelPage } | { ok: false; message: string; param: string };

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/**
 * The anthropic-version header alone decides: every Anthropic SDK sends it, no OpenAI client does, and the key may come
 * as x-api-key or (newer Anthropic SDKs, which send Authorization: Bearer) any other accepted way.
 */
export function wantsAnthropicModelList(headers: { get(name: string): string }): boolean {
  return headers.get('anthropic-version') !== '';
}

/** Marks a model-list request from an Anthropic client, so the answer and any error take Anthropic's shape. */
export function koaAnthropicModelsWire(): StateMiddleware<RequestIdState> {
  return async (ctx, next) => {
    if (wantsAnthropicModelList(ctx)) ctx.state.clientWire = anthropicClientWire;
    await next();
  };
}

export function anthropicModelInfo(id: string, createdAtSeconds: number): AnthropicModelInfo {
  // The snapshot has no display names or dates: the id and the gateway's fixed epoch stand in.
  return { type: 'model', id, display_name: id, created_at: new Date(createdAtSeconds * 1000).toISOString() };
}

function queryText(value: unknown): string | null {
  if (Array.isArray(value)) return queryText(value[0]);
  return typeof value === 'string' && value !== '' ? value : null;
}

export function anthropicModelPage(models: string[], query: Record<string, unknown>, createdAtSeconds: number): AnthropicModelPageReading {
  const limitText = queryText(query.limit);
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) return { ok: false, message: `limit: must be an integer between 1 and ${MAX_LIMIT}`, param: 'limit' };
  const afterId = queryText(query.after_id);
  const beforeId = queryText(query.before_id);
  let start = 0;
  let end = models.length;
  if (afterId !== null) start = models.indexOf(afterId) + 1;
  if (beforeId !== null) end = Math.max(0, models.indexOf(beforeId));
  // before_id pages backwards: the page is the `limit` models right before it.
  const window = beforeId !== null && afterId === null ? models.slice(Math.max(start, end - limit), end) : models.slice(start, Math.min(end, start + limit));
  const data = window.map((id) => anthropicModelInfo(id, createdAtSeconds));
  const has_more = beforeId !== null && afterId === null ? end - limit > start : start + limit < end;
  return { ok: true, page: { data, has_more, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null } };
}
