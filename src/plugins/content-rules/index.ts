import type { ChatRequest } from '../../canonical/chat.ts';
import { compileLinearRegExp, type LinearRegExp } from '../../config/linear-regexp.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { responsesEchoIn } from '../../formats/openai-responses/responses-echo.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { compileGlob, type Glob } from '../../routing/glob.ts';
import { estimatePromptTokens } from '../../usage/estimate-request-tokens.ts';
import { compileBlockedTerms } from './blocked-terms.ts';
import type { ContentRulesConfig, RuleOverrides } from './content-rules-config.ts';
import { contentRulesPriority } from './definition.ts';
import { countCharacters, promptTexts } from './measure-prompt.ts';
import { termSearchTexts } from './term-search-texts.ts';

const name = 'content-rules';

/** 400 naming the rule that was broken — never the text that broke it. */
export function contentPolicyViolation(rule: string, detail: string, param?: string): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'content_policy_violation', param, message: `The request breaks the content rule '${rule}': ${detail}.` });
}

/** The rules for one caller, resolved once at load (top level, then tier, then consumer). */
interface ResolvedRules {
  maxPromptTokens?: number;
  maxMessages?: number;
  maxCharacters?: number;
  allowed: Glob[] | null;
  denied: Glob[];
  /** For messages: 'tier free', 'consumer alice' or 'this route'. */
  scope: string;
}

function resolve(layers: Array<RuleOverrides | undefined>, scope: string): ResolvedRules {
  const merged: RuleOverrides = {};
  for (const layer of layers) if (layer) for (const [key, value] of Object.entries(layer)) if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  return {
    maxPromptTokens: merged.max_prompt_tokens,
    maxMessages: merged.max_messages,
    maxCharacters: merged.max_characters,
    allowed: merged.allowed_models ? merged.allowed_models.map(compileGlob) : null,
    denied: (merged.denied_models ?? []).map(compileGlob),
    scope,
  };
}

interface MetadataRule {
  metadata?: string;
  header?: string;
  /** Matched against a client's value: linear time (RE2), whatever the operator wrote. */
  pattern?: LinearRegExp;
  label: string;
}

function compileMetadataRules(config: ContentRulesConfig): MetadataRule[] {
  return config.required_metadata.map((entry) => {
    const rule = typeof entry === 'string' ? { metadata: entry } : entry;
    const label = [rule.metadata !== undefined ? `metadata.${rule.metadata}` : null, rule.header !== undefined ? `header ${rule.header}` : null].filter(Boolean).join(' or ');
    return { metadata: rule.metadata, header: rule.header?.toLowerCase(), pattern: rule.pattern === undefined ? undefined : compileLinearRegExp(rule.pattern), label };
  });
}

function metadataValue(ctx: RequestContext, rule: MetadataRule): string | undefined {
  if (rule.metadata !== undefined) {
    // A Responses request's metadata shapes only its Response, so it is kept beside the canonical body.
    const metadata = ctx.clientFormat === 'openai-responses' ? responsesEchoIn(ctx.state).metadata : (ctx.body as { metadata?: unknown }).metadata;
    const value = metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, unknown>)[rule.metadata] : undefined;
    if (typeof value === 'string' && value !== '') return value;
  }
  if (rule.header !== undefined) {
    const value = ctx.headers[rule.header];
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string' && text !== '') return text;
  }
  return undefined;
}

