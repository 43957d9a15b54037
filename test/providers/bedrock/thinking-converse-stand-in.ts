import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';
import { encodeEventStream, type FixtureFrame } from './event-stream-fixtures.ts';

/**
 * A Converse stand-in for Claude's extended thinking in a tool loop: Bedrock passes the request to
 * Claude, which holds it to Anthropic's rules, and Bedrock repeats Claude's 400 after "The model
 * returned the following errors:" (a ValidationException). With thinking on, the last assistant
 * turn that calls tools must start with its reasoning (a reasoningContent block); reasoning goes
 * back only with the signature Claude gave for exactly that text. A conversation ending in the
 * user's question is answered with reasoning (when thinking is on, streamed in small fragments)
 * and a get_weather call; one ending in tool results with the weather as text.
 */

type Block = { text?: string; toolUse?: unknown; toolResult?: unknown; reasoningContent?: { reasoningText?: { text: string; signature?: string }; redactedContent?: string } };
export type ConverseBody = {
  messages: Array<{ role: string; content: Block[] }>;
  additionalModelRequestFields?: { thinking?: { type: string } };
  [field: string]: unknown;
};

export const thought = 'The user wants the weather in Paris. I should call get_weather.';
export const toolUse = { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather', input: { city: 'Paris' } };
export const finalAnswer = 'It is 18°C and sunny in Paris.';
const thinkingRule =
  'When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking';

/** A thinking Claude behind Converse: `bodies` holds every request body, in order; `handler` answers them. */
export class ThinkingConverse {
  readonly bodies: ConverseBody[] = [];
  /** Signature -> the text it signs. */
  readonly #issued = new Map<string, string>();

  /** A signature Claude could have given for `text` (base64), remembered. */
  sign(text: string): string {
    const signature = Buffer.from(`sig-${this.#issued.size + 1}:${text}`).toString('base64');
    this.#issued.set(signature, text);
    return signature;
  }

  reset(): void {
    this.bodies.length = 0;
  }

  /** Why Claude on Bedrock would refuse the body, or null. */
  refusal(body: ConverseBody): string | null {
    const thinking = body.additionalModelRequestFields?.thinking;
    const thinkingOn = thinking !== undefined && thinking.type !== 'disabled';
    let lastAssistant = -1;
    body.messages.forEach((message, index) => {
      if (message.role === 'assistant') lastAssistant = index;
    });
    for (const [index, message] of body.messages.entries()) {
      for (const [position, block] of message.content.entries()) {
        const reasoning = block.reasoningContent?.reasoningText;
        if (reasoning !== undefined && this.#issued.get(reasoning.signature ?? '') !== reasoning.text) return `The model returned the following errors: messages.${index}.content.${position}: Invalid \`signature\` in \`thinking\` block`;
      }
      const first = message.content[0];
      if (index === lastAssistant && thinkingOn && message.content.some((block) => block.toolUse !== undefined) && first?.reasoningContent === undefined) {
        return `The model returned the following errors: messages.${index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first?.toolUse !== undefined ? 'tool_use' : 'text'}\`. ${thinkingRule}`;
      }
    }
    return null;
  }

  #answer(body: ConverseBody): { content: Block[]; stopReason: string } {
    const last = body.messages.at(-1);
    if (last?.content.some((block) => block.toolResult !== undefined)) return { content: [{ text: finalAnswer }], stopReason: 'end_turn' };
    const content: Block[] = [];
    const thinking = body.additionalModelRequestFields?.thinking;
    if (thinking !== undefined && thinking.type !== 'disabled') content.push({ reasoningContent: { reasoningText: { text: thought, signature: this.sign(thought) } } });
    content.push({ toolUse });
    return { content, stopReason: 'tool_use' };
  }

  readonly handler = (request: RecordedRequest, response: ServerResponse): void => {
    const body = request.json as ConverseBody;
    this.bodies.push(body);
    const refusal = this.refusal(body);
    if (refusal !== null) {
      response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
      response.end(JSON.stringify({ message: refusal }));
      return;
    }
    const { content, stopReason } = this.#answer(body);
    const usage = { inputTokens: 40, outputTokens: 30, totalTokens: 70 };
    if (!request.path.endsWith('/converse-stream')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ output: { message: { role: 'assistant', content } }, stopReason, usage, metrics: { latencyMs: 100 } }));
      return;
    }
    const frames: FixtureFrame[] = [{ eventType: 'messageStart', payload: { role: 'assistant' } }];
    content.forEach((block, index) => {
      const reasoning = block.reasoningContent?.reasoningText;
      if (reasoning !== undefined) {
        // Several fragments, as Claude streams its thinking: a client keeping only the last one has a text the signature does not sign.
        for (const fragment of reasoning.text.match(/.{1,12}/gsu) ?? []) frames.push({ eventType: 'contentBlockDelta', payload: { contentBlockIndex: index, delta: { reasoningContent: { text: fragment } } } });
        frames.push({ eventType: 'contentBlockDelta', payload: { contentBlockIndex: index, delta: { reasoningContent: { signature: reasoning.signature } } } });
      } else if (block.toolUse !== undefined) {
        frames.push({ eventType: 'contentBlockStart', payload: { contentBlockIndex: index, start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } } } });
        frames.push({ eventType: 'contentBlockDelta', payload: { contentBlockIndex: index, delta: { toolUse: { input: JSON.stringify(toolUse.input) } } } });
      } else {
        frames.push({ eventType: 'contentBlockDelta', payload: { contentBlockIndex: index, delta: { text: block.text } } });
      }
      frames.push({ eventType: 'contentBlockStop', payload: { contentBlockIndex: index } });
    });
    frames.push({ eventType: 'messageStop', payload: { stopReason } }, { eventType: 'metadata', payload: { usage, metrics: { latencyMs: 100 } } });
    response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    response.end(encodeEventStream(frames));
  };
}
