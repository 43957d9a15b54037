import { definePlugin } from '../../pipeline/define-plugin.ts';
import { promptTemplateConfigSchema, type PromptTemplateConfig } from './prompt-template-config.ts';

/**
 * Transformation range (1000-1999), first of the prompt builders: after authentication (3000s)
 * and limits (2000s), before prompt-decorator (1600), content-rules (1550), pii (1500) and
 * prompt-guard (1400), so every guardrail sees the expanded prompt.
 */
export const promptTemplatePriority = 1700;

/**
 * Named prompt templates: a chat request may send {"template": "summarize", "variables": {...}}
 * instead of messages; the variables are checked against their declared types and inserted in
 * one pass (a value never becomes template syntax). Enabled by default so a `template` field
 * never reaches a provider unexpanded; with no templates it costs one property check.
 */
export const promptTemplateDefinition = definePlugin<PromptTemplateConfig>({
  name: 'prompt-template',
  description: 'Expands named prompt templates with typed, escaped {{variables}} into chat messages.',
  priority: promptTemplatePriority,
  enabledByDefault: true,
  configSchema: promptTemplateConfigSchema,
  implementation: async () => (await import('./index.ts')).createPromptTemplatePlugin,
});
