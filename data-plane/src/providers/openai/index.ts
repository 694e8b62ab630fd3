// The OpenAI chat adapter; OpenAI-compatible vendors reuse it unchanged.
import type { ChatAdapter } from '../provider-adapter';
import { prepareOpenAiChat, readOpenAiChatResponse } from './chat';
import { normaliseOpenAiError } from './errors';
import { createOpenAiStreamProcessor } from './stream';

export const openAiChatAdapter: ChatAdapter = {
  prepareChat: prepareOpenAiChat,
  readChatResponse: readOpenAiChatResponse,
  createStreamProcessor: createOpenAiStreamProcessor,
  normaliseError: normaliseOpenAiError,
};

export { readChatRequest, type ChatRequest } from './api';
