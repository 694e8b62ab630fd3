// Gemini both ways: the upstream chat adapter for gemini-type channels (OpenAI chat <-> generateContent), and the client
// wire for callers that speak Gemini (generateContent <-> OpenAI chat on any channel).
import type { ClientWire } from '../../relay/client-wire';
import type { ChatAdapter } from '../provider-adapter';
import { convertOpenAiResponseToGemini } from './convert-openai-response-to-gemini';
import { prepareGeminiChat, readGeminiChatResponse } from './gemini-chat';
import { geminiNativeAdapter } from './gemini-native';
import { normaliseGeminiError, toGeminiErrorBody } from './gemini-error';
import { createGeminiStreamProcessor } from './gemini-stream';
import { OpenAiToGeminiStream } from './openai-stream-to-gemini-frames';

export const geminiChatAdapter: ChatAdapter = {
  native: geminiNativeAdapter,
  prepareChat: prepareGeminiChat,
  readChatResponse: readGeminiChatResponse,
  createStreamProcessor: createGeminiStreamProcessor,
  normaliseError: normaliseGeminiError,
};

export const geminiClientWire: ClientWire = {
  protocol: 'gemini',
  errorBody: toGeminiErrorBody,
  convertJson(raw, model) {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return null;
    }
    const response = convertOpenAiResponseToGemini(json, model);
    return response ? Buffer.from(JSON.stringify(response)) : null;
  },
  createStreamTranslator: (options) => new OpenAiToGeminiStream({ model: options.model }),
};

export { convertGeminiRequestToOpenAi } from './convert-gemini-request-to-openai';
export { convertGeminiEmbedRequestToOpenAi, convertOpenAiEmbeddingToGemini } from './convert-gemini-embedding';
export { toGeminiErrorBody } from './gemini-error';
