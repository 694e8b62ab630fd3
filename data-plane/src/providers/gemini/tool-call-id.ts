// OpenAI tool call ids for Gemini function calls. Gemini 3 signs each function call (thoughtSignature) and refuses the
// next turn without it; OpenAI clients echo tool call ids verbatim, so the signature rides inside the id and is taken
// out again when the conversation comes back.
import { randomBytes } from 'node:crypto';

const SIGNATURE_SEPARATOR = '__sig__';

export function generatedToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

export function toolCallIdWithSignature(id: string, thoughtSignature: string | null): string {
  return thoughtSignature ? `${id}${SIGNATURE_SEPARATOR}${thoughtSignature}` : id;
}

export function thoughtSignatureOf(toolCallId: unknown): string | null {
  if (typeof toolCallId !== 'string') return null;
  const index = toolCallId.indexOf(SIGNATURE_SEPARATOR);
  return index === -1 ? null : toolCallId.slice(index + SIGNATURE_SEPARATOR.length) || null;
}
