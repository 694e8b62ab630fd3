// The OpenAI chat adapter; OpenAI-compatible vendors reuse it unchanged.
import type { ChatAdapter } from '../provider-adapter';
import { prepareOpenAiChat, summariseOpenAiChatResponse } from './chat';
import { normaliseOpenAiError } from './errors';
import { createOpenAiStreamProcessor } from './stream';

export const openAiChatAdapter: ChatAdapter = {
  prepareChat: prepareOpenAiChat,
  summariseChatResponse: summariseOpenAiChatResponse,
  createStreamProcessor: createOpenAiStreamProcessor,
  normaliseError: normaliseOpenAiError,
};

export { readChatRequest, type ChatRequest } from './api';
