// OpenAI chat completion (non-streaming) -> Responses `Response` object. Pure; null when the reply is not a chat
// completion.
import type { ResponsesRequestEcho } from './convert-responses-request-to-openai';
import { convertOpenAiUsageToResponses } from './convert-openai-usage-to-responses';
import { mapOpenAiFinishReason } from './map-openai-finish-reason';
import { createResponseObject, outputTextPart, responsesIdSuffix, type OutputContentPart, type ResponseObject, type ResponsesOutputItem } from './response-object';

type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function convertOpenAiResponseToResponses(
  response: unknown,
  options: { model: string; echo: ResponsesRequestEcho; now: number },
): ResponseObject | null {
  if (!isJsonObject(response) || !Array.isArray(response.choices)) return null;
  const suffix = responsesIdSuffix(response.id);
  const createdAt = typeof response.created === 'number' ? response.created : options.now;
  const result = createResponseObject({ suffix, model: options.model, createdAt, echo: options.echo });
  const choice: unknown = response.choices[0];
  const finishReason = isJsonObject(choice) && typeof choice.finish_reason === 'string' ? choice.finish_reason : null;
  const outcome = mapOpenAiFinishReason(finishReason);
  const itemStatus = outcome.status === 'completed' ? 'completed' : 'incomplete';
  const output: ResponsesOutputItem[] = [];
  const message = isJsonObject(choice) ? choice.message : null;
  if (isJsonObject(message)) {
    if (typeof message.reasoning_content === 'string' && message.reasoning_content) {
      output.push({ type: 'reasoning', id: `rs_${suffix}`, status: itemStatus, summary: [], content: [{ type: 'reasoning_text', text: message.reasoning_content }] });
    }
    const content: OutputContentPart[] = [];
    if (typeof message.content === 'string' && message.content) content.push(outputTextPart(message.content));
    if (typeof message.refusal === 'string' && message.refusal) content.push({ type: 'refusal', refusal: message.refusal });
    if (content.length > 0) output.push({ type: 'message', id: `msg_${suffix}`, status: itemStatus, role: 'assistant', content });
    if (Array.isArray(message.tool_calls)) {
      message.tool_calls.forEach((call: unknown, index: number) => {
        if (!isJsonObject(call) || !isJsonObject(call.function)) return;
        const name = typeof call.function.name === 'string' ? call.function.name : '';
        const callArguments = typeof call.function.arguments === 'string' ? call.function.arguments : '';
        const callId = typeof call.id === 'string' && call.id ? call.id : `call_${suffix}_${index}`;
        output.push({ type: 'function_call', id: `fc_${suffix}_${index}`, status: itemStatus, call_id: callId, name, arguments: callArguments });
      });
    }
  }
  result.output = output;
  result.status = outcome.status;
  result.incomplete_details = outcome.incompleteDetails;
  result.completed_at = outcome.status === 'completed' ? options.now : null;
  result.usage = convertOpenAiUsageToResponses(response.usage);
  return result;
}
