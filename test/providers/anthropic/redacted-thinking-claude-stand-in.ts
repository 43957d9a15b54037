import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';

/**
 * A Messages API stand-in for Claude's redacted thinking in a tool loop, holding to Anthropic's
 * extended-thinking rules as its docs state them (written apart from the adapter):
 * - when its safety systems flag reasoning, Claude returns it as `redacted_thinking` blocks
 *   (`data`, opaque), beside or instead of `thinking`; in a stream such a block comes whole in its
 *   content_block_start;
 * - with thinking on, the last assistant turn that calls tools must start with a `thinking` or
 *   `redacted_thinking` block, and the run of thinking blocks in it must be the one Claude wrote,
 *   unmodified ("Expected `thinking` or `redacted_thinking`, but found `tool_use`" otherwise).
 * `mode` picks the answer to a question: `redacted` (one redacted block, then the tool call) or
 * `both` (a signed thinking block, two redacted blocks, then the tool call). A conversation
 * ending in tool results is answered with text.
 */

type Block = { type: string; thinking?: string; signature?: string; data?: string; text?: string; id?: string };
type Body = {
  messages: Array<{ role: string; content: string | Block[] }>;
  thinking?: { type: string };
  stream?: boolean;
  model?: string;
  [field: string]: unknown;
};

export const thought = 'The user wants the weather in Paris. I should call get_weather.';
export const toolCall = { id: 'toolu_01RedactedLoop00000000001', name: 'get_weather', input: { city: 'Paris' } };
export const finalAnswer = 'It is 18°C and sunny in Paris.';
/** Encrypted reasoning as Claude returns it: base64, opaque. */
export const redactedData = [
  'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB8URj2pLmN3kTz6WjWyJyJOV4nSMjA9p5R6Yzn1c6Pqk7Zt',
  'EnoKAhgBEgzT0bIuAZAw2nb2mrcaDMmfVWUmwiL0ELTGfiIw8hB3Mc4jNWt/lPq3Sxr0EJOhdyG0CdqMZ8HdY1XbSGkg6RZ3K0p5y1b2X1DKaB4PKsNdCuUf2hR9uQQ0oQ==',
];

const thinkingRule =
  'When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking';

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const isThinking = (block: Block) => block.type === 'thinking' || block.type === 'redacted_thinking';
/** What a thinking block is, whatever the order of its fields. */
const essence = (block: Block) => [block.type, block.thinking ?? block.data, block.signature];

export class RedactedClaude {
  readonly bodies: Body[] = [];
  mode: 'redacted' | 'both' = 'redacted';
  readonly #signature = Buffer.from(`sig:${thought}`).toString('base64');
  /** The run of thinking blocks Claude wrote before each tool call, by the call's id. */
  readonly #written = new Map<string, Block[]>();

  reset(): void {
    this.bodies.length = 0;
    this.#written.clear();
    this.mode = 'redacted';
  }

  /** Why Anthropic would refuse the body, or null. */
  refusal(body: Body): string | null {
    const thinkingOn = body.thinking !== undefined && body.thinking.type !== 'disabled';
    let lastAssistant = -1;
    body.messages.forEach((message, index) => {
      if (message.role === 'assistant') lastAssistant = index;
    });
    for (const [index, message] of body.messages.entries()) {
      const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
      for (const [position, block] of blocks.entries()) {
        if (block.type === 'thinking' && block.signature !== this.#signature) return `messages.${index}.content.${position}: Invalid \`signature\` in \`thinking\` block`;
        if (block.type === 'redacted_thinking' && !redactedData.includes(block.data ?? '')) return `messages.${index}.content.${position}: Invalid \`data\` in \`redacted_thinking\` block`;
      }
      if (index !== lastAssistant || !thinkingOn || !blocks.some((block) => block.type === 'tool_use')) continue;
      if (!isThinking(blocks[0])) return `messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${blocks[0]?.type}\`. ${thinkingRule}`;
      const sent = blocks.slice(0, blocks.findIndex((block) => !isThinking(block)));
      const written = this.#written.get(blocks.find((block) => block.type === 'tool_use')?.id ?? '');
      if (written !== undefined && JSON.stringify(sent.map(essence)) !== JSON.stringify(written.map(essence))) return `messages.${index}.content: thinking blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.`;
    }
    return null;
  }

  #answer(body: Body): { content: Block[]; stopReason: string } {
    const last = body.messages.at(-1);
    if (Array.isArray(last?.content) && last.content.some((block) => block.type === 'tool_result')) return { content: [{ type: 'text', text: finalAnswer }], stopReason: 'end_turn' };
    const thinking: Block[] = [];
    if (body.thinking !== undefined && body.thinking.type !== 'disabled') {
      if (this.mode === 'both') thinking.push({ type: 'thinking', thinking: thought, signature: this.#signature }, { type: 'redacted_thinking', data: redactedData[0] }, { type: 'redacted_thinking', data: redactedData[1] });
      else thinking.push({ type: 'redacted_thinking', data: redactedData[0] });
    }
    this.#written.set(toolCall.id, thinking);
    return { content: [...thinking, { type: 'tool_use', ...toolCall } as Block], stopReason: 'tool_use' };
  }

  readonly handler = (request: RecordedRequest, response: ServerResponse): void => {
    const body = request.json as Body;
    this.bodies.push(body);
    const refusal = this.refusal(body);
    if (refusal !== null) {
      response.writeHead(400, { 'content-type': 'application/json', 'request-id': 'req_011Refused' });
      response.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: refusal }, request_id: 'req_011Refused' }));
      return;
    }
    const { content, stopReason } = this.#answer(body);
    const message = { id: `msg_01Redacted${this.bodies.length}`, type: 'message', role: 'assistant', model: body.model ?? 'claude-sonnet-4-5', stop_sequence: null, usage: { input_tokens: 40, output_tokens: 30 } };
    if (body.stream !== true) {
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_011Answered' });
      response.end(JSON.stringify({ ...message, content, stop_reason: stopReason }));
      return;
    }
    const events = [event('message_start', { message: { ...message, content: [], stop_reason: null } })];
    content.forEach((block, index) => {
      if (block.type === 'redacted_thinking') events.push(event('content_block_start', { index, content_block: block }));
      else if (block.type === 'thinking') {
        events.push(event('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
        for (const fragment of String(block.thinking).match(/.{1,12}/gsu) ?? []) events.push(event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: fragment } }));
        events.push(event('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } }));
      } else if (block.type === 'tool_use') {
        events.push(event('content_block_start', { index, content_block: { type: 'tool_use', id: toolCall.id, name: toolCall.name, input: {} } }));
        events.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(toolCall.input) } }));
      } else {
        events.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
        events.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: block.text } }));
      }
      events.push(event('content_block_stop', { index }));
    });
    events.push(event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 30 } }), event('message_stop', {}));
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_011Answered' });
    response.end(events.join(''));
  };
}
