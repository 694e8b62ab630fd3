/** Splits "a, b,\nc" into ["a", "b", "c"]: comma or newline separated, trimmed, no empties, no duplicates. */
export function parseList(text: string): string[] {
  const items = text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  return [...new Set(items)];
}
