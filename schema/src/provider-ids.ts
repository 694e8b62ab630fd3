// Channel types. A channel's type picks the data-plane adapter that speaks to it.
export const PROVIDER_IDS = [
  'openai',
  'azure-openai',
  'anthropic',
  'gemini',
  'deepseek',
  'moonshot',
  'zhipu',
  'qwen',
  'qianfan',
  'hunyuan',
  'spark',
  'doubao',
  'minimax',
  'siliconflow',
  'mistral',
  'xai',
  'groq',
  'openrouter',
  'perplexity',
  'together',
  'ollama',
  'cohere',
  'jina',
  'openai-compatible',
] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}
