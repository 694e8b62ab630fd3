// Gemini generateContent request (a caller speaking Gemini) -> OpenAI chat completions request, for any channel. Pure;
// a field with no OpenAI equivalent is refused with a clear message instead of being dropped silently.
import { isJsonObject, type JsonObject } from './gemini-api';

export interface ConversionProblem {
  message: string;
  param: string;
}

export type GeminiRequestConversion = { ok: true; body: JsonObject } | { ok: false; problem: ConversionProblem };

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

/** Fields that steer only Google's service (safety filters, labels) and have no OpenAI counterpart. */
const IGNORED_FIELDS = new Set(['safetySettings', 'labels', 'model']);
const MAPPED_FIELDS = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig']);
/** topK is a sampling hint OpenAI has no field for; dropping it changes no contract. */
const IGNORED_GENERATION_FIELDS = new Set(['topK', 'responseModalities', 'thinkingConfig']);
const THINKING_LEVELS = new Set(['minimal', 'low', 'medium', 'high']);

function textOfParts(value: unknown, param: string): string {
  const parts = isJsonObject(value) ? value.parts : value;
  if (typeof parts === 'string') return parts;
  if (!Array.isArray(parts)) fail(param, `'${param}' must have a 'parts' array`);
  return parts
    .map((part, index) => {
      if (!isJsonObject(part) || typeof part.text !== 'string') fail(`${param}.parts.${index}`, `'${param}.parts.${index}' must be a text part`);
      return part.text;
    })
    .join('');
}

function convertMediaPart(part: JsonObject, param: string): JsonObject {
  if (isJsonObject(part.inlineData)) {
    const { mimeType, data } = part.inlineData;
    if (typeof mimeType !== 'string' || typeof data !== 'string') fail(`${param}.inlineData`, `'${param}.inlineData' needs string 'mimeType' and 'data'`);
    if (mimeType.startsWith('image/')) return { type: 'image_url', image_url: { url: `data:${mimeType};base64,${data}` } };
    if (mimeType === 'audio/wav' || mimeType === 'audio/mp3' || mimeType === 'audio/mpeg') {
      return { type: 'input_audio', input_audio: { data, format: mimeType === 'audio/wav' ? 'wav' : 'mp3' } };
    }
    return fail(`${param}.inlineData.mimeType`, `inline data of type "${mimeType}" is not supported here; use images, wav or mp3`);
  }
  const file = part.fileData;
  if (!isJsonObject(file) || typeof file.fileUri !== 'string') fail(param, `'${param}' must be a text, inlineData, fileData, functionCall or functionResponse part`);
  const mimeType = typeof file.mimeType === 'string' ? file.mimeType : '';
  if (!/^https?:\/\//.test(file.fileUri) || (mimeType !== '' && !mimeType.startsWith('image/'))) {
    fail(`${param}.fileData`, 'only http(s) image URLs are supported in fileData here');
  }
  return { type: 'image_url', image_url: { url: file.fileUri } };
}

interface PendingCall {
  id: string;
  name: string;
  answered: boolean;
}

