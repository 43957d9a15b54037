import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';
import { finalAnswer, redactedData, thought, toolCall } from '../anthropic/redacted-thinking-claude-stand-in.ts';
import { encodeEventStream, type FixtureFrame } from './event-stream-fixtures.ts';

/**
 * Claude on Bedrock with redacted thinking, in Converse's shapes (`reasoningContent.redactedContent`,
 * whose bytes ConverseStream may send in several deltas): the answers and the rule of the Messages
 * stand-in (../anthropic/redacted-thinking-claude-stand-in.ts), as Bedrock repeats Claude's 400
 * after "The model returned the following errors:". `mode` as there.
 */

const rule =
  'When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.';
const converseSignature = Buffer.from(`converse-sig:${thought}`).toString('base64');

type ConverseBlock = { text?: string; toolUse?: { toolUseId: string; name: string; input: unknown }; toolResult?: unknown; reasoningContent?: { reasoningText?: { text: string; signature?: string }; redactedContent?: string } };
type ConverseBody = { messages: Array<{ role: string; content: ConverseBlock[] }>; additionalModelRequestFields?: { thinking?: { type?: string } } };

export class RedactedConverse {
  mode: 'redacted' | 'both' = 'redacted';
  readonly bodies: ConverseBody[] = [];

  reset(): void {
    this.mode = 'redacted';
    this.bodies.length = 0;
  }

  /** Why Claude on Bedrock would refuse the body, or null. */
  refusal(body: ConverseBody): string | null {
    if (body.additionalModelRequestFields?.thinking === undefined) return null;
    const last = body.messages.at(-1);
    if (!last?.content.some((block) => block.toolResult !== undefined)) return null;
    const turn = body.messages.at(-2)?.content ?? [];
    if (turn[0]?.reasoningContent === undefined) return `The model returned the following errors: messages.${body.messages.length - 2}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`tool_use\`. ${rule}`;
    const sent = turn.filter((block) => block.reasoningContent !== undefined).map((block) => block.reasoningContent);
    if (JSON.stringify(sent) !== JSON.stringify(this.#thinking())) return 'The model returned the following errors: thinking blocks in the latest assistant message cannot be modified.';
    return null;
  }

  #thinking(): NonNullable<ConverseBlock['reasoningContent']>[] {
    if (this.mode === 'redacted') return [{ redactedContent: redactedData[0] }];
    return [{ reasoningText: { text: thought, signature: converseSignature } }, { redactedContent: redactedData[0] }, { redactedContent: redactedData[1] }];
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
    const done = body.messages.at(-1)?.content.some((block) => block.toolResult !== undefined) === true;
    const toolUse = { toolUseId: toolCall.id, name: toolCall.name, input: toolCall.input };
    const content: ConverseBlock[] = done ? [{ text: finalAnswer }] : [...this.#thinking().map((reasoningContent) => ({ reasoningContent })), { toolUse }];
    const stopReason = done ? 'end_turn' : 'tool_use';
    const usage = { inputTokens: 40, outputTokens: 30, totalTokens: 70 };
    if (!request.path.endsWith('/converse-stream')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ output: { message: { role: 'assistant', content } }, stopReason, usage, metrics: { latencyMs: 90 } }));
      return;
    }
    const frames: FixtureFrame[] = [{ eventType: 'messageStart', payload: { role: 'assistant' } }];
    content.forEach((block, index) => {
      const delta = (value: unknown): FixtureFrame => ({ eventType: 'contentBlockDelta', payload: { contentBlockIndex: index, delta: value } });
      if (block.reasoningContent?.redactedContent !== undefined) {
        // Converse may send a redacted block's bytes in several deltas.
        const bytes = Buffer.from(block.reasoningContent.redactedContent, 'base64');
        frames.push(delta({ reasoningContent: { redactedContent: bytes.subarray(0, 30).toString('base64') } }), delta({ reasoningContent: { redactedContent: bytes.subarray(30).toString('base64') } }));
      } else if (block.reasoningContent?.reasoningText !== undefined) {
        frames.push(delta({ reasoningContent: { text: thought.slice(0, 20) } }), delta({ reasoningContent: { text: thought.slice(20) } }), delta({ reasoningContent: { signature: converseSignature } }));
      } else if (block.toolUse !== undefined) {
        frames.push({ eventType: 'contentBlockStart', payload: { contentBlockIndex: index, start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } } } }, delta({ toolUse: { input: JSON.stringify(toolUse.input) } }));
      } else frames.push(delta({ text: block.text }));
      frames.push({ eventType: 'contentBlockStop', payload: { contentBlockIndex: index } });
    });
    frames.push({ eventType: 'messageStop', payload: { stopReason } }, { eventType: 'metadata', payload: { usage, metrics: { latencyMs: 90 } } });
    response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
    response.end(encodeEventStream(frames));
  };
}

