// OpenAI chat completions request -> Gemini generateContent request, for gemini-type channels. Pure; a parameter that
// has no Gemini equivalent is refused with RelayError('invalid_request') (a 400 before any upstream call, no charge)
// rather than dropped silently.
import { RelayError } from '../../relay/relay-error';
import { convertJsonSchemaToGemini, SchemaConversionError } from './convert-json-schema-to-gemini';
import { isJsonObject, type JsonObject } from './gemini-api';
import { thoughtSignatureOf } from './tool-call-id';

/** Fields that only steer the gateway or OpenAI's own service and do not change the answer. */
const IGNORED_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'user',
  'metadata',
  'store',
  'service_tier',
  'parallel_tool_calls',
  'prompt_cache_key',
  'safety_identifier',
]);

/** OpenAI reasoning effort -> Gemini thinking budget (tokens). */
const THINKING_BUDGETS: Record<string, number> = { none: 0, minimal: 0, low: 1024, medium: 8192, high: 24576 };

/** Image types Gemini accepts by URL, by file extension (a URL without one is refused: Gemini needs the type). */
const MIME_TYPES_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
};

const AUDIO_MIME_TYPES: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mp3' };

function refuse(param: string, message: string): never {
  throw new RelayError('invalid_request', message, param);
}

function convertImageUrl(value: unknown, param: string): JsonObject {
  const url = isJsonObject(value) ? value.url : value;
  if (typeof url !== 'string' || url === '') refuse(`${param}.image_url.url`, `'${param}.image_url.url' must be a non-empty string`);
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (dataUrl) return { inlineData: { mimeType: dataUrl[1], data: dataUrl[2] } };
  if (url.startsWith('data:')) refuse(`${param}.image_url.url`, 'image data URLs must be base64-encoded (data:<type>;base64,...)');
  let pathname: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('scheme');
    pathname = parsed.pathname;
  } catch {
    return refuse(`${param}.image_url.url`, 'image URLs must be http(s) URLs or base64 data URLs');
  }
  const extension = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase() ?? '';
  const mimeType = MIME_TYPES_BY_EXTENSION[extension];
  if (!mimeType) {
    refuse(`${param}.image_url.url`, 'Gemini needs the media type of an image URL; use a URL ending in .png, .jpg, .jpeg, .webp, .gif, .heic, .heif or .pdf, or send the image as a base64 data URL');
  }
  return { fileData: { mimeType, fileUri: url } };
}

function convertUserPart(part: unknown, param: string): JsonObject {
  if (!isJsonObject(part)) refuse(param, `'${param}' must be a content part object`);
  switch (part.type) {
    case 'text':
      if (typeof part.text !== 'string') refuse(`${param}.text`, `'${param}.text' must be a string`);
      return { text: part.text };
    case 'image_url':
      return convertImageUrl(part.image_url, param);
    case 'input_audio': {
      const audio = isJsonObject(part.input_audio) ? part.input_audio : {};
      const mimeType = typeof audio.format === 'string' ? AUDIO_MIME_TYPES[audio.format] : undefined;
      if (!mimeType || typeof audio.data !== 'string') refuse(`${param}.input_audio`, `'${param}.input_audio' needs base64 'data' and a 'format' of wav or mp3`);
      return { inlineData: { mimeType, data: audio.data } };
    }
    default:
      return refuse(`${param}.type`, `content part type "${String(part.type)}" is not supported by Gemini channels`);
  }
}

/** Text of a string or an array of text parts (system, assistant and tool content). */
function textContent(content: unknown, param: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) refuse(param, `'${param}' must be a string or an array of text parts`);
  return content
    .map((part, index) => {
      if (!isJsonObject(part) || part.type !== 'text' || typeof part.text !== 'string') {
        refuse(`${param}.${index}`, `'${param}.${index}' must be a text part`);
      }
      return part.text;
    })
    .join('');
}

function userParts(content: unknown, param: string): JsonObject[] {
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) return refuse(param, `'${param}' must be a string or an array of content parts`);
  return content.map((part, index) => convertUserPart(part, `${param}.${index}`));
}

function parseArguments(text: unknown, param: string): JsonObject {
  if (text === undefined || text === null || text === '') return {};
  if (typeof text !== 'string') refuse(param, `'${param}' must be a JSON string`);
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // refused below
  }
  return refuse(param, `'${param}' must be a JSON object encoded as a string`);
}

