// Channel type -> provider adapter. Each adapter declares the endpoints it serves; the router skips channels whose
// adapter does not serve the endpoint being relayed (and channels whose type has no adapter yet).
import type { ProviderId } from '@nebulagate/schema';
import { anthropicChatAdapter } from './anthropic';
import { azureChatAdapter, azureEndpointAdapter, AZURE_ENDPOINTS } from './azure-openai';
import { cohereAdapter } from './cohere';
import { geminiChatAdapter } from './gemini';
import type { EndpointAdapter } from './endpoint-adapter';
import { jinaAdapter } from './jina';
import { openAiChatAdapter } from './openai';
import { openAiEndpointAdapter } from './openai/endpoints';
import { ALL_OPENAI_ENDPOINTS, openAiCompatibleAdapters } from './openai-compatible';
import type { ChatAdapter } from './provider-adapter';

/** What a caller asks the gateway for, independent of the wire format the caller speaks. */
export type RelayEndpoint =
  | 'chat'
  | 'completions'
  | 'embeddings'
  | 'image-generation'
  | 'image-edit'
  | 'speech'
  | 'transcription'
  | 'translation'
  | 'moderation'
  | 'rerank'
  /** The Realtime WebSocket (/v1/realtime); proxied as frames, so only OpenAI's own wire serves it. */
  | 'realtime';

export interface ProviderAdapter {
  /** Endpoints this provider serves; the chat endpoint needs `chat`. */
  endpoints: ReadonlySet<RelayEndpoint>;
  chat: ChatAdapter | null;
  /** Builds the upstream call for every endpoint except chat (completions, embeddings, images, audio, ...). */
  endpointAdapter?: EndpointAdapter | null;
  /** For the console and the README vendor table. */
  displayName?: string;
  /** Used when a channel's base URL is empty. */
  defaultBaseUrl?: string | null;
}

const ADAPTERS: Partial<Record<ProviderId, ProviderAdapter>> = {
  openai: {
    endpoints: new Set<RelayEndpoint>([...ALL_OPENAI_ENDPOINTS, 'realtime']),
    chat: openAiChatAdapter,
    endpointAdapter: openAiEndpointAdapter,
    displayName: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com/v1',
  },
  'azure-openai': { endpoints: new Set<RelayEndpoint>(AZURE_ENDPOINTS), chat: azureChatAdapter, endpointAdapter: azureEndpointAdapter, displayName: 'Azure OpenAI' },
  // deepseek, moonshot, zhipu, qwen, qianfan, hunyuan, spark, doubao, minimax, siliconflow, mistral, xai, groq,
  // openrouter, perplexity, together, ollama and the generic openai-compatible type: openai-compatible/vendor-table.ts.
  ...openAiCompatibleAdapters(),
  cohere: cohereAdapter,
  jina: jinaAdapter,
  anthropic: { endpoints: new Set<RelayEndpoint>(['chat']), chat: anthropicChatAdapter, displayName: 'Anthropic (Claude)', defaultBaseUrl: 'https://api.anthropic.com' },
  gemini: { endpoints: new Set<RelayEndpoint>(['chat']), chat: geminiChatAdapter, displayName: 'Google Gemini', defaultBaseUrl: 'https://generativelanguage.googleapis.com' },
};

export function providerAdapterFor(type: ProviderId): ProviderAdapter | null {
  return ADAPTERS[type] ?? null;
}

export function chatAdapterFor(type: ProviderId): ChatAdapter | null {
  return providerAdapterFor(type)?.chat ?? null;
}
