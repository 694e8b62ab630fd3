// Channel key lists: parsing what an admin pasted, hints that never reveal a key, and per-key state kept across edits.
import { channelKeyId } from '@nebulagate/schema';
import type { ChannelKeyState } from './channel.entity';

/** Keys as a list, a comma/newline separated string, or both mixed; trimmed, empty entries and duplicates dropped. */
export function splitKeys(keys: string | readonly string[]): string[] {
  const parts = typeof keys === 'string' ? [keys] : keys;
  const all = parts.flatMap((part) => part.split(/[\n,\r]+/)).map((key) => key.trim()).filter((key) => key.length > 0);
  return [...new Set(all)];
}

/** e.g. sk-…9f3a: enough to recognise a key, useless to an attacker. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '…';
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}

export interface PlainKey {
  key: string;
  state: ChannelKeyState;
}

/**
 * States for a new key list: a key that was already on the channel keeps its enabled flag (an admin's disable survives
 * pasting the list again); new keys start enabled.
 */
export function keyStatesFor(plainKeys: readonly string[], previous: readonly ChannelKeyState[]): ChannelKeyState[] {
  const previousById = new Map(previous.map((state) => [state.id, state]));
  return plainKeys.map((key) => {
    const id = channelKeyId(key);
    return { id, hint: maskKey(key), enabled: previousById.get(id)?.enabled ?? true };
  });
}

/** True when keyStates describes sealedKeys one to one (channels saved before per-key state have none). */
export function keyStatesAligned(sealedKeys: readonly string[], keyStates: readonly ChannelKeyState[]): boolean {
  return keyStates.length === sealedKeys.length;
}
