// Anthropic Messages request -> OpenAI chat completions request, for OpenAI-wire channels. Pure; a field that has no
// OpenAI equivalent is refused with a clear message instead of being dropped silently.

type JsonObject = Record<string, unknown>;

export interface ConversionProblem {
  message: string;
  param: string;
}

export type AnthropicRequestConversion = { ok: true; body: JsonObject } | { ok: false; problem: ConversionProblem };

class ConversionError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(param: string, message: string): never {
  throw new ConversionError(param, message);
}

/** Fields that only steer Anthropic's own behaviour (caching, tracing) and have no effect on the answer. */
const IGNORED_FIELDS = new Set(['metadata', 'anthropic_version', 'service_tier', 'container', 'context_management']);
const MAPPED_FIELDS = new Set(['model', 'messages', 'system', 'max_tokens', 'stop_sequences', 'stream', 'temperature', 'top_p', 'tools', 'tool_choice', 'thinking']);

function textOfBlocks(blocks: unknown, param: string): string {
  if (typeof blocks === 'string') return blocks;
  if (!Array.isArray(blocks)) fail(param, `'${param}' must be a string or an array of text blocks`);
  return blocks
    .map((block, index) => {
      if (!isJsonObject(block) || block.type !== 'text' || typeof block.text !== 'string') {
        fail(`${param}.${index}`, `'${param}.${index}' must be a text block; only text is supported here`);
      }
      return block.text;
    })
    .join('\n');
}

function convertImage(block: JsonObject, param: string): JsonObject {
  const source = block.source;
  if (!isJsonObject(source)) fail(`${param}.source`, `'${param}.source' must be an object`);
  if (source.type === 'base64') {
    if (typeof source.media_type !== 'string' || typeof source.data !== 'string') {
      fail(`${param}.source`, `'${param}.source' needs string 'media_type' and 'data'`);
    }
    return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source.type === 'url') {
    if (typeof source.url !== 'string') fail(`${param}.source.url`, `'${param}.source.url' must be a string`);
    return { type: 'image_url', image_url: { url: source.url } };
  }
  return fail(`${param}.source.type`, `image source type "${String(source.type)}" is not supported; use base64 or url`);
}

function toolResultContent(content: unknown, param: string): string {
  if (content === undefined || content === null) return '';
  return textOfBlocks(content, `${param}.content`);
}

/** The blocks of an array message content, each checked to be an object and named by its parameter path. */
function contentBlocks(content: unknown[], param: string): Array<{ block: JsonObject; blockParam: string }> {
  return content.map((block, index) => {
    const blockParam = `${param}.${index}`;
    if (!isJsonObject(block)) fail(blockParam, `'${blockParam}' must be a content block object`);
    return { block, blockParam };
  });
}

function blockText(block: JsonObject, blockParam: string): string {
  if (typeof block.text !== 'string') fail(`${blockParam}.text`, `'${blockParam}.text' must be a string`);
  return block.text;
}

function convertUserMessage(content: unknown, param: string): JsonObject[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  if (!Array.isArray(content)) fail(param, `'${param}' must be a string or an array of content blocks`);
  const toolMessages: JsonObject[] = [];
  const parts: JsonObject[] = [];
  for (const { block, blockParam } of contentBlocks(content, param)) {
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: blockText(block, blockParam) });
        break;
      case 'image':
        parts.push(convertImage(block, blockParam));
        break;
      case 'tool_result': {
        if (typeof block.tool_use_id !== 'string') fail(`${blockParam}.tool_use_id`, `'${blockParam}.tool_use_id' must be a string`);
        const text = toolResultContent(block.content, blockParam);
        toolMessages.push({ role: 'tool', tool_call_id: block.tool_use_id, content: block.is_error === true && text ? `Error: ${text}` : text });
        break;
      }
      default:
        fail(`${blockParam}.type`, `content block type "${String(block.type)}" is not supported on this model's channel`);
    }
  }
  // OpenAI wants tool results right after the assistant's tool calls, before any new user text.
  const messages = [...toolMessages];
  if (parts.length > 0) {
    const onlyText = parts.every((part) => part.type === 'text');
    messages.push({ role: 'user', content: onlyText ? parts.map((part) => part.text as string).join('\n') : parts });
  }
  return messages;
}

