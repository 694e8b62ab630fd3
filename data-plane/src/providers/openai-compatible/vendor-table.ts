// Vendors that speak the OpenAI wire, configured by data: default base URL (with the version segment, as channel base
// URLs are stored), display name and the endpoints each one serves. Base URLs are the vendors' documented
// OpenAI-compatible ones (mainland-China region where a vendor has several); admins override them per channel.
import type { ProviderId } from '@nebulagate/schema';
import type { RelayEndpoint } from '../index';

export interface OpenAiCompatibleVendor {
  id: ProviderId;
  displayName: string;
  defaultBaseUrl: string;
  endpoints: readonly RelayEndpoint[];
}

/** Every endpoint of the OpenAI wire; the generic `openai-compatible` type leaves the choice to the admin. */
export const ALL_OPENAI_ENDPOINTS: readonly RelayEndpoint[] = [
  'chat',
  'completions',
  'embeddings',
  'image-generation',
  'image-edit',
  'speech',
  'transcription',
  'translation',
  'moderation',
  'rerank',
];

export const OPENAI_COMPATIBLE_VENDORS: readonly OpenAiCompatibleVendor[] = [
  { id: 'openai-compatible', displayName: 'OpenAI-compatible (any)', defaultBaseUrl: '', endpoints: ALL_OPENAI_ENDPOINTS },
  { id: 'deepseek', displayName: 'DeepSeek', defaultBaseUrl: 'https://api.deepseek.com/v1', endpoints: ['chat'] },
  { id: 'moonshot', displayName: 'Moonshot AI (Kimi)', defaultBaseUrl: 'https://api.moonshot.cn/v1', endpoints: ['chat'] },
  { id: 'zhipu', displayName: 'Zhipu AI (GLM)', defaultBaseUrl: 'https://open.bigmodel.cn/api/paas/v4', endpoints: ['chat', 'embeddings', 'image-generation'] },
  { id: 'qwen', displayName: 'Alibaba Qwen (DashScope compatible mode)', defaultBaseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', endpoints: ['chat', 'embeddings'] },
  { id: 'qianfan', displayName: 'Baidu Qianfan', defaultBaseUrl: 'https://qianfan.baidubce.com/v2', endpoints: ['chat', 'embeddings'] },
  { id: 'hunyuan', displayName: 'Tencent Hunyuan', defaultBaseUrl: 'https://api.hunyuan.cloud.tencent.com/v1', endpoints: ['chat'] },
  { id: 'spark', displayName: 'iFlytek Spark', defaultBaseUrl: 'https://spark-api-open.xf-yun.com/v1', endpoints: ['chat'] },
  { id: 'doubao', displayName: 'ByteDance Doubao (Volcengine Ark)', defaultBaseUrl: 'https://ark.cn-beijing.volces.com/api/v3', endpoints: ['chat', 'embeddings', 'image-generation'] },
  { id: 'minimax', displayName: 'MiniMax', defaultBaseUrl: 'https://api.minimaxi.com/v1', endpoints: ['chat'] },
  {
    id: 'siliconflow',
    displayName: 'SiliconFlow',
    defaultBaseUrl: 'https://api.siliconflow.cn/v1',
    endpoints: ['chat', 'embeddings', 'image-generation', 'speech', 'transcription', 'rerank'],
  },
  { id: 'mistral', displayName: 'Mistral AI', defaultBaseUrl: 'https://api.mistral.ai/v1', endpoints: ['chat', 'embeddings'] },
  { id: 'xai', displayName: 'xAI (Grok)', defaultBaseUrl: 'https://api.x.ai/v1', endpoints: ['chat', 'image-generation'] },
  { id: 'groq', displayName: 'Groq', defaultBaseUrl: 'https://api.groq.com/openai/v1', endpoints: ['chat', 'speech', 'transcription', 'translation'] },
  { id: 'openrouter', displayName: 'OpenRouter', defaultBaseUrl: 'https://openrouter.ai/api/v1', endpoints: ['chat', 'completions'] },
  { id: 'perplexity', displayName: 'Perplexity', defaultBaseUrl: 'https://api.perplexity.ai', endpoints: ['chat'] },
  {
    id: 'together',
    displayName: 'Together AI',
    defaultBaseUrl: 'https://api.together.xyz/v1',
    endpoints: ['chat', 'completions', 'embeddings', 'image-generation', 'rerank'],
  },
  { id: 'ollama', displayName: 'Ollama (local)', defaultBaseUrl: 'http://localhost:11434/v1', endpoints: ['chat', 'completions', 'embeddings'] },
];