/** The content-rules plugin's instance: the rules resolved once per tier and consumer, checked per request (definition.ts). */
export function createContentRulesPlugin(config: ContentRulesConfig, { logger }: PluginDependencies): Plugin {
  const base = resolve([config], 'this route');
  const byTier = new Map(Object.entries(config.tiers).map(([tier, rules]) => [tier, resolve([config, rules], `tier '${tier}'`)]));
  const byConsumer = new Map(
    Object.entries(config.consumers).map(([consumer, rules]) => [consumer, { rules, cache: new Map<string | undefined, ResolvedRules>() }]),
  );
  const blocked = compileBlockedTerms(config.blocked_terms);
  const metadataRules = compileMetadataRules(config);

  function rulesFor(ctx: RequestContext): ResolvedRules {
    const tier = ctx.caller.metadata?.tier ?? config.default_tier;
    const consumer = ctx.caller.consumer === undefined ? undefined : byConsumer.get(ctx.caller.consumer);
    if (consumer) {
      let rules = consumer.cache.get(tier);
      if (!rules) {
        rules = resolve([config, tier === undefined ? undefined : config.tiers[tier], consumer.rules], `consumer '${ctx.caller.consumer}'`);
        consumer.cache.set(tier, rules);
      }
      return rules;
    }
    return (tier === undefined ? undefined : byTier.get(tier)) ?? base;
  }

  function reject(ctx: RequestContext, error: GatewayError, rule: string): never {
    logger.info({ type: 'content_rules', requestId: ctx.id, rule, consumer: ctx.caller.consumer }, 'content rules refused a request');
    throw error;
  }

  return {
    name,
    priority: contentRulesPriority,
    onRequest(ctx) {
      for (const rule of metadataRules) {
        const value = metadataValue(ctx, rule);
        if (value === undefined) reject(ctx, contentPolicyViolation('required_metadata', `${rule.label} is required`, rule.metadata !== undefined ? `metadata.${rule.metadata}` : undefined), 'required_metadata');
        if (rule.pattern && !rule.pattern.testWhole(value)) reject(ctx, contentPolicyViolation('required_metadata', `${rule.label} does not have an accepted value`, rule.metadata !== undefined ? `metadata.${rule.metadata}` : undefined), 'required_metadata');
      }
      const rules = rulesFor(ctx);
      const model = ctx.requestedModel;
      if (rules.denied.some((pattern) => pattern.test(model))) reject(ctx, contentPolicyViolation('denied_models', `the model '${model}' is not available to ${rules.scope}`, 'model'), 'denied_models');
      if (rules.allowed && !rules.allowed.some((pattern) => pattern.test(model))) reject(ctx, contentPolicyViolation('allowed_models', `the model '${model}' is not available to ${rules.scope}`, 'model'), 'allowed_models');
      if (ctx.operation === 'embeddings') return;
      if (rules.maxMessages !== undefined && ctx.operation === 'chat') {
        const count = (ctx.body as ChatRequest).messages.length;
        if (count > rules.maxMessages) reject(ctx, contentPolicyViolation('max_messages', `${count} messages, at most ${rules.maxMessages} allowed for ${rules.scope}`, 'messages'), 'max_messages');
      }
      if (rules.maxPromptTokens !== undefined) {
        const tokens = estimatePromptTokens(ctx.operation, ctx.body);
        if (tokens > rules.maxPromptTokens) reject(ctx, contentPolicyViolation('max_prompt_tokens', `about ${tokens} prompt tokens, at most ${rules.maxPromptTokens} allowed for ${rules.scope}`), 'max_prompt_tokens');
      }
      if (rules.maxCharacters === undefined && blocked === null) return;
      if (rules.maxCharacters !== undefined) {
        let characters = 0;
        for (const entry of promptTexts(ctx.operation, ctx.body)) characters += countCharacters(entry.text);
        if (characters > rules.maxCharacters) reject(ctx, contentPolicyViolation('max_characters', `${characters} characters of prompt, at most ${rules.maxCharacters} allowed for ${rules.scope}`), 'max_characters');
      }
      if (blocked) {
        for (const entry of termSearchTexts(ctx.operation, ctx.body, config.blocked_terms_roles === 'all')) {
          if (config.blocked_terms_roles === 'user' && entry.role !== 'user') continue;
          if (blocked.test(entry.text)) reject(ctx, contentPolicyViolation('blocked_terms', 'the prompt contains a blocked term'), 'blocked_terms');
        }
      }
    },
  };
}
