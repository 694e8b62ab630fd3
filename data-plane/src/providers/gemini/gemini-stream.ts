// Gemini streamGenerateContent?alt=sse frames (data-only, no [DONE]) -> OpenAI chat chunks: one constant id, role on
// the first delta, text / reasoning_content / whole tool calls with their index, finish_reason on the frame that
// carries Gemini's finishReason (marked done so the relay ends the stream with [DONE]). Usage is always read for
// billing; the usage-only chunk is sent only when the client asked for it.
import type { TokenUsage } from '@nebulagate/schema';
import { sseDataText } from '../../relay/sse';
import { estimateTokensFromBytes } from '../../relay/usage-meter';
import type { FrameAction, StreamProcessor } from '../provider-adapter';
import { chatCompletionId } from './convert-gemini-response-to-openai';
import { convertGeminiUsage, geminiUsageToOpenAi } from './convert-gemini-usage';
import { readGeminiResponse, type GeminiUsageMetadata, type JsonObject } from './gemini-api';
import { streamFrameError } from './gemini-error';
import { mapGeminiFinishReason } from './map-gemini-finish-reason';
import { generatedToolCallId, toolCallIdWithSignature } from './tool-call-id';

function dataFrame(payload: JsonObject): Buffer {
  return Buffer.from(`data: ${JSON.stringify(payload)}\n\n`);
}

export class GeminiStreamProcessor implements StreamProcessor {
  usage: TokenUsage | null = null;
  streamedCompletionTokens = 0;
  sawContent = false;
  private id: string | null = null;
  private model = '';
  private readonly created = Math.floor(Date.now() / 1000);
  private roleSent = false;
  private toolCallCount = 0;
  private finished = false;
  private geminiUsage: GeminiUsageMetadata | null = null;

  constructor(
    private readonly options: { clientWantsUsage: boolean; secrets: string[] },
    private readonly newToolCallId: () => string = generatedToolCallId,
  ) {}

  handleFrame(frame: Buffer): FrameAction {
    const data = sseDataText(frame);
    if (data === null || data.trim() === '') return { kind: 'drop' };
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return { kind: 'drop' };
    }
    const error = streamFrameError(json, this.options.secrets);
    if (error) return { kind: 'error', error };
    const reading = readGeminiResponse(json);
    if (!reading) return { kind: 'drop' };
    this.id ??= chatCompletionId(reading.responseId);
    if (reading.modelVersion) this.model = reading.modelVersion;
    if (reading.usage) {
      this.geminiUsage = reading.usage;
      this.usage = convertGeminiUsage(reading.usage);
    }
    if (this.finished) return { kind: 'replace', frames: [] };

    const frames: Buffer[] = [];
    for (const part of reading.candidate?.parts ?? []) {
      if (part.kind === 'text' && part.text !== '') {
        this.countDelta(Buffer.byteLength(part.text));
        frames.push(this.chunk(part.thought ? { reasoning_content: part.text } : { content: part.text }, null));
      } else if (part.kind === 'functionCall') {
        const argumentsText = JSON.stringify(part.call.args);
        this.countDelta(Buffer.byteLength(argumentsText) + 1);
        const call = { index: this.toolCallCount, id: toolCallIdWithSignature(part.call.id ?? this.newToolCallId(), part.call.thoughtSignature), type: 'function', function: { name: part.call.name, arguments: argumentsText } };
        this.toolCallCount += 1;
        frames.push(this.chunk({ tool_calls: [call] }, null));
      }
    }
    const finishReason = reading.candidate?.finishReason ?? (reading.blockReason ? 'SAFETY' : null);
    if (finishReason === null) return { kind: 'replace', frames };
    this.finished = true;
    frames.push(this.chunk({}, mapGeminiFinishReason(finishReason, this.toolCallCount > 0)));
    if (this.options.clientWantsUsage && this.geminiUsage) frames.push(this.usageChunk(this.geminiUsage));
    return { kind: 'replace', frames, done: true };
  }

  private countDelta(bytes: number): void {
    this.sawContent = true;
    this.streamedCompletionTokens += Math.max(1, estimateTokensFromBytes(bytes));
  }

  private base(): JsonObject {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private chunk(delta: JsonObject, finishReason: string | null): Buffer {
    const withRole = this.roleSent ? delta : { role: 'assistant', ...delta };
    this.roleSent = true;
    return dataFrame({ ...this.base(), choices: [{ index: 0, delta: withRole, logprobs: null, finish_reason: finishReason }] });
  }

  private usageChunk(usage: GeminiUsageMetadata): Buffer {
    return dataFrame({ ...this.base(), choices: [], usage: geminiUsageToOpenAi(usage) });
  }
}

export function createGeminiStreamProcessor(options: { clientWantsUsage: boolean; secrets: string[] }): StreamProcessor {
  return new GeminiStreamProcessor(options);
}