function convertAssistantMessage(content: unknown, param: string): JsonObject {
  if (typeof content === 'string') return { role: 'assistant', content };
  if (!Array.isArray(content)) fail(param, `'${param}' must be a string or an array of content blocks`);
  const texts: string[] = [];
  const toolCalls: JsonObject[] = [];
  for (const { block, blockParam } of contentBlocks(content, param)) {
    switch (block.type) {
      case 'text':
        texts.push(blockText(block, blockParam));
        break;
      case 'tool_use':
        if (typeof block.id !== 'string' || typeof block.name !== 'string') {
          fail(blockParam, `'${blockParam}' needs string 'id' and 'name'`);
        }
        toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
        break;
      case 'thinking':
      case 'redacted_thinking':
        // Earlier reasoning cannot be replayed to an OpenAI-wire model; it is not part of the answer.
        break;
      default:
        fail(`${blockParam}.type`, `content block type "${String(block.type)}" is not supported in assistant messages`);
    }
  }
  const message: JsonObject = { role: 'assistant', content: texts.length > 0 ? texts.join('') : null };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

function convertTools(tools: unknown): JsonObject[] {
  if (!Array.isArray(tools)) fail('tools', "'tools' must be an array");
  return tools.map((tool, index) => {
    const param = `tools.${index}`;
    if (!isJsonObject(tool)) fail(param, `'${param}' must be an object`);
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      fail(`${param}.type`, `server tool "${String(tool.type)}" is not supported on this model's channel`);
    }
    if (typeof tool.name !== 'string' || tool.name.length === 0) fail(`${param}.name`, `'${param}.name' must be a non-empty string`);
    if (!isJsonObject(tool.input_schema)) fail(`${param}.input_schema`, `'${param}.input_schema' must be a JSON schema object`);
    const definition: JsonObject = { name: tool.name, parameters: tool.input_schema };
    if (typeof tool.description === 'string') definition.description = tool.description;
    return { type: 'function', function: definition };
  });
}

function convertToolChoice(choice: unknown, target: JsonObject): void {
  if (!isJsonObject(choice)) fail('tool_choice', "'tool_choice' must be an object");
  switch (choice.type) {
    case 'auto':
      target.tool_choice = 'auto';
      break;
    case 'any':
      target.tool_choice = 'required';
      break;
    case 'none':
      target.tool_choice = 'none';
      break;
    case 'tool':
      if (typeof choice.name !== 'string') fail('tool_choice.name', "'tool_choice.name' must be a string");
      target.tool_choice = { type: 'function', function: { name: choice.name } };
      break;
    default:
      fail('tool_choice.type', `tool_choice type "${String(choice.type)}" is not supported; use auto, any, tool or none`);
  }
  if (choice.disable_parallel_tool_use === true && choice.type !== 'none') target.parallel_tool_calls = false;
}

function convert(request: JsonObject): JsonObject {
  for (const field of Object.keys(request)) {
    if (field === 'top_k') fail('top_k', "'top_k' cannot be mapped to this model's channel; remove it");
    if (!MAPPED_FIELDS.has(field) && !IGNORED_FIELDS.has(field)) fail(field, `'${field}' is not supported by this gateway for this model's channel`);
  }
  const { model, messages, system, max_tokens: maxTokens, stop_sequences: stopSequences, stream, temperature, top_p: topP, tools, tool_choice: toolChoice, thinking } = request;
  if (typeof model !== 'string' || model.length === 0) fail('model', "'model' is required and must be a non-empty string");
  if (typeof maxTokens !== 'number' || !Number.isSafeInteger(maxTokens) || maxTokens < 1) fail('max_tokens', "'max_tokens' is required and must be a positive integer");
  if (!Array.isArray(messages) || messages.length === 0) fail('messages', "'messages' must be a non-empty array");
  if (thinking !== undefined && thinking !== null && !(isJsonObject(thinking) && thinking.type === 'disabled')) {
    fail('thinking', "extended 'thinking' cannot be mapped to this model's channel; remove it or set it to disabled");
  }

  const openAiMessages: JsonObject[] = [];
  if (system !== undefined && system !== null) {
    const text = textOfBlocks(system, 'system');
    if (text) openAiMessages.push({ role: 'system', content: text });
  }
  messages.forEach((message, index) => {
    const param = `messages.${index}`;
    if (!isJsonObject(message)) fail(param, `'${param}' must be an object`);
    if (message.role === 'user') openAiMessages.push(...convertUserMessage(message.content, `${param}.content`));
    else if (message.role === 'assistant') openAiMessages.push(convertAssistantMessage(message.content, `${param}.content`));
    else fail(`${param}.role`, `'${param}.role' must be "user" or "assistant"`);
  });

  const body: JsonObject = { model, messages: openAiMessages, max_tokens: maxTokens };
  if (stopSequences !== undefined && stopSequences !== null) {
    if (!Array.isArray(stopSequences) || !stopSequences.every((item) => typeof item === 'string')) fail('stop_sequences', "'stop_sequences' must be an array of strings");
    if (stopSequences.length > 0) body.stop = stopSequences;
  }
  if (stream !== undefined && stream !== null) {
    if (typeof stream !== 'boolean') fail('stream', "'stream' must be a boolean");
    body.stream = stream;
  }
  if (temperature !== undefined && temperature !== null) {
    if (typeof temperature !== 'number') fail('temperature', "'temperature' must be a number");
    body.temperature = temperature;
  }
  if (topP !== undefined && topP !== null) {
    if (typeof topP !== 'number') fail('top_p', "'top_p' must be a number");
    body.top_p = topP;
  }
  if (tools !== undefined && tools !== null) {
    const converted = convertTools(tools);
    if (converted.length > 0) body.tools = converted;
  }
  if (toolChoice !== undefined && toolChoice !== null) convertToolChoice(toolChoice, body);
  return body;
}

export function convertAnthropicRequestToOpenAi(request: JsonObject): AnthropicRequestConversion {
  try {
    return { ok: true, body: convert(request) };
  } catch (error) {
    if (error instanceof ConversionError) return { ok: false, problem: { message: error.message, param: error.param } };
    throw error;
  }
}
