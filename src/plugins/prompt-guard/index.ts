import { GatewayError } from '../../errors/gateway-error.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { promptGuardPriority } from './definition.ts';
import { compilePattern, type PromptGuardConfig } from './prompt-guard-config.ts';
import { promptTexts } from './prompt-texts.ts';
import { PromptScorer, type PromptScore } from './score-prompt.ts';

const name = 'prompt-guard';

/** 400 naming the signals that fired — never the text. */
export function promptInjectionDetected(signals: string[]): GatewayError {
  return new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    code: 'prompt_injection_detected',
    message: `The request was blocked as a likely prompt injection (signals: ${signals.join(', ')}).`,
  });
}

/** 400 for the allow/deny lists (Kong ai-prompt-guard parity). */
export function promptDenied(reason: 'deny' | 'allow'): GatewayError {
  return new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    code: 'prompt_injection_detected',
    message: reason === 'deny' ? 'The request was blocked: the prompt matches a denied pattern (signals: deny_pattern).' : 'The request was blocked: the prompt matches none of the allowed patterns (signals: allow_pattern).',
  });
}

/** Kong's order: a deny match rejects even when an allow pattern matches too; with allow patterns set, one must match. */
export function checkLists(text: string, allow: readonly RegExp[], deny: readonly RegExp[]): 'deny' | 'allow' | null {
  if (deny.some((pattern) => pattern.test(text))) return 'deny';
  if (allow.length > 0 && !allow.some((pattern) => pattern.test(text))) return 'allow';
  return null;
}

/** The prompt guard's instance: checks each request's prompt against the lists and the scored signals (definition.ts). */
export function createPromptGuardPlugin(config: PromptGuardConfig, { logger }: PluginDependencies): Plugin {
  const allow = config.allow_patterns.map(compilePattern);
  const deny = config.deny_patterns.map(compilePattern);
  const scorer = new PromptScorer(config.disabled_signals);
  const selection = { allRoles: config.match_all_roles, lastUserOnly: config.allow_all_conversation_history };

  function report(ctx: RequestContext, outcome: string, result: PromptScore | null, list: string | null): void {
    logger.warn(
      {
        type: 'prompt_guard',
        requestId: ctx.id,
        action: config.action,
        outcome,
        score: result?.score,
        signals: result?.signals.map((signal) => `${signal.name}:${signal.strength}`),
        list: list ?? undefined,
      },
      outcome === 'blocked' ? 'prompt guard blocked a request' : 'prompt guard flagged a request',
    );
  }

  return {
    name,
    priority: promptGuardPriority,
    onRequest(ctx) {
      if (allow.length > 0 || deny.length > 0) {
        const texts = promptTexts(ctx.operation, ctx.body, { ...selection, withToolResults: false });
        const verdict = checkLists(texts.map((entry) => entry.text).join('\n'), allow, deny);
        if (verdict) {
          report(ctx, config.action === 'block' ? 'blocked' : 'flagged', null, verdict);
          if (config.action === 'block') throw promptDenied(verdict);
        }
      }
      if (!config.heuristics) return;
      const result = scorer.score(promptTexts(ctx.operation, ctx.body, { ...selection, withToolResults: true, withToolDefinitions: true }));
      ctx.state.set(name, result);
      if (result.score < config.threshold) return;
      report(ctx, config.action === 'block' ? 'blocked' : 'flagged', result, null);
      if (config.action === 'block') throw promptInjectionDetected(result.signals.map((signal) => signal.name));
    },
  };
}
