import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';

/**
 * A Messages API stand-in that refuses what Anthropic refuses (the rules the audit of the Anthropic
 * paths found gateways breaking, as Anthropic's errors word them), so a test that gets an answer
 * shows the request was one Anthropic takes. Written apart from the adapter: the model rule is
 * spelled out here, not taken from src/.
 */

/** Opus 4.7 and later, generation 5 and later, Mythos and Fable (Anthropic's adaptive-thinking-only models). */
const adaptiveOnlyModel = /claude-(opus-4-([7-9]|\d\d)|[a-z]+-([5-9]|\d\d)|mythos|fable)/;
/**
 * Models that take temperature or top_p but not both: Sonnet 4.5 and Haiku 4.5 (Anthropic's "Migrating
 * to Claude 4.5": "Use only temperature OR top_p, not both"), and, as users of Anthropic's API and
 * Bedrock report the same 400, Opus 4.1, Opus 4.5, Opus 4.6 and Sonnet 4.6.
 */
const oneSamplerModel = /claude-(opus-4-[156]|sonnet-4-[56]|haiku-4-5)(?!\d)/;
const imageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const toolUseIdPattern = /^[a-zA-Z0-9_-]+$/;

type Block = { type: string; text?: string; id?: string; tool_use_id?: string; source?: { type: string; media_type?: string }; content?: unknown };
type Body = {
  model: string;
  messages?: Array<{ role: string; content: string | Block[] }>;
  max_tokens?: number;
  stop_sequences?: string[];
  thinking?: { type: string; budget_tokens?: number };
  output_config?: { effort?: string };
  stream?: boolean;
  [field: string]: unknown;
};

/** Why Anthropic would refuse the body, or null when it would answer. */
export function anthropicRefusal(body: Body): string | null {
  const adaptiveOnly = adaptiveOnlyModel.test(body.model);
  for (const name of ['temperature', 'top_p', 'top_k']) if (adaptiveOnly && body[name] !== undefined) return `\`${name}\` is deprecated for this model.`;
  if (oneSamplerModel.test(body.model) && body.temperature !== undefined && body.top_p !== undefined) return '`temperature` and `top_p` cannot both be specified for this model. Please use only one.';
  if (adaptiveOnly && body.thinking?.type === 'enabled') return '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.';
  if (body.thinking?.type === 'enabled' && (body.thinking.budget_tokens ?? 0) < 1024) return 'thinking.budget_tokens: Input should be greater than or equal to 1024';
  if (body.output_config?.effort === 'xhigh' && /claude-(opus|sonnet)-4-6/.test(body.model)) return 'output_config.effort: xhigh is not supported for this model.';
  if ((body.stop_sequences ?? []).some((stop) => stop.trim() === '')) return 'stop_sequences: each stop sequence must contain non-whitespace';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  for (const [index, message] of body.messages.entries()) {
    const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    for (const block of blocks) {
      if (block.type === 'text' && (block.text ?? '').trim() === '') return `messages.${index}: text content blocks must contain non-whitespace text`;
      if (block.type === 'tool_use' && !toolUseIdPattern.test(block.id ?? '')) return `messages.${index}.content.0.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
      if (block.type === 'tool_result' && !toolUseIdPattern.test(block.tool_use_id ?? '')) return `messages.${index}.content.0.tool_result.tool_use_id: String should match pattern '^[a-zA-Z0-9_-]+$'`;
      if (block.type === 'image' && block.source?.type === 'base64' && !imageTypes.has(block.source.media_type ?? '')) return `messages.${index}: image media_type must be one of image/jpeg, image/png, image/gif, image/webp`;
    }
  }
  // A last assistant turn is a prefill, which may not end in whitespace (Anthropic's "Prefill Claude's response").
  const last = body.messages.at(-1)!;
  const lastBlock = typeof last.content === 'string' ? { type: 'text', text: last.content } : last.content.at(-1);
  if (last.role === 'assistant' && lastBlock?.type === 'text' && /\s$/.test(lastBlock.text ?? '')) return 'messages: final assistant content cannot end with trailing whitespace';
  return null;
}

/** A whole Message answering `text`. */
export function anthropicMessage(text: string, model = 'claude-opus-4-8'): Record<string, unknown> {
  return {
    id: 'msg_01CheckedStandIn000000001',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text, citations: null }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** The same answer as Anthropic's event stream (message_start, one text block in two deltas, message_delta, message_stop). */
export function anthropicStream(text: string, model = 'claude-opus-4-8'): string {
  const { content: _content, stop_reason: _stop, ...start } = anthropicMessage('', model);
  return [
    event('message_start', { message: { ...start, content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('ping', {}),
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: text.slice(0, 3) } }),
    event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: text.slice(3) } }),
    event('content_block_stop', { index: 0 }),
    event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 4 } }),
    event('message_stop', {}),
  ].join('');
}

/** Answers like Anthropic: 400 invalid_request_error for a body it refuses, else a Message or its stream saying `ok`. */
export function checkingAnthropic(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as Body;
  const refusal = anthropicRefusal(body);
  if (refusal !== null) {
    response.writeHead(400, { 'content-type': 'application/json', 'request-id': 'req_011Refused' });
    response.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: refusal }, request_id: 'req_011Refused' }));
    return;
  }
  if (body.stream === true) {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_011Answered' });
    response.end(anthropicStream('ok, done', body.model));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_011Answered' });
  response.end(JSON.stringify(anthropicMessage('ok, done', body.model)));
}
