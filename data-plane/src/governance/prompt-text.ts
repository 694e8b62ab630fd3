// The user-visible text of a request body as the relay holds it (OpenAI shapes: chat messages, or the `input` /
// `prompt` of embeddings, completions, moderations and rerank), read and rewritten in place for masking.
type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A place holding prompt text: read it, or replace it. */
interface TextSlot {
  text: string;
  write(next: string): void;
}

function stringSlots(holder: JsonObject | unknown[], key: string | number, slots: TextSlot[]): void {
  const value = (holder as Record<string | number, unknown>)[key];
  if (typeof value === 'string') {
    slots.push({ text: value, write: (next) => ((holder as Record<string | number, unknown>)[key] = next) });
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      if (typeof item === 'string') stringSlots(value, index, slots);
      // Chat content parts and Responses-style parts: { type: 'text', text }.
      else if (isJsonObject(item) && typeof item.text === 'string') stringSlots(item, 'text', slots);
    }
  }
}

/** Every text slot of the body: message contents (strings and text parts), `input`, `prompt`, `query`, `documents`. */
export function promptTextSlots(body: JsonObject): TextSlot[] {
  const slots: TextSlot[] = [];
  const messages = body.messages;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (isJsonObject(message)) stringSlots(message, 'content', slots);
    }
  }
  for (const field of ['input', 'prompt', 'query', 'documents', 'instructions', 'system']) stringSlots(body, field, slots);
  return slots;
}
