/** Splits "a, b,\nc" into ["a", "b", "c"]: comma or newline separated, trimmed, no empties, no duplicates. */
export function parseList(text: string): string[] {
  const items = text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  return [...new Set(items)];
}

/** Splits text into trimmed non-empty lines, for values that may contain commas (regular expressions). */
export function parseLines(text: string): string[] {
  const items = text
    .split('\n')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  return [...new Set(items)];
}

/** A scope list where empty means "any": [] becomes null. */
export function parseOptionalList(text: string): string[] | null {
  const items = parseList(text);
  return items.length > 0 ? items : null;
}
