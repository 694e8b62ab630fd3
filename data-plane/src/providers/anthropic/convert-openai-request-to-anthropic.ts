// OpenAI chat completions request -> Anthropic Messages request, for Anthropic-type channels. Pure. Top-level fields
// are mapped by one table (field -> rule); a field or value with no Anthropic equivalent is refused with a clear
// message instead of being dropped silently.
import { isJsonObject, type JsonObject } from './anthropic-api';

export interface ConversionProblem {
  message: string;
  param: string;
}

export type OpenAiRequestConversion = { ok: true; body: JsonObject } | { ok: false; problem: ConversionProblem };

/** Anthropic requires max_tokens; used when the caller set neither max_completion_tokens nor max_tokens. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;
/** Extended-thinking budgets for OpenAI's reasoning_effort (Anthropic's minimum budget is 1024). */
const THINKING_BUDGETS: Record<string, number | null> = { none: null, minimal: null, low: 1024, medium: 4096, high: 16384 };
const MIN_THINKING_BUDGET = 1024;

class ConversionError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

function fail(param: string, message: string): never {
  throw new ConversionError(param, message);
}

function isNullish(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function unsupported(param: string, what: string): never {
  return fail(param, `${what} cannot be mapped to this model's channel (Anthropic Messages); remove it`);
}

// ---------------------------------------------------------------------------------------------------------------
// Top-level parameters: one rule per OpenAI field. Fields not in the table are refused.

type ParameterRule = (value: unknown, target: JsonObject, param: string) => void;

/** Read elsewhere in this file (they depend on each other), or only steer OpenAI-side features with no effect here. */
const skip: ParameterRule = () => undefined;

function number(targetField: string, minimum: number, maximum: number): ParameterRule {
  return (value, target, param) => {
    if (isNullish(value)) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(param, `'${param}' must be a number`);
    if (value < minimum || value > maximum) fail(param, `'${param}' must be between ${minimum} and ${maximum} on this model's channel`);
    target[targetField] = value;
  };
}

/** Accepts only the value(s) that mean "feature off"; anything else is refused. */
function onlyNeutral(isNeutral: (value: unknown) => boolean, what: string): ParameterRule {
  return (value, _target, param) => {
    if (!isNullish(value) && !isNeutral(value)) unsupported(param, what);
  };
}

const PARAMETERS: Record<string, ParameterRule> = {
  model: skip,
  messages: skip,
  max_tokens: skip,
  max_completion_tokens: skip,
  tools: skip,
  tool_choice: skip,
  parallel_tool_calls: skip,
  reasoning_effort: skip,
  // The gateway always reads usage from Anthropic's stream events.
  stream_options: skip,
  // No sampling seed upstream; answers stay valid without it.
  seed: skip,
  store: skip,
  metadata: skip,
  service_tier: skip,
  stream: (value, target, param) => {
    if (isNullish(value)) return;
    if (typeof value !== 'boolean') fail(param, `'${param}' must be a boolean`);
    if (value) target.stream = true;
  },
  temperature: number('temperature', 0, 1),
  top_p: number('top_p', 0, 1),
  top_k: (value, target, param) => {
    if (isNullish(value)) return;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(param, `'${param}' must be a non-negative integer`);
    target.top_k = value;
  },
  stop: (value, target, param) => {
    if (isNullish(value)) return;
    const sequences = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(sequences) || !sequences.every((item) => typeof item === 'string')) fail(param, `'${param}' must be a string or an array of strings`);
    if (sequences.length > 0) target.stop_sequences = sequences;
  },
  user: (value, target, param) => {
    if (isNullish(value)) return;
    if (typeof value !== 'string') fail(param, `'${param}' must be a string`);
    if (value) target.metadata = { user_id: value };
  },
  n: onlyNeutral((value) => value === 1, "'n' other than 1"),
  logprobs: onlyNeutral((value) => value === false, "'logprobs'"),
  top_logprobs: onlyNeutral((value) => value === 0, "'top_logprobs'"),
  frequency_penalty: onlyNeutral((value) => value === 0, "a non-zero 'frequency_penalty'"),
  presence_penalty: onlyNeutral((value) => value === 0, "a non-zero 'presence_penalty'"),
  logit_bias: onlyNeutral((value) => isJsonObject(value) && Object.keys(value).length === 0, "'logit_bias'"),
  response_format: onlyNeutral((value) => isJsonObject(value) && value.type === 'text', "'response_format' other than text"),
  modalities: onlyNeutral((value) => Array.isArray(value) && value.every((item) => item === 'text'), "'modalities' other than text"),
  audio: onlyNeutral(() => false, "'audio'"),
  prediction: onlyNeutral(() => false, "'prediction'"),
  web_search_options: onlyNeutral(() => false, "'web_search_options'"),
  functions: onlyNeutral(() => false, "the legacy 'functions' parameter (use 'tools')"),
  function_call: onlyNeutral(() => false, "the legacy 'function_call' parameter (use 'tool_choice')"),
};