/** A tool result as Gemini's functionResponse.response object: JSON objects as they are, anything else wrapped. */
function functionResponseBody(text: string): JsonObject {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // plain text
  }
  return { content: text };
}

interface Conversation {
  systemTexts: string[];
  contents: Array<{ role: 'user' | 'model'; parts: JsonObject[] }>;
}

function pushContent(conversation: Conversation, role: 'user' | 'model', parts: JsonObject[]): void {
  if (parts.length === 0) return;
  const last = conversation.contents[conversation.contents.length - 1];
  // Gemini wants turns to alternate; consecutive messages of one role (e.g. several tool results) share a turn.
  if (last && last.role === role) last.parts.push(...parts);
  else conversation.contents.push({ role, parts });
}

function convertMessages(messages: unknown): Conversation {
  if (!Array.isArray(messages)) refuse('messages', "'messages' must be an array");
  const conversation: Conversation = { systemTexts: [], contents: [] };
  const callNames = new Map<string, string>();
  messages.forEach((message: unknown, index: number) => {
    const param = `messages.${index}`;
    if (!isJsonObject(message)) refuse(param, `'${param}' must be a message object`);
    switch (message.role) {
      case 'system':
      case 'developer':
        conversation.systemTexts.push(textContent(message.content, `${param}.content`));
        return;
      case 'user':
        pushContent(conversation, 'user', userParts(message.content, `${param}.content`));
        return;
      case 'assistant': {
        const parts: JsonObject[] = [];
        const text = textContent(message.content, `${param}.content`);
        if (text) parts.push({ text });
        const toolCalls = message.tool_calls;
        if (toolCalls !== undefined && toolCalls !== null) {
          if (!Array.isArray(toolCalls)) refuse(`${param}.tool_calls`, `'${param}.tool_calls' must be an array`);
          toolCalls.forEach((call: unknown, callIndex: number) => {
            const callParam = `${param}.tool_calls.${callIndex}`;
            if (!isJsonObject(call) || !isJsonObject(call.function) || typeof call.function.name !== 'string') {
              refuse(callParam, `'${callParam}' must be a function tool call with a name`);
            }
            if (typeof call.id === 'string') callNames.set(call.id, call.function.name);
            const functionCall = { name: call.function.name, args: parseArguments(call.function.arguments, `${callParam}.function.arguments`) };
            const thoughtSignature = thoughtSignatureOf(call.id);
            parts.push(thoughtSignature ? { functionCall, thoughtSignature } : { functionCall });
          });
        }
        pushContent(conversation, 'model', parts);
        return;
      }
      case 'tool': {
        const id = message.tool_call_id;
        const name = typeof id === 'string' ? callNames.get(id) : undefined;
        if (!name) refuse(`${param}.tool_call_id`, `'${param}.tool_call_id' does not match a tool call of an earlier assistant message`);
        const response = functionResponseBody(textContent(message.content, `${param}.content`));
        pushContent(conversation, 'user', [{ functionResponse: { name, response } }]);
        return;
      }
      default:
        refuse(`${param}.role`, `message role "${String(message.role)}" is not supported`);
    }
  });
  return conversation;
}

function schemaFor(schema: unknown, param: string): JsonObject {
  try {
    return convertJsonSchemaToGemini(schema);
  } catch (error) {
    if (error instanceof SchemaConversionError) refuse(param, `'${param}': ${error.message}`);
    throw error;
  }
}

function convertTools(tools: unknown): JsonObject[] | null {
  if (tools === undefined || tools === null) return null;
  if (!Array.isArray(tools)) refuse('tools', "'tools' must be an array");
  if (tools.length === 0) return null;
  const declarations = tools.map((tool: unknown, index: number) => {
    const param = `tools.${index}`;
    if (!isJsonObject(tool) || tool.type !== 'function' || !isJsonObject(tool.function)) {
      refuse(param, `'${param}' must be a function tool; other tool types are not supported by Gemini channels`);
    }
    const definition = tool.function;
    if (typeof definition.name !== 'string' || definition.name === '') refuse(`${param}.function.name`, `'${param}.function.name' must be a non-empty string`);
    const declaration: JsonObject = { name: definition.name };
    if (typeof definition.description === 'string') declaration.description = definition.description;
    if (isJsonObject(definition.parameters)) {
      const parameters = schemaFor(definition.parameters, `${param}.function.parameters`);
      // Gemini refuses an object schema without properties; a function without arguments simply has no parameters.
      const empty = parameters.type === 'object' && (!isJsonObject(parameters.properties) || Object.keys(parameters.properties).length === 0);
      if (!empty) declaration.parameters = parameters;
    }
    return declaration;
  });
  return [{ functionDeclarations: declarations }];
}

