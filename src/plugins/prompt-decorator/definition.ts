import { definePlugin } from '../../pipeline/define-plugin.ts';
import { promptDecoratorConfigSchema, type PromptDecoratorConfig } from './prompt-decorator-config.ts';

/**
 * Transformation range (1000-1999): after prompt-template (1700) has built the messages, before
 * content-rules (1550), pii (1500) and prompt-guard (1400), which then see the decorated prompt.
 */
export const promptDecoratorPriority = 1600;

/**
 * Adds configured messages before and after a chat request's conversation (Kong's
 * ai-prompt-decorator), e.g. a company policy as the first system message. Chat only.
 */
export const promptDecoratorDefinition = definePlugin<PromptDecoratorConfig>({
  name: 'prompt-decorator',
  description: 'Prepends and appends configured system/user messages to every chat request.',
  priority: promptDecoratorPriority,
  configSchema: promptDecoratorConfigSchema,
  implementation: async () => (await import('./index.ts')).createPromptDecoratorPlugin,
});
