// Provider id -> chat adapter. Channels whose type has no adapter yet are skipped by the router.
import type { ProviderId } from '@nebulagate/schema';
import { openAiChatAdapter } from './openai';
import type { ChatAdapter } from './provider-adapter';

const OPENAI_WIRE_PROVIDERS: readonly ProviderId[] = [
  'openai',
  'openai-compatible',
  'deepseek',
  'moonshot',
  'siliconflow',
  'mistral',
  'xai',
  'groq',
  'openrouter',
  'perplexity',
  'together',
  'ollama',
];

export function chatAdapterFor(type: ProviderId): ChatAdapter | null {
  return OPENAI_WIRE_PROVIDERS.includes(type) ? openAiChatAdapter : null;
}