function convertToolChoice(choice: unknown): JsonObject | null {
  if (choice === undefined || choice === null) return null;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  if (isJsonObject(choice) && choice.type === 'function' && isJsonObject(choice.function) && typeof choice.function.name === 'string') {
    return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
  }
  return refuse('tool_choice', "'tool_choice' must be auto, none, required or a named function");
}

function convertResponseFormat(format: unknown, config: JsonObject): void {
  if (format === undefined || format === null) return;
  if (!isJsonObject(format)) refuse('response_format', "'response_format' must be an object");
  if (format.type === 'text') return;
  if (format.type === 'json_object') {
    config.responseMimeType = 'application/json';
    return;
  }
  if (format.type === 'json_schema' && isJsonObject(format.json_schema)) {
    config.responseMimeType = 'application/json';
    if (format.json_schema.schema !== undefined) config.responseSchema = schemaFor(format.json_schema.schema, 'response_format.json_schema.schema');
    return;
  }
  refuse('response_format', "'response_format' must be text, json_object or json_schema");
}

function numberField(body: JsonObject, field: string): number | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) refuse(field, `'${field}' must be a number`);
  return value;
}

function convertGenerationConfig(body: JsonObject): JsonObject {
  const config: JsonObject = {};
  const stop = body.stop;
  if (typeof stop === 'string') config.stopSequences = [stop];
  else if (Array.isArray(stop) && stop.every((sequence) => typeof sequence === 'string')) {
    if (stop.length > 0) config.stopSequences = stop;
  } else if (stop !== undefined && stop !== null) refuse('stop', "'stop' must be a string or an array of strings");
  const maxTokens = numberField(body, 'max_completion_tokens') ?? numberField(body, 'max_tokens');
  if (maxTokens !== null) config.maxOutputTokens = maxTokens;
  const simple: Array<[string, string]> = [
    ['temperature', 'temperature'],
    ['top_p', 'topP'],
    ['presence_penalty', 'presencePenalty'],
    ['frequency_penalty', 'frequencyPenalty'],
    ['seed', 'seed'],
  ];
  for (const [openAi, gemini] of simple) {
    const value = numberField(body, openAi);
    if (value !== null) config[gemini] = value;
  }
  const candidates = numberField(body, 'n');
  if (candidates !== null && candidates !== 1) refuse('n', "'n' other than 1 is not supported by Gemini channels");
  convertResponseFormat(body.response_format, config);
  const effort = body.reasoning_effort;
  if (effort !== undefined && effort !== null) {
    const budget = typeof effort === 'string' ? THINKING_BUDGETS[effort] : undefined;
    if (budget === undefined) refuse('reasoning_effort', "'reasoning_effort' must be none, minimal, low, medium or high");
    config.thinkingConfig = budget === 0 ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true };
  }
  return config;
}

const MAPPED_FIELDS = new Set([
  'stop',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'n',
  'response_format',
  'reasoning_effort',
  'tools',
  'tool_choice',
]);

export function convertOpenAiRequestToGemini(body: JsonObject): JsonObject {
  for (const [field, value] of Object.entries(body)) {
    if (IGNORED_FIELDS.has(field) || MAPPED_FIELDS.has(field) || value === null || value === undefined) continue;
    refuse(field, `'${field}' is not supported by Gemini channels`);
  }
  const conversation = convertMessages(body.messages);
  if (conversation.contents.length === 0) refuse('messages', "'messages' must contain at least one user or assistant message");
  const gemini: JsonObject = { contents: conversation.contents };
  const systemText = conversation.systemTexts.filter((text) => text !== '').join('\n\n');
  if (systemText) gemini.systemInstruction = { parts: [{ text: systemText }] };
  const tools = convertTools(body.tools);
  if (tools) gemini.tools = tools;
  const toolConfig = convertToolChoice(body.tool_choice);
  if (toolConfig) gemini.toolConfig = toolConfig;
  const generationConfig = convertGenerationConfig(body);
  if (Object.keys(generationConfig).length > 0) gemini.generationConfig = generationConfig;
  return gemini;
}
