// Checks a governance pattern before it reaches the data plane, where it runs on every prompt. Patterns run on RE2
// (re2js: linear time whatever the pattern, so no catastrophic backtracking), which also means RE2 syntax: no
// lookaround, no backreferences. A pattern must compile there, stay short, and never match the empty string (a mask
// would insert text between every character; a block would fire on every prompt).
import { RE2JS } from 're2js';

export const MAX_PATTERN_LENGTH = 500;

/** null when the pattern is acceptable, otherwise why not. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'a pattern must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `a pattern must be at most ${MAX_PATTERN_LENGTH} characters`;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  } catch (error) {
    return `not a valid RE2 regular expression (no lookaround or backreferences): ${error instanceof Error ? error.message : 'cannot compile'}`;
  }
  if (compiled.matcher('').find()) return 'the pattern matches the empty string; make it require at least one character';
  return null;
}