function convertContents(contents: unknown): JsonObject[] {
  if (!Array.isArray(contents) || contents.length === 0) fail('contents', "'contents' must be a non-empty array");
  const messages: JsonObject[] = [];
  let calls: PendingCall[] = [];
  contents.forEach((content: unknown, contentIndex: number) => {
    const param = `contents.${contentIndex}`;
    if (!isJsonObject(content) || !Array.isArray(content.parts)) fail(param, `'${param}' must be an object with a 'parts' array`);
    const role = content.role ?? 'user';
    if (role !== 'user' && role !== 'model' && role !== 'function') fail(`${param}.role`, `'${param}.role' must be user or model`);
    const parts = content.parts.map((part: unknown, partIndex: number) => {
      const partParam = `${param}.parts.${partIndex}`;
      if (!isJsonObject(part)) fail(partParam, `'${partParam}' must be a part object`);
      return { part, partParam };
    });
    if (role === 'model') {
      let text = '';
      const toolCalls: JsonObject[] = [];
      calls = [];
      for (const { part, partParam } of parts) {
        if (typeof part.text === 'string') {
          // Thought summaries are the model's own; OpenAI has no way to send them back.
          if (part.thought !== true) text += part.text;
        } else if (isJsonObject(part.functionCall) && typeof part.functionCall.name === 'string') {
          const id = typeof part.functionCall.id === 'string' && part.functionCall.id ? part.functionCall.id : `call_${contentIndex}_${toolCalls.length}`;
          calls.push({ id, name: part.functionCall.name, answered: false });
          const args = part.functionCall.args ?? {};
          toolCalls.push({ id, type: 'function', function: { name: part.functionCall.name, arguments: JSON.stringify(args) } });
        } else fail(partParam, `'${partParam}' must be a text or functionCall part in a model turn`);
      }
      const message: JsonObject = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
      messages.push(message);
      return;
    }
    const userParts: JsonObject[] = [];
    for (const { part, partParam } of parts) {
      if (typeof part.text === 'string') userParts.push({ type: 'text', text: part.text });
      else if (isJsonObject(part.functionResponse)) {
        const response = part.functionResponse;
        if (typeof response.name !== 'string') fail(`${partParam}.functionResponse.name`, `'${partParam}.functionResponse.name' must be a string`);
        const byId = typeof response.id === 'string' ? calls.find((call) => call.id === response.id) : undefined;
        const call = byId ?? calls.find((candidate) => !candidate.answered && candidate.name === response.name);
        if (!call) fail(`${partParam}.functionResponse`, `'${partParam}.functionResponse' does not answer a functionCall of the previous model turn`);
        call.answered = true;
        // OpenAI wants tool results right after the assistant turn, before any other user content.
        messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(response.response ?? {}) });
      } else userParts.push(convertMediaPart(part, partParam));
    }
    if (userParts.length === 0) return;
    const onlyText = userParts.every((part) => part.type === 'text');
    messages.push({ role: 'user', content: onlyText ? userParts.map((part) => part.text).join('') : userParts });
  });
  return messages;
}

/** Gemini schemas may spell types in upper case (OBJECT, STRING); JSON Schema wants lower case. */
function lowerCaseTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerCaseTypes);
  if (!isJsonObject(schema)) return schema;
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' && typeof value === 'string') converted[key] = value.toLowerCase();
    else if (key === 'properties' && isJsonObject(value)) {
      converted[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, lowerCaseTypes(child)]));
    } else if (key === 'items' || key === 'anyOf') converted[key] = lowerCaseTypes(value);
    else converted[key] = value;
  }
  return converted;
}

function convertTools(tools: unknown): JsonObject[] {
  if (!Array.isArray(tools)) fail('tools', "'tools' must be an array");
  const converted: JsonObject[] = [];
  tools.forEach((tool: unknown, index: number) => {
    const param = `tools.${index}`;
    if (!isJsonObject(tool)) fail(param, `'${param}' must be an object`);
    const other = Object.keys(tool).find((key) => key !== 'functionDeclarations');
    if (other) fail(`${param}.${other}`, `the Gemini tool "${other}" is not supported by this gateway; only functionDeclarations are`);
    const declarations = tool.functionDeclarations;
    if (!Array.isArray(declarations)) fail(`${param}.functionDeclarations`, `'${param}.functionDeclarations' must be an array`);
    declarations.forEach((declaration: unknown, declarationIndex: number) => {
      const declarationParam = `${param}.functionDeclarations.${declarationIndex}`;
      if (!isJsonObject(declaration) || typeof declaration.name !== 'string') fail(declarationParam, `'${declarationParam}' needs a string 'name'`);
      const definition: JsonObject = { name: declaration.name };
      if (typeof declaration.description === 'string') definition.description = declaration.description;
      const parameters = declaration.parametersJsonSchema ?? declaration.parameters;
      definition.parameters = parameters === undefined ? { type: 'object', properties: {} } : lowerCaseTypes(parameters);
      converted.push({ type: 'function', function: definition });
    });
  });
  return converted;
}

