// OpenAI chat chunks -> the Responses event stream the openai SDK's ResponseStream accumulates: response.created,
// response.in_progress, then per output item output_item.added / content_part.added / deltas / *.done /
// output_item.done, and a terminal response.completed or response.incomplete carrying the whole response and usage.
// A failure after the stream started ends with response.failed and an error frame the SDK throws on.
import type { TokenUsage } from '@nebulagate/schema';
import { translateOpenAiChunkFrame, type ClientStreamTranslator } from '../../relay/client-wire';
import { toOpenAiErrorBody, type RelayError } from '../../relay/relay-error';
import type { ResponsesRequestEcho } from './convert-responses-request-to-openai';
import { convertOpenAiUsageToResponses, convertTokenUsageToResponses, type ResponsesUsage } from './convert-openai-usage-to-responses';
import { mapOpenAiFinishReason } from './map-openai-finish-reason';
import { createResponseObject, outputTextPart, responsesIdSuffix, type ItemStatus, type OutputContentPart, type ResponseObject, type ResponsesOutputItem } from './response-object';

type JsonObject = Record<string, unknown>;
type MessageItem = Extract<ResponsesOutputItem, { type: 'message' }>;
type ReasoningItem = Extract<ResponsesOutputItem, { type: 'reasoning' }>;
type FunctionCallItem = Extract<ResponsesOutputItem, { type: 'function_call' }>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface OpenMessage {
  outputIndex: number;
  item: MessageItem;
  /** The content part being streamed (its index is item.content.length - 1). */
  part: OutputContentPart | null;
}

interface OpenReasoning {
  outputIndex: number;
  item: ReasoningItem;
}

interface OpenToolCall {
  outputIndex: number;
  item: FunctionCallItem;
}

export interface ResponsesStreamOptions {
  model: string;
  echo: ResponsesRequestEcho;
  /** Seconds since the epoch, for created_at when the upstream gives none. */
  now: () => number;
}

export class OpenAiToResponsesStream implements ClientStreamTranslator {
  private sequence = 0;
  private response: ResponseObject | null = null;
  private suffix = '';
  private readonly output: ResponsesOutputItem[] = [];
  private message: OpenMessage | null = null;
  private reasoning: OpenReasoning | null = null;
  private readonly toolCalls = new Map<number, OpenToolCall>();
  private finishReason: string | null = null;
  private upstreamUsage: ResponsesUsage | null = null;

  constructor(private readonly options: ResponsesStreamOptions) {}

  frame(frame: Buffer): Buffer | null {
    return translateOpenAiChunkFrame(frame, (chunk) => this.chunk(chunk));
  }

  /** One parsed OpenAI chunk -> the Responses events it implies (as text). */
  chunk(chunk: unknown): string {
    if (!isJsonObject(chunk)) return '';
    let out = this.start(chunk.id, chunk.created);
    const usage = convertOpenAiUsageToResponses(chunk.usage);
    if (usage) this.upstreamUsage = usage;
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice: unknown = choices[0];
    if (!isJsonObject(choice)) return out;
    const delta = choice.delta;
    if (isJsonObject(delta)) {
      if (typeof delta.reasoning_content === 'string' && delta.reasoning_content) out += this.reasoningDelta(delta.reasoning_content);
      if (typeof delta.content === 'string' && delta.content) out += this.messageDelta('output_text', delta.content);
      if (typeof delta.refusal === 'string' && delta.refusal) out += this.messageDelta('refusal', delta.refusal);
      if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) out += this.toolCallDelta(call);
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.finishReason = choice.finish_reason;
    return out;
  }

