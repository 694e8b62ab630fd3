// OpenAI Responses request (`POST /v1/responses`) -> OpenAI chat completions request, for chat-only channels. Pure; a
// field that needs server-side state or a hosted tool is refused with a clear message instead of being dropped.

type JsonObject = Record<string, unknown>;

export interface ConversionProblem {
  message: string;
  param: string;
}

/** The request fields a Response object echoes back (the SDK and Codex read some of them). */
export interface ResponsesRequestEcho {
  instructions: string | null;
  metadata: JsonObject | null;
  tools: JsonObject[];
  toolChoice: unknown;
  temperature: number | null;
  topP: number | null;
  parallelToolCalls: boolean;
  maxOutputTokens: number | null;
  reasoning: JsonObject | null;
  text: JsonObject;
  store: boolean;
  user: string | null;
}

export type ResponsesRequestConversion =
  | { ok: true; body: JsonObject; echo: ResponsesRequestEcho }
  | { ok: false; problem: ConversionProblem };

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

function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function fail(param: string, message: string): never {
  throw new ConversionError(param, message);
}

const STATELESS = 'this gateway does not store responses or conversations; send the whole conversation in `input`';

/** Fields that only steer OpenAI's own storage, caching, tracing or billing tier; they do not change the answer. */
const IGNORED_FIELDS = new Set([
  'metadata',
  'store',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'service_tier',
  'include',
  'stream_options',
  'truncation',
  'moderation',
]);
const MAPPED_FIELDS = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'max_output_tokens',
  'temperature',
  'top_p',
  'text',
  'reasoning',
  'parallel_tool_calls',
  'stream',
]);
/** Fields that need state or machinery this gateway does not have: refused when set. */
const REFUSED_FIELDS: Record<string, string> = {
  previous_response_id: `'previous_response_id' is not supported: ${STATELESS}`,
  conversation: `'conversation' is not supported: ${STATELESS}`,
  background: "'background' mode is not supported by this gateway; use stream or a plain request",
  prompt: "stored prompt templates ('prompt') are not supported by this gateway; send 'instructions' and 'input'",
  context_management: "'context_management' (server-side compaction) is not supported by this gateway",
  top_logprobs: "'top_logprobs' is not supported by this gateway for the Responses API",
};

function optionalNumber(request: JsonObject, field: string): number | null {
  const value = request[field];
  if (isAbsent(value)) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, `'${field}' must be a number`);
  return value;
}

function textOfParts(content: unknown, param: string, allowed: ReadonlySet<string>): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) fail(param, `'${param}' must be a string or an array of content parts`);
  return content
    .map((part, index) => {
      const partParam = `${param}.${index}`;
      if (!isJsonObject(part) || typeof part.type !== 'string' || !allowed.has(part.type)) {
        fail(partParam, `'${partParam}' must be one of: ${[...allowed].join(', ')}`);
      }
      const text = part.type === 'refusal' ? part.refusal : part.text;
      if (typeof text !== 'string') fail(partParam, `'${partParam}' needs a string '${part.type === 'refusal' ? 'refusal' : 'text'}'`);
      return text;
    })
    .join('');
}

function convertImagePart(part: JsonObject, param: string): JsonObject {
  if (!isAbsent(part.file_id)) fail(`${param}.file_id`, "'file_id' images are not supported by this gateway; send 'image_url' (a URL or a data URL)");
  if (typeof part.image_url !== 'string' || part.image_url.length === 0) fail(`${param}.image_url`, `'${param}.image_url' must be a URL or a data URL`);
  const imageUrl: JsonObject = { url: part.image_url };
  if (part.detail === 'low' || part.detail === 'high' || part.detail === 'auto') imageUrl.detail = part.detail;
  return { type: 'image_url', image_url: imageUrl };
}

function convertFilePart(part: JsonObject, param: string): JsonObject {
  if (typeof part.file_data !== 'string' || part.file_data.length === 0) {
    fail(param, `'${param}' needs 'file_data' (a data URL); 'file_id' and 'file_url' are not supported by this gateway`);
  }
  const file: JsonObject = { file_data: part.file_data };
  if (typeof part.filename === 'string') file.filename = part.filename;
  return { type: 'file', file };
}

/** User content: plain text stays a string (widest upstream support); images and files become chat parts. */
function convertUserContent(content: unknown, param: string): string | JsonObject[] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) fail(param, `'${param}' must be a string or an array of content parts`);
  const parts = content.map((part, index): JsonObject => {
    const partParam = `${param}.${index}`;
    if (!isJsonObject(part)) fail(partParam, `'${partParam}' must be a content part object`);
    switch (part.type) {
      case 'input_text':
        if (typeof part.text !== 'string') fail(`${partParam}.text`, `'${partParam}.text' must be a string`);
        return { type: 'text', text: part.text };
      case 'input_image':
        return convertImagePart(part, partParam);
      case 'input_file':
        return convertFilePart(part, partParam);
      default:
        return fail(`${partParam}.type`, `content part type "${String(part.type)}" is not supported in user messages`);
    }
  });
  return parts.every((part) => part.type === 'text') ? parts.map((part) => part.text as string).join('') : parts;
}

