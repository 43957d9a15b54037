import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';

/**
 * A Messages API stand-in for Claude's extended thinking in a tool loop, holding to the rules
 * Anthropic documents and enforces (written apart from the adapter, with Anthropic's error texts):
 * - with thinking on, the last assistant turn that calls tools must start with a thinking (or
 *   redacted_thinking) block: "To avoid this requirement, disable `thinking`";
 * - a thinking block goes back only with the signature Anthropic gave for exactly that text;
 * - manual thinking (`type: enabled`) refuses a tool_choice that forces a tool.
 * A conversation ending in the user's question is answered with thinking (when on, streamed in
 * small fragments) and a get_weather call; one ending in tool results with the weather as text.
 * Signatures look like Anthropic's (base64) and are remembered with the text they sign.
 */

type Block = { type: string; thinking?: string; signature?: string; text?: string };
export type MessagesBody = {
  model?: string;
  messages: Array<{ role: string; content: string | Block[] }>;
  thinking?: { type: string; budget_tokens?: number };
  tool_choice?: { type: string };
  stream?: boolean;
  [field: string]: unknown;
};

/** What Claude thinks before it calls the tool. */
export const thought = 'The user wants the weather in Paris. I should call the get_weather tool.';
export const toolCall = { id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', input: { city: 'Paris' } };
export const finalAnswer = 'It is 18°C and sunny in Paris.';

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** A thinking Claude: `bodies` holds every request body, in order; `handler` answers them. */
export class ThinkingClaude {
  readonly bodies: MessagesBody[] = [];
  /** Signature -> the text it signs. */
  readonly #issued = new Map<string, string>();

  /** A signature Anthropic could have given for `text` (base64, as Anthropic's are), remembered. */
  sign(text: string): string {
    const signature = Buffer.from(`sig-${this.#issued.size + 1}:${text}`).toString('base64');
    this.#issued.set(signature, text);
    return signature;
  }

  reset(): void {
    this.bodies.length = 0;
  }

  /** Why Anthropic would refuse the body, or null. */
  refusal(body: MessagesBody): string | null {
    const thinkingOn = body.thinking !== undefined && body.thinking.type !== 'disabled';
    if (body.thinking?.type === 'enabled' && (body.tool_choice?.type === 'any' || body.tool_choice?.type === 'tool')) return 'Thinking may not be enabled when tool_choice forces tool use.';
    let lastAssistant = -1;
    body.messages.forEach((message, index) => {
      if (message.role === 'assistant') lastAssistant = index;
    });
    for (const [index, message] of body.messages.entries()) {
      const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
      for (const [position, block] of blocks.entries()) {
        if (block.type !== 'thinking') continue;
        if (this.#issued.get(block.signature ?? '') !== block.thinking) return `messages.${index}.content.${position}: Invalid \`signature\` in \`thinking\` block`;
      }
      if (index === lastAssistant && thinkingOn && blocks.some((block) => block.type === 'tool_use') && blocks[0]?.type !== 'thinking' && blocks[0]?.type !== 'redacted_thinking') {
        return `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${blocks[0]?.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`;
      }
    }
    return null;
  }

  /** The content Claude answers `body` with. */
  #answer(body: MessagesBody): { content: Array<Record<string, unknown>>; stopReason: string } {
    const last = body.messages.at(-1);
    const answersToolResult = Array.isArray(last?.content) && last.content.some((block) => block.type === 'tool_result');
    if (answersToolResult) return { content: [{ type: 'text', text: finalAnswer }], stopReason: 'end_turn' };
    const content: Array<Record<string, unknown>> = [];
    if (body.thinking !== undefined && body.thinking.type !== 'disabled') content.push({ type: 'thinking', thinking: thought, signature: this.sign(thought) });
    content.push({ type: 'tool_use', ...toolCall });
    return { content, stopReason: 'tool_use' };
  }

  readonly handler = (request: RecordedRequest, response: ServerResponse): void => {
    const body = request.json as MessagesBody;
    this.bodies.push(body);
    const refusal = this.refusal(body);
    if (refusal !== null) {
      response.writeHead(400, { 'content-type': 'application/json', 'request-id': 'req_011Refused' });
      response.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: refusal }, request_id: 'req_011Refused' }));
      return;
    }
    const { content, stopReason } = this.#answer(body);
    const model = body.model ?? 'claude-sonnet-4-5';
    const message = { id: `msg_01Thinking${this.bodies.length}`, type: 'message', role: 'assistant', model, stop_sequence: null, usage: { input_tokens: 40, output_tokens: 30 } };
    if (body.stream !== true) {
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_011Answered' });
      response.end(JSON.stringify({ ...message, content, stop_reason: stopReason }));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_011Answered' });
    const events = [event('message_start', { message: { ...message, content: [], stop_reason: null } })];
    content.forEach((block, index) => {
      if (block.type === 'thinking') {
        events.push(event('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
        // Several fragments, as Claude streams its thinking: a client keeping only the last one has a text the signature does not sign.
        for (const fragment of String(block.thinking).match(/.{1,12}/gsu) ?? []) events.push(event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: fragment } }));
        events.push(event('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } }));
      } else if (block.type === 'tool_use') {
        events.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
        events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } }));
      } else {
        events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
        events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } }));
      }
      events.push(event('content_block_stop', { index }));
    });
    events.push(event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 30 } }));
    events.push(event('message_stop', {}));
    response.end(events.join(''));
  };
}