  end(usage: TokenUsage | null): Buffer {
    let out = this.start(null, null);
    const outcome = mapOpenAiFinishReason(this.finishReason);
    const status: ItemStatus = outcome.status === 'completed' ? 'completed' : 'incomplete';
    out += this.closeAll(status);
    const response = this.current();
    response.status = outcome.status;
    response.incomplete_details = outcome.incompleteDetails;
    response.completed_at = outcome.status === 'completed' ? this.options.now() : null;
    response.usage = this.upstreamUsage ?? (usage ? convertTokenUsageToResponses(usage) : null);
    response.output = [...this.output];
    out += this.event(outcome.status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
    return Buffer.from(out);
  }

  error(error: RelayError): Buffer {
    let out = this.start(null, null);
    for (const item of this.output) if (item.status === 'in_progress') item.status = 'incomplete';
    const response = this.current();
    response.status = 'failed';
    response.error = { code: error.code === 'rate_limited' ? 'rate_limit_exceeded' : 'server_error', message: error.message };
    response.usage = this.upstreamUsage;
    response.output = [...this.output];
    out += this.event('response.failed', { response });
    // The SDK throws an APIError on a frame whose data has an `error` member; the other fields are the Responses
    // ResponseErrorEvent, for clients that read the event itself.
    const body = toOpenAiErrorBody(error);
    out += this.event('error', { code: error.code, message: error.message, param: error.param, error: body.error });
    return Buffer.from(out);
  }

  private event(type: string, payload: JsonObject): string {
    const data = JSON.stringify({ type, sequence_number: this.sequence, ...payload });
    this.sequence += 1;
    return `event: ${type}\ndata: ${data}\n\n`;
  }

  private current(): ResponseObject {
    if (!this.response) throw new Error('the response has not started');
    return this.response;
  }

  private start(openAiId: unknown, created: unknown): string {
    if (this.response) return '';
    this.suffix = responsesIdSuffix(openAiId);
    const createdAt = typeof created === 'number' ? created : this.options.now();
    this.response = createResponseObject({ suffix: this.suffix, model: this.options.model, createdAt, echo: this.options.echo });
    return this.event('response.created', { response: this.response }) + this.event('response.in_progress', { response: this.response });
  }

  private addItem(item: ResponsesOutputItem): { text: string; outputIndex: number } {
    const outputIndex = this.output.length;
    this.output.push(item);
    // A copy: later events mutate our item, and the added event must show its state at this point.
    return { text: this.event('response.output_item.added', { output_index: outputIndex, item: structuredClone(item) }), outputIndex };
  }

  private reasoningDelta(text: string): string {
    let out = '';
    if (!this.reasoning) {
      out += this.closeMessage('completed');
      const item: ReasoningItem = { type: 'reasoning', id: `rs_${this.suffix}_${this.output.length}`, status: 'in_progress', summary: [], content: [] };
      const added = this.addItem(item);
      out += added.text;
      this.reasoning = { outputIndex: added.outputIndex, item };
      item.content.push({ type: 'reasoning_text', text: '' });
      out += this.event('response.content_part.added', { item_id: item.id, output_index: added.outputIndex, content_index: 0, part: { type: 'reasoning_text', text: '' } });
    }
    const { item, outputIndex } = this.reasoning;
    const part = item.content[0];
    if (part) part.text += text;
    out += this.event('response.reasoning_text.delta', { item_id: item.id, output_index: outputIndex, content_index: 0, delta: text });
    return out;
  }

  private messageDelta(kind: OutputContentPart['type'], text: string): string {
    let out = this.closeReasoning('completed');
    if (!this.message) {
      const item: MessageItem = { type: 'message', id: `msg_${this.suffix}_${this.output.length}`, status: 'in_progress', role: 'assistant', content: [] };
      const added = this.addItem(item);
      out += added.text;
      this.message = { outputIndex: added.outputIndex, item, part: null };
    }
    const open = this.message;
    if (open.part?.type !== kind) {
      out += this.closePart();
      const part: OutputContentPart = kind === 'output_text' ? outputTextPart('') : { type: 'refusal', refusal: '' };
      open.item.content.push(part);
      open.part = part;
      out += this.event('response.content_part.added', { item_id: open.item.id, output_index: open.outputIndex, content_index: open.item.content.length - 1, part: { ...part } });
    }
    const part = open.part;
    const where = { item_id: open.item.id, output_index: open.outputIndex, content_index: open.item.content.length - 1 };
    if (part.type === 'output_text') {
      part.text += text;
      out += this.event('response.output_text.delta', { ...where, delta: text, logprobs: [] });
    } else {
      part.refusal += text;
      out += this.event('response.refusal.delta', { ...where, delta: text });
    }
    return out;
  }

  private toolCallDelta(call: unknown): string {
    if (!isJsonObject(call)) return '';
    const toolIndex = typeof call.index === 'number' ? call.index : 0;
    const callFunction = isJsonObject(call.function) ? call.function : {};
    let out = '';
    let open = this.toolCalls.get(toolIndex);
    if (!open) {
      out += this.closeMessage('completed') + this.closeReasoning('completed');
      const callId = typeof call.id === 'string' && call.id ? call.id : `call_${this.suffix}_${toolIndex}`;
      const name = typeof callFunction.name === 'string' ? callFunction.name : '';
      const item: FunctionCallItem = { type: 'function_call', id: `fc_${this.suffix}_${this.output.length}`, status: 'in_progress', call_id: callId, name, arguments: '' };
      const added = this.addItem(item);
      out += added.text;
      open = { outputIndex: added.outputIndex, item };
      this.toolCalls.set(toolIndex, open);
    } else if (!open.item.name && typeof callFunction.name === 'string') {
      open.item.name = callFunction.name;
    }
    if (typeof callFunction.arguments === 'string' && callFunction.arguments) {
      open.item.arguments += callFunction.arguments;
      out += this.event('response.function_call_arguments.delta', { item_id: open.item.id, output_index: open.outputIndex, delta: callFunction.arguments });
    }
    return out;
  }

  private closePart(): string {
    const open = this.message;
    if (!open?.part) return '';
    const part = open.part;
    open.part = null;
    const where = { item_id: open.item.id, output_index: open.outputIndex, content_index: open.item.content.length - 1 };
    const done =
      part.type === 'output_text'
        ? this.event('response.output_text.done', { ...where, text: part.text, logprobs: [] })
        : this.event('response.refusal.done', { ...where, refusal: part.refusal });
    return done + this.event('response.content_part.done', { ...where, part: { ...part } });
  }

  private closeMessage(status: ItemStatus): string {
    if (!this.message) return '';
    let out = this.closePart();
    const { item, outputIndex } = this.message;
    this.message = null;
    item.status = status;
    out += this.event('response.output_item.done', { output_index: outputIndex, item: structuredClone(item) });
    return out;
  }

  private closeReasoning(status: ItemStatus): string {
    if (!this.reasoning) return '';
    const { item, outputIndex } = this.reasoning;
    this.reasoning = null;
    const part = item.content[0] ?? { type: 'reasoning_text' as const, text: '' };
    const where = { item_id: item.id, output_index: outputIndex, content_index: 0 };
    let out = this.event('response.reasoning_text.done', { ...where, text: part.text });
    out += this.event('response.content_part.done', { ...where, part: { ...part } });
    item.status = status;
    out += this.event('response.output_item.done', { output_index: outputIndex, item: structuredClone(item) });
    return out;
  }

  /** Closes every open item in output order (tool calls stay open until the end: chat may interleave them). */
  private closeAll(status: ItemStatus): string {
    let out = this.closeMessage(status) + this.closeReasoning(status);
    const tools = [...this.toolCalls.values()].sort((left, right) => left.outputIndex - right.outputIndex);
    this.toolCalls.clear();
    for (const { item, outputIndex } of tools) {
      out += this.event('response.function_call_arguments.done', { item_id: item.id, output_index: outputIndex, name: item.name, arguments: item.arguments });
      item.status = status;
      out += this.event('response.output_item.done', { output_index: outputIndex, item: structuredClone(item) });
    }
    return out;
  }
}
