import { errors } from '../../errors/catalogue.ts';
import type { AnthropicResponse } from './anthropic-api.ts';

type Block = Record<string, unknown> & { type?: unknown };

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/**
 * One content block's events, as Anthropic streams that block: its start (empty), its deltas, its
 * stop. Also how the Anthropic client format streams a block it got whole (a server tool's call or
 * result, ../../formats/anthropic/anthropic-stream-encoder.ts).
 */
export function anthropicBlockEvents(block: Block, index: number): string {
  let out: string;
  switch (block.type) {
    case 'text': {
      const { text, citations, ...rest } = block;
      // Citations come as deltas, into the list the start holds (null when the block has none).
      const start = 'citations' in block ? { ...rest, text: '', citations: Array.isArray(citations) ? [] : null } : { ...rest, text: '' };
      out = event('content_block_start', { index, content_block: start });
      for (const citation of Array.isArray(citations) ? citations : []) out += event('content_block_delta', { index, delta: { type: 'citations_delta', citation } });
      if (typeof text === 'string' && text !== '') out += event('content_block_delta', { index, delta: { type: 'text_delta', text } });
      break;
    }
    case 'thinking': {
      const { thinking, signature, ...rest } = block;
      out = event('content_block_start', { index, content_block: { ...rest, thinking: '', signature: '' } });
      if (typeof thinking === 'string' && thinking !== '') out += event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } });
      if (typeof signature === 'string' && signature !== '') out += event('content_block_delta', { index, delta: { type: 'signature_delta', signature } });
      break;
    }
    default: {
      // tool_use and the server tools' calls stream their input as JSON; other blocks (redacted_thinking, tool results) come whole in their start.
      if ('input' in block) {
        const { input, ...rest } = block;
        out = event('content_block_start', { index, content_block: { ...rest, input: {} } }) + event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(input ?? {}) } });
      } else {
        out = event('content_block_start', { index, content_block: block });
      }
    }
  }
  return out + event('content_block_stop', { index });
}

/**
 * A whole Messages API answer as the event stream Anthropic sends for it: message_start (the
 * message without content, its usage), each content block's events, message_delta (stop_reason,
 * stop_sequence, the usage), message_stop. For a provider that answered a streamed call with one
 * JSON body: the client that asked for a stream gets one (as bytes on the passthrough, translated
 * otherwise). A body that is not a message is the provider's bad response.
 */
export function anthropicMessageAsEvents(body: Buffer, provider: string): Buffer {
  let message: AnthropicResponse;
  try {
    message = JSON.parse(body.toString('utf8')) as AnthropicResponse;
  } catch {
    throw errors.upstreamBadResponse(provider, 'a streamed call was answered with a body that is neither an event stream nor JSON');
  }
  if (message === null || typeof message !== 'object' || message.type !== 'message' || !Array.isArray(message.content)) {
    throw errors.upstreamBadResponse(provider, 'a streamed call was answered with JSON that is not a message');
  }
  const { content, stop_reason: stopReason, stop_sequence: stopSequence, usage, stop_details: stopDetails, ...rest } = message as AnthropicResponse & { stop_details?: unknown };
  const start: Record<string, unknown> = { ...rest, content: [], stop_reason: null, stop_sequence: null, usage };
  if (stopDetails !== undefined) start.stop_details = null;
  let out = event('message_start', { message: start });
  content.forEach((block, index) => (out += anthropicBlockEvents(block as Block, index)));
  const delta: Record<string, unknown> = { stop_reason: stopReason, stop_sequence: stopSequence ?? null };
  if (stopDetails !== undefined) delta.stop_details = stopDetails;
  out += event('message_delta', { delta, usage }) + event('message_stop', {});
  return Buffer.from(out);
}
