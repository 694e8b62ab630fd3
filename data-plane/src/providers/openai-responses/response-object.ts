// The Response object and its output items as the openai SDK types them (resources/responses/responses.ts), and the
// shell that echoes the request's settings around a reply.
import type { ResponsesRequestEcho } from './convert-responses-request-to-openai';
import type { ResponsesOutcome } from './map-openai-finish-reason';
import type { ResponsesUsage } from './convert-openai-usage-to-responses';

type JsonObject = Record<string, unknown>;
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export type OutputContentPart = { type: 'output_text'; text: string; annotations: []; logprobs: [] } | { type: 'refusal'; refusal: string };

export type ResponsesOutputItem =
  | { type: 'message'; id: string; status: ItemStatus; role: 'assistant'; content: OutputContentPart[] }
  | { type: 'reasoning'; id: string; status: ItemStatus; summary: []; content: Array<{ type: 'reasoning_text'; text: string }> }
  | { type: 'function_call'; id: string; status: ItemStatus; call_id: string; name: string; arguments: string };

export interface ResponsesError {
  code: 'server_error' | 'rate_limit_exceeded';
  message: string;
}

export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  completed_at: number | null;
  error: ResponsesError | null;
  incomplete_details: ResponsesOutcome['incompleteDetails'];
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: ResponsesOutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: null;
  reasoning: JsonObject | null;
  store: boolean;
  temperature: number | null;
  text: JsonObject;
  tool_choice: unknown;
  tools: JsonObject[];
  top_p: number | null;
  truncation: 'disabled';
  usage: ResponsesUsage | null;
  user: string | null;
  metadata: JsonObject;
}

/** Our ids keep the upstream completion id so logs on both sides line up. */
export function responsesIdSuffix(openAiId: unknown): string {
  if (typeof openAiId === 'string' && openAiId) return openAiId.replace(/^chatcmpl-/, '').replace(/[^A-Za-z0-9_-]/g, '');
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export function outputTextPart(text: string): OutputContentPart {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function createResponseObject(options: { suffix: string; model: string; createdAt: number; echo: ResponsesRequestEcho }): ResponseObject {
  const { echo } = options;
  return {
    id: `resp_${options.suffix}`,
    object: 'response',
    created_at: options.createdAt,
    status: 'in_progress',
    completed_at: null,
    error: null,
    incomplete_details: null,
    instructions: echo.instructions,
    max_output_tokens: echo.maxOutputTokens,
    model: options.model,
    output: [],
    parallel_tool_calls: echo.parallelToolCalls,
    previous_response_id: null,
    reasoning: echo.reasoning,
    store: echo.store,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.toolChoice,
    tools: echo.tools,
    top_p: echo.topP,
    truncation: 'disabled',
    usage: null,
    user: echo.user,
    metadata: echo.metadata ?? {},
  };
}
