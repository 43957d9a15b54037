import { definePlugin } from '../../pipeline/define-plugin.ts';
import { contentRulesConfigSchema, type ContentRulesConfig } from './content-rules-config.ts';

/**
 * Guardrails range (1000-1999). After prompt-template (1700) and prompt-decorator (1600), so the
 * size limits and blocked terms apply to the prompt the model will read; before pii (1500) and
 * prompt-guard (1400), so an oversized or off-limits request is refused before the costlier scans.
 */
export const contentRulesPriority = 1550;

/**
 * Content rules: prompt size limits (estimated tokens, messages, characters), blocked terms,
 * allowed/denied models per consumer tier or consumer, and required request metadata. A broken
 * rule is a 400 content_policy_violation naming the rule.
 */
export const contentRulesDefinition = definePlugin<ContentRulesConfig>({
  name: 'content-rules',
  description: 'Limits prompt size, blocks terms, restricts models per consumer tier and requires request metadata.',
  priority: contentRulesPriority,
  configSchema: contentRulesConfigSchema,
  implementation: async () => (await import('./index.ts')).createContentRulesPlugin,
});
