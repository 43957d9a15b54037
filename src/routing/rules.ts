import type { RuleConditionConfig } from '../config/schema.ts';
import type { RequestFacts } from './request-facts.ts';
import type { RoutingRequest } from './routing-request.ts';

/** One condition of a rule, compiled at config load. */
export type Condition = (request: RoutingRequest, facts: RequestFacts) => boolean;

/** Parses "/pattern/flags" or a bare pattern; throws SyntaxError for a bad expression. */
export function parseRegExp(text: string): RegExp {
  const literal = /^\/(.+)\/([dgimsuvy]*)$/s.exec(text);
  const expression = literal ? new RegExp(literal[1], literal[2].replace(/[gy]/g, '')) : new RegExp(text);
  return expression;
}

function headerEquals(request: RoutingRequest, name: string, value: string): boolean {
  const actual = request.headers[name];
  return Array.isArray(actual) ? actual.includes(value) : actual === value;
}

/**
 * Compiles a rule's `when:` into one predicate (all conditions must hold). Cheap checks come
 * first so that a request that fails them never pays for a token estimate or a regex.
 */
export function compileConditions(when: RuleConditionConfig, path: string, problems: string[]): Condition | null {
  const checks: Condition[] = [];
  const headers = Object.entries(when.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value] as const);
  if (headers.length > 0) checks.push((request) => headers.every(([name, value]) => headerEquals(request, name, value)));
  const metadata = Object.entries(when.metadata ?? {});
  if (metadata.length > 0) checks.push((request) => metadata.every(([name, value]) => request.caller.metadata?.[name] === value));
  if (when.tier !== undefined) {
    const tiers = new Set(Array.isArray(when.tier) ? when.tier : [when.tier]);
    checks.push((request) => {
      const tier = request.caller.metadata?.tier;
      return tier !== undefined && tiers.has(tier);
    });
  }
  if (when.has_tools !== undefined) {
    const wanted = when.has_tools;
    checks.push((_request, facts) => facts.hasTools === wanted);
  }
  if (when.has_images !== undefined) {
    const wanted = when.has_images;
    checks.push((_request, facts) => facts.hasImages === wanted);
  }
  if (when.last_user_message_contains !== undefined) {
    const keywords = when.last_user_message_contains.map((keyword) => keyword.toLowerCase());
    checks.push((_request, facts) => {
      const text = facts.lastUserText.toLowerCase();
      return keywords.some((keyword) => text.includes(keyword));
    });
  }
  if (when.last_user_message_matches !== undefined) {
    try {
      const expression = parseRegExp(when.last_user_message_matches);
      checks.push((_request, facts) => expression.test(facts.lastUserText));
    } catch (error) {
      problems.push(`${path}.last_user_message_matches: not a valid regular expression (${(error as Error).message})`);
      return null;
    }
  }
  if (when.prompt_tokens_above !== undefined) {
    const above = when.prompt_tokens_above;
    checks.push((_request, facts) => facts.promptTokens > above);
  }
  if (when.prompt_tokens_below !== undefined) {
    const below = when.prompt_tokens_below;
    checks.push((_request, facts) => facts.promptTokens < below);
  }
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0];
  return (request, facts) => checks.every((check) => check(request, facts));
}
