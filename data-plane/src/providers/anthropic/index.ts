// Anthropic Messages both ways: the client wire (callers speak Anthropic, the relay's OpenAI answers are converted) and
// the upstream chat adapter (an Anthropic-type channel serves the relay's OpenAI chat).
import type { ClientWire } from '../../relay/client-wire';
import type { ChatAdapter } from '../provider-adapter';
import { anthropicNativeAdapter } from './anthropic-native';
import { prepareAnthropicChat, readAnthropicChatResponse } from './anthropic-chat';
import { createAnthropicStreamProcessor } from './anthropic-stream-to-openai-chunks';
import { normaliseAnthropicError } from './normalise-anthropic-error';
import { toAnthropicErrorBody } from './anthropic-error';
import { convertOpenAiResponseToAnthropic } from './convert-openai-response-to-anthropic';
import { OpenAiToAnthropicStream } from './openai-stream-to-anthropic-events';

export const anthropicClientWire: ClientWire = {
  protocol: 'anthropic',
  errorBody: toAnthropicErrorBody,
  convertJson(raw, model) {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return null;
    }
    const message = convertOpenAiResponseToAnthropic(json, model);
    return message ? Buffer.from(JSON.stringify(message)) : null;
  },
  createStreamTranslator: (options) => new OpenAiToAnthropicStream(options),
};

export { convertAnthropicRequestToOpenAi } from './convert-anthropic-request-to-openai';
export { toAnthropicErrorBody } from './anthropic-error';

/** The upstream direction: an Anthropic-type channel serving the relay's OpenAI chat. */
export const anthropicChatAdapter: ChatAdapter = {
  native: anthropicNativeAdapter,
  prepareChat: prepareAnthropicChat,
  readChatResponse: readAnthropicChatResponse,
  createStreamProcessor: createAnthropicStreamProcessor,
  normaliseError: normaliseAnthropicError,
};
