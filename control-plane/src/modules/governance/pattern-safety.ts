// Checks a governance pattern before it can reach the data plane, where it runs on every prompt: it must compile with
// the flags the data plane uses, stay short, and avoid the shapes that backtrack catastrophically (nested or
// overlapping quantifiers, backreferences).
export const MAX_PATTERN_LENGTH = 500;

/** A group whose body is quantified and that is itself quantified: (a+)+, (\w*)*, (x|y+){2,}. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,?\d*\})/;
/** Alternatives under a quantified group: (a|a)+, (\w|\d)*. */
const QUANTIFIED_ALTERNATION = /\((?:[^()\\]|\\.)*\|(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;
const BACKREFERENCE = /\\[1-9]|\\k</;

/** null when the pattern is acceptable, otherwise why not. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'a pattern must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `a pattern must be at most ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern, 'giu');
  } catch (error) {
    return `invalid regular expression: ${error instanceof Error ? error.message : 'cannot compile'}`;
  }
  if (NESTED_QUANTIFIER.test(pattern) || QUANTIFIED_ALTERNATION.test(pattern)) {
    return 'nested or alternated quantifiers such as (a+)+ or (a|b)* can take exponential time; rewrite the pattern';
  }
  if (BACKREFERENCE.test(pattern)) return 'backreferences are not allowed in governance patterns';
  return null;
}
