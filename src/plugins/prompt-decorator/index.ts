import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';
import type { Plugin, PluginDefinition } from '../../pipeline/plugin.ts';
import { promptDecoratorConfigSchema, type PromptDecoratorConfig } from './prompt-decorator-config.ts';

const name = 'prompt-decorator';
/**
 * Transformation range (1000-1999): after prompt-template (1700) has built the messages, before
 * content-rules (1550), pii (1500) and prompt-guard (1400), which then see the decorated prompt.
 */
const priority = 1600;

/**
 * Adds configured messages before and after a chat request's conversation (Kong's
 * ai-prompt-decorator), e.g. a company policy as the first system message. Chat only.
 */
export const promptDecoratorDefinition: PluginDefinition<PromptDecoratorConfig> = {
  name,
  description: 'Prepends and appends configured system/user messages to every chat request.',
  priority,
  configSchema: promptDecoratorConfigSchema,
  create(config): Plugin {
    const prepend: readonly ChatMessage[] = config.prepend.map((message) => ({ ...message }));
    const append: readonly ChatMessage[] = config.append.map((message) => ({ ...message }));
    return {
      name,
      priority,
      onRequest(ctx) {
        if (ctx.operation !== 'chat') return;
        const body = ctx.body as ChatRequest;
        // Fresh objects per request: a later plugin (pii) may rewrite message content in place.
        body.messages = [...prepend.map((message) => ({ ...message })), ...body.messages, ...append.map((message) => ({ ...message }))];
        ctx.bodyChanged = true;
      },
    };
  },
};
