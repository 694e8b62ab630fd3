// The OpenAI Responses client wire: callers speak `POST /v1/responses`, chat-only channels answer, converted both ways.
// The wire is built per request because a Response echoes the request's settings (instructions, tools, ...).
import type { ClientWire } from '../../relay/client-wire';
import { toOpenAiErrorBody } from '../../relay/relay-error';
import type { ResponsesRequestEcho } from './convert-responses-request-to-openai';
import { convertOpenAiResponseToResponses } from './convert-openai-response-to-responses';
import { OpenAiToResponsesStream } from './openai-stream-to-responses-events';

const nowInSeconds = () => Math.floor(Date.now() / 1000);

export function createResponsesClientWire(echo: ResponsesRequestEcho): ClientWire {
  return {
    errorBody: toOpenAiErrorBody,
    convertJson(raw, model) {
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return null;
      }
      const response = convertOpenAiResponseToResponses(json, { model, echo, now: nowInSeconds() });
      return response ? Buffer.from(JSON.stringify(response)) : null;
    },
    createStreamTranslator: (options) => new OpenAiToResponsesStream({ model: options.model, echo, now: nowInSeconds }),
  };
}

export { convertResponsesRequestToOpenAi, type ResponsesRequestEcho } from './convert-responses-request-to-openai';