const SYSTEM_PARTS = new Set(['input_text']);
const ASSISTANT_PARTS = new Set(['output_text', 'refusal', 'input_text']);

/** Builds the chat message list; consecutive function calls join one assistant message, as chat expects. */
class MessageBuilder {
  readonly messages: JsonObject[] = [];
  /** Images and files from tool results: chat tool messages hold text only, so they follow as one user message. */
  private toolAttachments: JsonObject[] = [];

  push(message: JsonObject): void {
    this.flushToolAttachments();
    this.messages.push(message);
  }

  addToolCall(call: JsonObject): void {
    this.flushToolAttachments();
    const last = this.messages[this.messages.length - 1];
    if (last && last.role === 'assistant') {
      const calls = Array.isArray(last.tool_calls) ? (last.tool_calls as JsonObject[]) : [];
      last.tool_calls = [...calls, call];
      return;
    }
    this.messages.push({ role: 'assistant', content: null, tool_calls: [call] });
  }

  /** Tool results stay together right after the assistant's tool calls; their attachments come after all of them. */
  addToolResult(message: JsonObject, attachments: JsonObject[]): void {
    this.messages.push(message);
    this.toolAttachments.push(...attachments);
  }

  finish(): JsonObject[] {
    this.flushToolAttachments();
    return this.messages;
  }

  private flushToolAttachments(): void {
    if (this.toolAttachments.length === 0) return;
    this.messages.push({ role: 'user', content: this.toolAttachments });
    this.toolAttachments = [];
  }
}

function convertMessageItem(item: JsonObject, param: string, builder: MessageBuilder): void {
  switch (item.role) {
    case 'user':
      builder.push({ role: 'user', content: convertUserContent(item.content, `${param}.content`) });
      return;
    case 'system':
    case 'developer':
      // `developer` is OpenAI-only in chat; `system` means the same to every chat upstream.
      builder.push({ role: 'system', content: textOfParts(item.content, `${param}.content`, SYSTEM_PARTS) });
      return;
    case 'assistant':
      builder.push({ role: 'assistant', content: textOfParts(item.content, `${param}.content`, ASSISTANT_PARTS) });
      return;
    default:
      fail(`${param}.role`, `'${param}.role' must be "user", "assistant", "system" or "developer"`);
  }
}

function convertFunctionCallOutput(item: JsonObject, param: string, builder: MessageBuilder): void {
  if (typeof item.call_id !== 'string' || item.call_id.length === 0) fail(`${param}.call_id`, `'${param}.call_id' must be a non-empty string`);
  const output = item.output;
  if (typeof output === 'string') {
    builder.addToolResult({ role: 'tool', tool_call_id: item.call_id, content: output }, []);
    return;
  }
  const parts = convertUserContent(output, `${param}.output`);
  if (typeof parts === 'string') {
    builder.addToolResult({ role: 'tool', tool_call_id: item.call_id, content: parts }, []);
    return;
  }
  const texts = parts.filter((part) => part.type === 'text').map((part) => part.text as string);
  const attachments = parts.filter((part) => part.type !== 'text');
  const note = `[${attachments.length} attachment(s) of this tool result follow in the next user message]`;
  builder.addToolResult({ role: 'tool', tool_call_id: item.call_id, content: [...texts, note].join('\n') }, attachments);
}