// ---------------------------------------------------------------------------------------------------------------
// Messages.

type Role = 'user' | 'assistant';

interface Turn {
  role: Role;
  content: JsonObject[];
}

/** Copies a prompt-caching marker some OpenAI-wire clients put on content parts (OpenRouter convention). */
function withCacheControl(block: JsonObject, part: JsonObject): JsonObject {
  if (isJsonObject(part.cache_control)) block.cache_control = part.cache_control;
  return block;
}

function textBlock(text: string, part: JsonObject = {}): JsonObject | null {
  // Anthropic refuses empty text blocks.
  return text ? withCacheControl({ type: 'text', text }, part) : null;
}

function imageBlock(part: JsonObject, param: string): JsonObject {
  const image = part.image_url;
  const url = typeof image === 'string' ? image : isJsonObject(image) ? image.url : undefined;
  if (typeof url !== 'string') fail(`${param}.image_url.url`, `'${param}.image_url.url' must be a string`);
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return withCacheControl({ type: 'image', source: { type: 'base64', media_type: data[1], data: data[2] } }, part);
  if (/^https?:\/\//i.test(url)) return withCacheControl({ type: 'image', source: { type: 'url', url } }, part);
  return fail(`${param}.image_url.url`, `'${param}.image_url.url' must be a base64 data: URL or an http(s) URL`);
}

/** Text and image parts (user) or text and refusal parts (assistant, system, tool) -> Anthropic blocks. */
function contentToBlocks(content: unknown, param: string, allowImages: boolean): JsonObject[] {
  if (isNullish(content)) return [];
  if (typeof content === 'string') {
    const block = textBlock(content);
    return block ? [block] : [];
  }
  if (!Array.isArray(content)) fail(param, `'${param}' must be a string or an array of content parts`);
  const blocks: JsonObject[] = [];
  content.forEach((part, index) => {
    const partParam = `${param}.${index}`;
    if (!isJsonObject(part)) fail(partParam, `'${partParam}' must be a content part object`);
    if (part.type === 'text' || part.type === 'refusal') {
      const text = part.type === 'text' ? part.text : part.refusal;
      if (typeof text !== 'string') fail(partParam, `'${partParam}' must carry a string`);
      const block = textBlock(text, part);
      if (block) blocks.push(block);
    } else if (part.type === 'image_url' && allowImages) {
      blocks.push(imageBlock(part, partParam));
    } else {
      unsupported(`${partParam}.type`, `content part type "${String(part.type)}" here`);
    }
  });
  return blocks;
}

function textOf(content: unknown, param: string): string {
  return contentToBlocks(content, param, false)
    .map((block) => block.text as string)
    .join('\n');
}

function toolUseBlocks(toolCalls: unknown, param: string): JsonObject[] {
  if (isNullish(toolCalls)) return [];
  if (!Array.isArray(toolCalls)) fail(param, `'${param}' must be an array`);
  return toolCalls.map((call, index) => {
    const callParam = `${param}.${index}`;
    if (!isJsonObject(call) || !isJsonObject(call.function)) fail(callParam, `'${callParam}' must be a function tool call`);
    const { id } = call;
    const { name, arguments: argumentsText } = call.function;
    if (typeof id !== 'string' || typeof name !== 'string') fail(callParam, `'${callParam}' needs a string 'id' and 'function.name'`);
    let input: unknown = {};
    if (typeof argumentsText === 'string' && argumentsText.trim() !== '') {
      try {
        input = JSON.parse(argumentsText);
      } catch {
        fail(`${callParam}.function.arguments`, `'${callParam}.function.arguments' must be a JSON object`);
      }
    }
    if (!isJsonObject(input)) fail(`${callParam}.function.arguments`, `'${callParam}.function.arguments' must be a JSON object`);
    return { type: 'tool_use', id, name, input };
  });
}

/** Adds a turn, merging it into the previous one when the role repeats (Anthropic needs alternating roles). */
function pushTurn(turns: Turn[], turn: Turn): void {
  if (turn.content.length === 0) return;
  const last = turns[turns.length - 1];
  if (!last || last.role !== turn.role) {
    turns.push(turn);
    return;
  }
  last.content.push(...turn.content);
  // In a user turn, tool results must come before any other content.
  if (last.role === 'user') {
    last.content = [...last.content.filter((block) => block.type === 'tool_result'), ...last.content.filter((block) => block.type !== 'tool_result')];
  }
}

function convertMessages(messages: unknown[]): { system: JsonObject[]; turns: Turn[] } {
  const system: JsonObject[] = [];
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    const param = `messages.${index}`;
    if (!isJsonObject(message)) fail(param, `'${param}' must be an object`);
    const contentParam = `${param}.content`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...contentToBlocks(message.content, contentParam, false));
        break;
      case 'user':
        pushTurn(turns, { role: 'user', content: contentToBlocks(message.content, contentParam, true) });
        break;
      case 'assistant':
        if (!isNullish(message.function_call)) unsupported(`${param}.function_call`, "the legacy 'function_call' message field");
        // reasoning_content is not replayed: Anthropic needs the signature that only its own thinking blocks carry.
        pushTurn(turns, { role: 'assistant', content: [...contentToBlocks(message.content, contentParam, false), ...toolUseBlocks(message.tool_calls, `${param}.tool_calls`)] });
        break;
      case 'tool': {
        if (typeof message.tool_call_id !== 'string') fail(`${param}.tool_call_id`, `'${param}.tool_call_id' must be a string`);
        const result: JsonObject = { type: 'tool_result', tool_use_id: message.tool_call_id };
        const text = textOf(message.content, contentParam);
        if (text) result.content = text;
        pushTurn(turns, { role: 'user', content: [result] });
        break;
      }
      default:
        fail(`${param}.role`, `'${param}.role' "${String(message.role)}" is not supported on this model's channel`);
    }
  });
  return { system, turns };
}

