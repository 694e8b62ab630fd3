// The Anthropic Messages client wire: callers speak Anthropic, OpenAI-wire channels answer, converted both ways.
import type { ClientWire } from '../../relay/client-wire';
import { toAnthropicErrorBody } from './anthropic-error';
import { convertOpenAiResponseToAnthropic } from './convert-openai-response-to-anthropic';
import { OpenAiToAnthropicStream } from './openai-stream-to-anthropic-events';

export const anthropicClientWire: ClientWire = {
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
