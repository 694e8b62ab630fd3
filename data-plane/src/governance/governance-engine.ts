// Evaluates the snapshot's governance rules against one request: detect (regex / keyword in the prompt text, scoped by
// model, path, group and token) -> block, mask, reroute or tag. Pure apart from rewriting masked text in the body.
// Patterns run on RE2 (re2js): linear time in the prompt length whatever the pattern, so a rule can never stall the
// event loop on a hostile prompt.
import type { GovernanceRule, UsageEvent } from '@nebulagate/schema';
import { RE2JS } from 're2js';
import { logger } from '../observability/logger';
import { promptTextSlots } from './prompt-text';

export type GovernanceHit = UsageEvent['governanceHits'][number];

export interface GovernanceRequest {
  body: Record<string, unknown>;
  model: string;
  path: string;
  group: string;
  tokenId: string;
}

export interface GovernanceVerdict {
  hits: GovernanceHit[];
  tags: string[];
  /** The rule that blocks the request, if any (evaluation stopped there). */
  blockedBy: GovernanceRule | null;
  /** The model to serve instead, if a reroute rule matched. */
  rerouteModel: string | null;
}

interface CompiledRule {
  rule: GovernanceRule;
  /** null = the rule matches on its scope alone. */
  matcher: RE2JS | null;
  /** The mask text, quoted so it is inserted literally. */
  replacement: string;
}

const MAX_EXCERPT_LENGTH = 200;

function compileRule(rule: GovernanceRule): CompiledRule | null {
  const sources = [...rule.match.patterns, ...rule.match.keywords.filter((keyword) => keyword.length > 0).map((keyword) => RE2JS.quote(keyword))];
  const replacement = RE2JS.quoteReplacement(rule.maskWith);
  if (sources.length === 0) return { rule, matcher: null, replacement };
  try {
    const matcher = RE2JS.compile(sources.map((source) => `(?:${source})`).join('|'), rule.match.caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
    // A pattern that matches nothing at all would hit every prompt (the control plane refuses these).
    if (matcher.matcher('').find()) throw new Error('matches the empty string');
    return { rule, matcher, replacement };
  } catch {
    // The control plane validates patterns; a snapshot written by hand could still carry a bad one.
    logger.warn('governance rule skipped: invalid pattern', { ruleId: rule.id });
    return null;
  }
}

// Compiled once per snapshot (the rules array is immutable and replaced with every new snapshot).
const compiledByRules = new WeakMap<readonly GovernanceRule[], CompiledRule[]>();

function compiledRules(rules: readonly GovernanceRule[]): CompiledRule[] {
  let compiled = compiledByRules.get(rules);
  if (!compiled) {
    compiled = [...rules]
      .sort((a, b) => a.order - b.order)
      .map(compileRule)
      .filter((rule): rule is CompiledRule => rule !== null);
    compiledByRules.set(rules, compiled);
  }
  return compiled;
}

function inScope(rule: GovernanceRule, request: GovernanceRequest): boolean {
  const { models, paths, groups, tokenIds } = rule.match;
  if (models && !models.includes(request.model)) return false;
  if (paths && !paths.some((path) => request.path === path || request.path.endsWith(path))) return false;
  if (groups && !groups.includes(request.group)) return false;
  if (tokenIds && !tokenIds.includes(request.tokenId)) return false;
  return true;
}

/** The first match in the prompt text, or null. */
function firstMatch(matcher: RE2JS, texts: readonly string[]): string | null {
  for (const text of texts) {
    const match = matcher.matcher(text);
    if (match.find()) return match.group() ?? '';
  }
  return null;
}

export function evaluateGovernance(rules: readonly GovernanceRule[], request: GovernanceRequest): GovernanceVerdict {
  const verdict: GovernanceVerdict = { hits: [], tags: [], blockedBy: null, rerouteModel: null };
  if (rules.length === 0) return verdict;
  const slots = promptTextSlots(request.body);
  for (const { rule, matcher, replacement } of compiledRules(rules)) {
    if (!inScope(rule, request)) continue;
    const texts = slots.map((slot) => slot.text);
    const matched = matcher ? firstMatch(matcher, texts) : '';
    if (matched === null) continue;
    verdict.hits.push({ ruleId: rule.id, action: rule.action, excerpt: rule.recordMatch && matched ? matched.slice(0, MAX_EXCERPT_LENGTH) : null });
    if (rule.action === 'block') {
      verdict.blockedBy = rule;
      return verdict;
    }
    if (rule.action === 'reroute' && rule.rerouteModel) {
      verdict.rerouteModel = rule.rerouteModel;
      return verdict;
    }
    if (rule.action === 'tag' && rule.tag && !verdict.tags.includes(rule.tag)) verdict.tags.push(rule.tag);
    if (rule.action === 'mask' && matcher) {
      for (const slot of slots) {
        const masked = matcher.matcher(slot.text).replaceAll(replacement);
        if (masked !== slot.text) {
          slot.write(masked);
          slot.text = masked;
        }
      }
    }
  }
  return verdict;
}