// ---------------------------------------------------------------------------------------------------------------
// Tools.

function convertTools(tools: unknown): JsonObject[] {
  if (isNullish(tools)) return [];
  if (!Array.isArray(tools)) fail('tools', "'tools' must be an array");
  return tools.map((tool, index) => {
    const param = `tools.${index}`;
    if (!isJsonObject(tool) || tool.type !== 'function' || !isJsonObject(tool.function)) unsupported(`${param}.type`, 'a tool that is not a function tool');
    const { name, description, parameters } = tool.function;
    if (typeof name !== 'string' || name.length === 0) fail(`${param}.function.name`, `'${param}.function.name' must be a non-empty string`);
    if (!isNullish(parameters) && !isJsonObject(parameters)) fail(`${param}.function.parameters`, `'${param}.function.parameters' must be a JSON schema object`);
    const converted: JsonObject = { name, input_schema: parameters ?? { type: 'object', properties: {} } };
    if (typeof description === 'string' && description) converted.description = description;
    return withCacheControl(converted, tool);
  });
}

function convertToolChoice(choice: unknown, parallelToolCalls: unknown): JsonObject | null {
  let converted: JsonObject | null = null;
  if (choice === 'auto') converted = { type: 'auto' };
  else if (choice === 'none') converted = { type: 'none' };
  else if (choice === 'required') converted = { type: 'any' };
  else if (isJsonObject(choice) && choice.type === 'function' && isJsonObject(choice.function) && typeof choice.function.name === 'string') {
    converted = { type: 'tool', name: choice.function.name };
  } else if (!isNullish(choice)) {
    fail('tool_choice', "'tool_choice' must be auto, none, required or a named function on this model's channel");
  }
  if (!isNullish(parallelToolCalls) && typeof parallelToolCalls !== 'boolean') fail('parallel_tool_calls', "'parallel_tool_calls' must be a boolean");
  if (parallelToolCalls === false) {
    converted ??= { type: 'auto' };
    if (converted.type !== 'none') converted.disable_parallel_tool_use = true;
  }
  return converted;
}

