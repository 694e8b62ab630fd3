// Channel type -> provider adapter. Each adapter declares the endpoints it serves; the router skips channels whose
// adapter does not serve the endpoint being relayed (and channels whose type has no adapter yet).
import type { ProviderId } from '@nebulagate/schema';
import { openAiChatAdapter } from './openai';
import type { ChatAdapter } from './provider-adapter';

/** What a caller asks the gateway for, independent of the wire format the caller speaks. */
export type RelayEndpoint = 'chat';

export interface ProviderAdapter {
  /** Endpoints this provider serves; the chat endpoint needs `chat`. */
  endpoints: ReadonlySet<RelayEndpoint>;
  chat: ChatAdapter | null;
}

const openAiWire: ProviderAdapter = { endpoints: new Set<RelayEndpoint>(['chat']), chat: openAiChatAdapter };

const ADAPTERS: Partial<Record<ProviderId, ProviderAdapter>> = {
  openai: openAiWire,
  'openai-compatible': openAiWire,
  deepseek: openAiWire,
  moonshot: openAiWire,
  siliconflow: openAiWire,
  mistral: openAiWire,
  xai: openAiWire,
  groq: openAiWire,
  openrouter: openAiWire,
  perplexity: openAiWire,
  together: openAiWire,
  ollama: openAiWire,
};

export function providerAdapterFor(type: ProviderId): ProviderAdapter | null {
  return ADAPTERS[type] ?? null;
}

export function chatAdapterFor(type: ProviderId): ChatAdapter | null {
  return providerAdapterFor(type)?.chat ?? null;
}