function convertToolConfig(toolConfig: unknown): unknown {
  if (!isJsonObject(toolConfig)) fail('toolConfig', "'toolConfig' must be an object");
  const config = toolConfig.functionCallingConfig;
  if (config === undefined) return undefined;
  if (!isJsonObject(config)) fail('toolConfig.functionCallingConfig', "'toolConfig.functionCallingConfig' must be an object");
  const allowed = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames.filter((name): name is string => typeof name === 'string') : [];
  switch (config.mode ?? 'AUTO') {
    case 'AUTO':
    case 'MODE_UNSPECIFIED':
    case 'VALIDATED':
      return 'auto';
    case 'NONE':
      return 'none';
    case 'ANY':
      if (allowed.length === 1) return { type: 'function', function: { name: allowed[0] } };
      if (allowed.length > 1) fail('toolConfig.functionCallingConfig.allowedFunctionNames', 'more than one allowed function name is not supported; give one or none');
      return 'required';
    default:
      return fail('toolConfig.functionCallingConfig.mode', "'toolConfig.functionCallingConfig.mode' must be AUTO, ANY or NONE");
  }
}

function convertGenerationConfig(config: unknown, body: JsonObject): void {
  if (!isJsonObject(config)) fail('generationConfig', "'generationConfig' must be an object");
  for (const [field, value] of Object.entries(config)) {
    const param = `generationConfig.${field}`;
    if (value === null || value === undefined) continue;
    switch (field) {
      case 'temperature':
        body.temperature = value;
        break;
      case 'topP':
        body.top_p = value;
        break;
      case 'maxOutputTokens':
        body.max_tokens = value;
        break;
      case 'presencePenalty':
        body.presence_penalty = value;
        break;
      case 'frequencyPenalty':
        body.frequency_penalty = value;
        break;
      case 'seed':
        body.seed = value;
        break;
      case 'stopSequences':
        if (!Array.isArray(value)) fail(param, `'${param}' must be an array of strings`);
        if (value.length > 0) body.stop = value;
        break;
      case 'candidateCount':
        if (value !== 1) fail(param, `'${param}' other than 1 is not supported`);
        break;
      case 'responseMimeType':
        if (value === 'application/json') body.response_format ??= { type: 'json_object' };
        else if (value !== 'text/plain') fail(param, `'${param}' must be text/plain or application/json`);
        break;
      case 'responseSchema':
      case 'responseJsonSchema':
        body.response_format = { type: 'json_schema', json_schema: { name: 'response', schema: lowerCaseTypes(value) } };
        break;
      default:
        if (IGNORED_GENERATION_FIELDS.has(field)) break;
        fail(param, `'${param}' is not supported by this gateway`);
    }
  }
  const thinking = config.thinkingConfig;
  if (isJsonObject(thinking) && typeof thinking.thinkingLevel === 'string') {
    const level = thinking.thinkingLevel.toLowerCase();
    if (!THINKING_LEVELS.has(level)) fail('generationConfig.thinkingConfig.thinkingLevel', "'thinkingLevel' must be minimal, low, medium or high");
    body.reasoning_effort = level;
  }
}

export function convertGeminiRequestToOpenAi(request: JsonObject, model: string, stream: boolean): GeminiRequestConversion {
  try {
    for (const field of Object.keys(request)) {
      if (!IGNORED_FIELDS.has(field) && !MAPPED_FIELDS.has(field)) fail(field, `'${field}' is not supported by this gateway`);
    }
    const messages: JsonObject[] = [];
    if (request.systemInstruction !== undefined && request.systemInstruction !== null) {
      const system = textOfParts(request.systemInstruction, 'systemInstruction');
      if (system) messages.push({ role: 'system', content: system });
    }
    messages.push(...convertContents(request.contents));
    const body: JsonObject = { model, messages };
    // The usage chunk carries reasoning and cached-token details the last Gemini frame reports.
    if (stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
    if (request.tools !== undefined && request.tools !== null) {
      const tools = convertTools(request.tools);
      if (tools.length > 0) body.tools = tools;
    }
    if (request.toolConfig !== undefined && request.toolConfig !== null) {
      const choice = convertToolConfig(request.toolConfig);
      if (choice !== undefined) body.tool_choice = choice;
    }
    if (request.generationConfig !== undefined && request.generationConfig !== null) convertGenerationConfig(request.generationConfig, body);
    return { ok: true, body };
  } catch (error) {
    if (error instanceof ConversionError) return { ok: false, problem: { message: error.message, param: error.param } };
    throw error;
  }
}
