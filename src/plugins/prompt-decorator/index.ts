import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';
import type { Plugin } from '../../pipeline/plugin.ts';
import { promptDecoratorPriority } from './definition.ts';
import type { PromptDecoratorConfig } from './prompt-decorator-config.ts';

const name = 'prompt-decorator';

/** The prompt-decorator plugin's instance: wraps each chat request's messages (definition.ts). */
export function createPromptDecoratorPlugin(config: PromptDecoratorConfig): Plugin {
  const prepend: readonly ChatMessage[] = config.prepend.map((message) => ({ ...message }));
  const append: readonly ChatMessage[] = config.append.map((message) => ({ ...message }));
  return {
    name,
    priority: promptDecoratorPriority,
    onRequest(ctx) {
      if (ctx.operation !== 'chat') return;
      const body = ctx.body as ChatRequest;
      // Fresh objects per request: a later plugin (pii) may rewrite message content in place.
      body.messages = [...prepend.map((message) => ({ ...message })), ...body.messages, ...append.map((message) => ({ ...message }))];
      ctx.bodyChanged = true;
    },
  };
}
