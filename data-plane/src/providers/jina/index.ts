// Jina AI: rerank and embeddings, both in the shapes our callers send ({model, query, documents, top_n} and OpenAI's
// embeddings body), with usage as `usage.total_tokens`. Channel base URL includes the version (https://api.jina.ai/v1).
import type { ProviderAdapter, RelayEndpoint } from '../index';
import { openAiEndpointAdapter } from '../openai/endpoints';

export const JINA_DEFAULT_BASE_URL = 'https://api.jina.ai/v1';

export const jinaAdapter: ProviderAdapter = {
  endpoints: new Set<RelayEndpoint>(['rerank', 'embeddings']),
  chat: null,
  endpointAdapter: openAiEndpointAdapter,
  displayName: 'Jina AI',
  defaultBaseUrl: JINA_DEFAULT_BASE_URL,
};