// ---------------------------------------------------------------------------------------------------------------

function maxTokensOf(request: JsonObject): number {
  const value = request.max_completion_tokens ?? request.max_tokens;
  return typeof value === 'number' ? value : DEFAULT_ANTHROPIC_MAX_TOKENS;
}

function thinkingOf(effort: unknown, maxTokens: number): JsonObject | null {
  if (isNullish(effort)) return null;
  if (typeof effort !== 'string' || !Object.hasOwn(THINKING_BUDGETS, effort)) fail('reasoning_effort', "'reasoning_effort' must be none, minimal, low, medium or high");
  const preset = THINKING_BUDGETS[effort] ?? null;
  if (preset === null) return null;
  // The budget must stay below max_tokens.
  const budget = Math.min(preset, maxTokens - 1);
  if (budget < MIN_THINKING_BUDGET) fail('reasoning_effort', `'reasoning_effort' needs 'max_tokens' above ${MIN_THINKING_BUDGET} on this model's channel`);
  return { type: 'enabled', budget_tokens: budget };
}

function continuesToolLoop(turns: Turn[]): boolean {
  const last = turns[turns.length - 1];
  return last?.role === 'user' && last.content.some((block) => block.type === 'tool_result');
}

function convert(request: JsonObject, upstreamModel: string): JsonObject {
  const body: JsonObject = { model: upstreamModel };
  for (const [field, value] of Object.entries(request)) {
    const rule = Object.hasOwn(PARAMETERS, field) ? PARAMETERS[field] : undefined;
    if (!rule) unsupported(field, `'${field}'`);
    rule(value, body, field);
  }
  const messages = request.messages;
  if (!Array.isArray(messages)) fail('messages', "'messages' must be an array");
  const { system, turns } = convertMessages(messages);
  if (turns.length === 0) fail('messages', "'messages' needs at least one user or assistant message with content");
  if (system.length > 0) body.system = system;
  body.messages = turns;
  body.max_tokens = maxTokensOf(request);
  const tools = convertTools(request.tools);
  if (tools.length > 0) {
    body.tools = tools;
    const toolChoice = convertToolChoice(request.tool_choice, request.parallel_tool_calls);
    if (toolChoice) body.tool_choice = toolChoice;
  }
  const thinking = thinkingOf(request.reasoning_effort, body.max_tokens as number);
  // Continuing a tool loop with thinking on needs the signed thinking block of the last assistant turn, which an
  // OpenAI history cannot carry: that one request goes without thinking rather than failing upstream.
  if (thinking && !continuesToolLoop(turns)) body.thinking = thinking;
  return body;
}

export function convertOpenAiRequestToAnthropic(request: JsonObject, upstreamModel: string): OpenAiRequestConversion {
  try {
    return { ok: true, body: convert(request, upstreamModel) };
  } catch (error) {
    if (error instanceof ConversionError) return { ok: false, problem: { message: error.message, param: error.param } };
    throw error;
  }
}
