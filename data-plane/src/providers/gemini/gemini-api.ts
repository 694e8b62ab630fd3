// Readers for the Gemini generateContent wire format: only the fields we use, each nullish, so upstream additions
// never break us. Shared by the upstream adapter (Gemini replies) and the client wire (Gemini requests).

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

export interface GeminiFunctionCall {
  name: string;
  args: JsonObject;
  id: string | null;
  /** Gemini 3 signs its function calls and wants the signature back with the call in the next request. */
  thoughtSignature: string | null;
}

export type GeminiPartReading =
  | { kind: 'text'; text: string; thought: boolean }
  | { kind: 'functionCall'; call: GeminiFunctionCall }
  | { kind: 'other' };

export function readGeminiPart(part: unknown): GeminiPartReading {
  if (!isJsonObject(part)) return { kind: 'other' };
  if (typeof part.text === 'string') return { kind: 'text', text: part.text, thought: part.thought === true };
  const call = part.functionCall;
  if (isJsonObject(call) && typeof call.name === 'string') {
    const signature = typeof part.thoughtSignature === 'string' && part.thoughtSignature ? part.thoughtSignature : null;
    return {
      kind: 'functionCall',
      call: { name: call.name, args: isJsonObject(call.args) ? call.args : {}, id: typeof call.id === 'string' && call.id ? call.id : null, thoughtSignature: signature },
    };
  }
  return { kind: 'other' };
}

export interface GeminiCandidateReading {
  parts: GeminiPartReading[];
  finishReason: string | null;
}

export interface GeminiUsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  thoughtsTokenCount: number;
  cachedContentTokenCount: number;
  toolUsePromptTokenCount: number;
}

export interface GeminiResponseReading {
  /** The first candidate only: the gateway refuses candidateCount > 1. */
  candidate: GeminiCandidateReading | null;
  /** Set when the prompt itself was blocked (no candidates at all). */
  blockReason: string | null;
  usage: GeminiUsageMetadata | null;
  responseId: string | null;
  modelVersion: string | null;
}

export function readGeminiUsage(value: unknown): GeminiUsageMetadata | null {
  if (!isJsonObject(value)) return null;
  return {
    promptTokenCount: tokenCount(value.promptTokenCount),
    candidatesTokenCount: tokenCount(value.candidatesTokenCount),
    thoughtsTokenCount: tokenCount(value.thoughtsTokenCount),
    cachedContentTokenCount: tokenCount(value.cachedContentTokenCount),
    toolUsePromptTokenCount: tokenCount(value.toolUsePromptTokenCount),
  };
}

/** A generateContent reply (or one streamed frame of it); null when it is not one. */
export function readGeminiResponse(value: unknown): GeminiResponseReading | null {
  if (!isJsonObject(value)) return null;
  if ('error' in value) return null;
  const { candidates, promptFeedback, usageMetadata, responseId, modelVersion } = value;
  if (candidates !== undefined && candidates !== null && !Array.isArray(candidates)) return null;
  let candidate: GeminiCandidateReading | null = null;
  const first: unknown = Array.isArray(candidates) ? candidates[0] : undefined;
  if (isJsonObject(first)) {
    const content = first.content;
    const parts = isJsonObject(content) && Array.isArray(content.parts) ? content.parts.map(readGeminiPart) : [];
    candidate = { parts, finishReason: typeof first.finishReason === 'string' ? first.finishReason : null };
  }
  const blockReason = isJsonObject(promptFeedback) && typeof promptFeedback.blockReason === 'string' ? promptFeedback.blockReason : null;
  return {
    candidate,
    blockReason,
    usage: readGeminiUsage(usageMetadata),
    responseId: typeof responseId === 'string' && responseId ? responseId : null,
    modelVersion: typeof modelVersion === 'string' && modelVersion ? modelVersion : null,
  };
}

export interface GeminiErrorReading {
  code: number | null;
  message: string | null;
  status: string | null;
  /** `reason` values of the error details (e.g. API_KEY_INVALID). */
  reasons: string[];
}

/** `{"error": {"code", "message", "status", "details"}}` (also a one-element array of it); null otherwise. */
export function readGeminiError(value: unknown): GeminiErrorReading | null {
  const body = Array.isArray(value) ? value[0] : value;
  if (!isJsonObject(body) || !isJsonObject(body.error)) return null;
  const { code, message, status, details } = body.error;
  const reasons = Array.isArray(details) ? details.flatMap((detail) => (isJsonObject(detail) && typeof detail.reason === 'string' ? [detail.reason] : [])) : [];
  return {
    code: typeof code === 'number' ? code : null,
    message: typeof message === 'string' ? message : null,
    status: typeof status === 'string' ? status : null,
    reasons,
  };
}
