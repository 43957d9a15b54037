import { definePlugin } from '../../pipeline/define-plugin.ts';
import { promptGuardConfigSchema, type PromptGuardConfig } from './prompt-guard-config.ts';

/** Guardrails range (1000-1999), after pii (1500) so masked values are what it sees. */
export const promptGuardPriority = 1400;

/**
 * Prompt-injection and jailbreak guard: Kong-style allow/deny regex lists plus a heuristic
 * detector whose scored signals decide block or flag. Logs the score and signals, never the text.
 */
export const promptGuardDefinition = definePlugin<PromptGuardConfig>({
  name: 'prompt-guard',
  description: 'Blocks or flags prompt injection and jailbreak attempts (allow/deny regex lists and a scored heuristic detector).',
  priority: promptGuardPriority,
  configSchema: promptGuardConfigSchema,
  implementation: async () => (await import('./index.ts')).createPromptGuardPlugin,
});