function convertFunctionCall(item: JsonObject, param: string): JsonObject {
  if (typeof item.call_id !== 'string' || item.call_id.length === 0) fail(`${param}.call_id`, `'${param}.call_id' must be a non-empty string`);
  if (typeof item.name !== 'string' || item.name.length === 0) fail(`${param}.name`, `'${param}.name' must be a non-empty string`);
  if (typeof item.arguments !== 'string') fail(`${param}.arguments`, `'${param}.arguments' must be a JSON string`);
  return { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
}

function convertInput(input: unknown, builder: MessageBuilder): void {
  if (typeof input === 'string') {
    builder.push({ role: 'user', content: input });
    return;
  }
  if (!Array.isArray(input)) fail('input', "'input' must be a string or an array of input items");
  input.forEach((item, index) => {
    const param = `input.${index}`;
    if (!isJsonObject(item)) fail(param, `'${param}' must be an object`);
    const type = item.type ?? 'message';
    switch (type) {
      case 'message':
        convertMessageItem(item, param, builder);
        break;
      case 'function_call':
        builder.addToolCall(convertFunctionCall(item, param));
        break;
      case 'function_call_output':
        convertFunctionCallOutput(item, param, builder);
        break;
      case 'reasoning':
        // Earlier reasoning (often encrypted) cannot be replayed to a chat upstream; it is not part of the answer.
        break;
      case 'item_reference':
        fail(`${param}.type`, `'item_reference' input items are not supported: ${STATELESS}`);
        break;
      default:
        fail(`${param}.type`, `input item type "${String(type)}" is not supported by this gateway (only messages, function calls and their outputs)`);
    }
  });
}

function convertTools(tools: unknown): { chat: JsonObject[]; echo: JsonObject[] } {
  if (!Array.isArray(tools)) fail('tools', "'tools' must be an array");
  const chat: JsonObject[] = [];
  const echo: JsonObject[] = [];
  tools.forEach((tool, index) => {
    const param = `tools.${index}`;
    if (!isJsonObject(tool)) fail(param, `'${param}' must be an object`);
    if (tool.type !== 'function') {
      fail(`${param}.type`, `tool type "${String(tool.type)}" is a hosted tool that this gateway cannot run; only "function" tools are supported`);
    }
    if (typeof tool.name !== 'string' || tool.name.length === 0) fail(`${param}.name`, `'${param}.name' must be a non-empty string`);
    if (!isAbsent(tool.parameters) && !isJsonObject(tool.parameters)) fail(`${param}.parameters`, `'${param}.parameters' must be a JSON schema object`);
    const definition: JsonObject = { name: tool.name };
    if (typeof tool.description === 'string') definition.description = tool.description;
    if (isJsonObject(tool.parameters)) definition.parameters = tool.parameters;
    if (typeof tool.strict === 'boolean') definition.strict = tool.strict;
    chat.push({ type: 'function', function: definition });
    echo.push({
      type: 'function',
      name: tool.name,
      description: typeof tool.description === 'string' ? tool.description : null,
      parameters: isJsonObject(tool.parameters) ? tool.parameters : null,
      strict: typeof tool.strict === 'boolean' ? tool.strict : null,
    });
  });
  return { chat, echo };
}

function convertFunctionReference(tool: unknown, param: string): JsonObject {
  if (!isJsonObject(tool) || tool.type !== 'function' || typeof tool.name !== 'string') {
    fail(param, `'${param}' must be {"type": "function", "name": ...}; hosted tools are not supported`);
  }
  return { type: 'function', function: { name: tool.name } };
}

function convertToolChoice(choice: unknown): unknown {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (!isJsonObject(choice)) fail('tool_choice', "'tool_choice' must be \"auto\", \"none\", \"required\" or an object");
  if (choice.type === 'function') return convertFunctionReference(choice, 'tool_choice');
  if (choice.type === 'allowed_tools') {
    if (choice.mode !== 'auto' && choice.mode !== 'required') fail('tool_choice.mode', "'tool_choice.mode' must be \"auto\" or \"required\"");
    if (!Array.isArray(choice.tools)) fail('tool_choice.tools', "'tool_choice.tools' must be an array");
    const tools = choice.tools.map((tool, index) => convertFunctionReference(tool, `tool_choice.tools.${index}`));
    return { type: 'allowed_tools', allowed_tools: { mode: choice.mode, tools } };
  }
  return fail('tool_choice.type', `tool_choice type "${String(choice.type)}" is not supported; only function tools can be forced`);
}

/** `text.format` -> chat `response_format`; `text.verbosity` -> chat `verbosity`. */
function convertText(text: unknown, body: JsonObject): JsonObject {
  if (!isJsonObject(text)) fail('text', "'text' must be an object");
  const format = text.format;
  if (!isAbsent(format)) {
    if (!isJsonObject(format)) fail('text.format', "'text.format' must be an object");
    if (format.type === 'json_object') body.response_format = { type: 'json_object' };
    else if (format.type === 'json_schema') {
      if (typeof format.name !== 'string' || format.name.length === 0) fail('text.format.name', "'text.format.name' must be a non-empty string");
      if (!isJsonObject(format.schema)) fail('text.format.schema', "'text.format.schema' must be a JSON schema object");
      const schema: JsonObject = { name: format.name, schema: format.schema };
      if (typeof format.description === 'string') schema.description = format.description;
      if (typeof format.strict === 'boolean') schema.strict = format.strict;
      body.response_format = { type: 'json_schema', json_schema: schema };
    } else if (format.type !== 'text') fail('text.format.type', `'text.format.type' must be "text", "json_object" or "json_schema"`);
  }
  const verbosity = text.verbosity;
  if (!isAbsent(verbosity)) {
    if (verbosity !== 'low' && verbosity !== 'medium' && verbosity !== 'high') fail('text.verbosity', "'text.verbosity' must be \"low\", \"medium\" or \"high\"");
    body.verbosity = verbosity;
  }
  return isAbsent(format) ? { ...text, format: { type: 'text' } } : text;
}

function convertReasoning(reasoning: unknown, body: JsonObject): JsonObject | null {
  if (isAbsent(reasoning)) return null;
  if (!isJsonObject(reasoning)) fail('reasoning', "'reasoning' must be an object");
  // `summary` is not refused: chat upstreams return their reasoning text (if any), which we pass back as reasoning.
  if (!isAbsent(reasoning.effort)) {
    if (typeof reasoning.effort !== 'string') fail('reasoning.effort', "'reasoning.effort' must be a string");
    body.reasoning_effort = reasoning.effort;
  }
  return reasoning;
}

function convert(request: JsonObject): { body: JsonObject; echo: ResponsesRequestEcho } {
  for (const field of Object.keys(request)) {
    const refusal = REFUSED_FIELDS[field];
    if (refusal !== undefined) {
      const value = request[field];
      if (!isAbsent(value) && value !== false) fail(field, refusal);
      continue;
    }
    if (!MAPPED_FIELDS.has(field) && !IGNORED_FIELDS.has(field)) fail(field, `'${field}' is not supported by this gateway for the Responses API`);
  }
  const { model, input, instructions, stream, parallel_tool_calls: parallelToolCalls } = request;
  if (typeof model !== 'string' || model.length === 0) fail('model', "'model' is required and must be a non-empty string");
  if (isAbsent(input)) fail('input', "'input' is required");
  if (!isAbsent(instructions) && typeof instructions !== 'string') fail('instructions', "'instructions' must be a string");

  const builder = new MessageBuilder();
  if (typeof instructions === 'string' && instructions.length > 0) builder.push({ role: 'system', content: instructions });
  convertInput(input, builder);
  const messages = builder.finish();
  if (messages.length === 0) fail('input', "'input' must contain at least one message");

  const body: JsonObject = { model, messages };
  if (!isAbsent(stream)) {
    if (typeof stream !== 'boolean') fail('stream', "'stream' must be a boolean");
    body.stream = stream;
    // The usage chunk reaches the Responses translator, which reports it (with reasoning tokens) in response.completed.
    if (stream) body.stream_options = { include_usage: true };
  }
  const maxOutputTokens = request.max_output_tokens;
  if (!isAbsent(maxOutputTokens)) {
    if (typeof maxOutputTokens !== 'number' || !Number.isSafeInteger(maxOutputTokens) || maxOutputTokens < 1) {
      fail('max_output_tokens', "'max_output_tokens' must be a positive integer");
    }
    body.max_completion_tokens = maxOutputTokens;
  }
  const temperature = optionalNumber(request, 'temperature');
  if (temperature !== null) body.temperature = temperature;
  const topP = optionalNumber(request, 'top_p');
  if (topP !== null) body.top_p = topP;

  let echoTools: JsonObject[] = [];
  if (!isAbsent(request.tools)) {
    const tools = convertTools(request.tools);
    if (tools.chat.length > 0) body.tools = tools.chat;
    echoTools = tools.echo;
  }
  if (!isAbsent(request.tool_choice)) body.tool_choice = convertToolChoice(request.tool_choice);
  if (!isAbsent(parallelToolCalls)) {
    if (typeof parallelToolCalls !== 'boolean') fail('parallel_tool_calls', "'parallel_tool_calls' must be a boolean");
    // Chat upstreams reject parallel_tool_calls without tools.
    if (body.tools) body.parallel_tool_calls = parallelToolCalls;
  }
  const text = isAbsent(request.text) ? { format: { type: 'text' } } : convertText(request.text, body);
  const reasoning = convertReasoning(request.reasoning, body);

  const echo: ResponsesRequestEcho = {
    instructions: typeof instructions === 'string' ? instructions : null,
    metadata: isJsonObject(request.metadata) ? request.metadata : null,
    tools: echoTools,
    toolChoice: isAbsent(request.tool_choice) ? 'auto' : request.tool_choice,
    temperature,
    topP,
    parallelToolCalls: typeof parallelToolCalls === 'boolean' ? parallelToolCalls : true,
    maxOutputTokens: typeof maxOutputTokens === 'number' ? maxOutputTokens : null,
    reasoning,
    text,
    store: false,
    user: typeof request.user === 'string' ? request.user : null,
  };
  return { body, echo };
}

export function convertResponsesRequestToOpenAi(request: JsonObject): ResponsesRequestConversion {
  try {
    return { ok: true, ...convert(request) };
  } catch (error) {
    if (error instanceof ConversionError) return { ok: false, problem: { message: error.message, param: error.param } };
    throw error;
  }
}
