import { anthropicOnlyFieldsOf } from '../canonical/anthropic-only-fields.ts';
import type { ChatRequest } from '../canonical/chat.ts';
import { errors } from '../errors/catalogue.ts';
import type { Provider } from '../providers/provider.ts';
import type { RequestContext } from './context.ts';

/**
 * An Anthropic message thread (`thread: {type: 'create' | 'continue', ...}`, the beta the SDK's
 * tool runner uses by default) asks the server to hold the conversation between turns, so each
 * later turn sends only its new messages. Only Anthropic's own API holds threads: any other
 * target (a translated provider, Claude on Vertex AI) would get a lone tool result with neither
 * the question nor the tools. Such an attempt is refused with Anthropic's own rejection, 400
 * `thread_unsupported_request`, on which the SDK stops threading and sends the whole history.
 */
export function checkThread(ctx: RequestContext, provider: Provider): void {
  if (ctx.clientFormat !== 'anthropic' || ctx.operation !== 'chat' || provider.settings.type === 'anthropic') return;
  const thread = anthropicOnlyFieldsOf(ctx.body as ChatRequest)?.fields.thread;
  if (thread === undefined || thread === null || thread === false) return;
  throw errors.threadUnsupported(provider.settings.name);
}
