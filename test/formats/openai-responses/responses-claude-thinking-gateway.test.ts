import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { BadRequestError } from 'openai';
import type { Response as SdkResponse, ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { anthropicRefusal } from '../../providers/anthropic/checking-anthropic-stand-in.ts';
import { encodeEventStream, type FixtureFrame } from '../../providers/bedrock/event-stream-fixtures.ts';

/**
 * Responses API agents with `reasoning.effort` and function tools on Claude, through Anthropic
 * and Bedrock stand-ins that hold the gateway to Claude's extended-thinking rule: with thinking
 * on, the assistant turn of the current tool loop must start with the thinking block the model
 * wrote, signature intact (Anthropic's 400, which Bedrock repeats after "The model returned the
 * following errors:"). The client does what the OpenAI docs' stateless loop and Codex do: it sends
 * `...response.output` back with the function_call_output.
 */

const signatureOf = (thinking: string) => `EqQB${Buffer.from(thinking, 'utf8').toString('base64')}==`;
const thinkingRule =
  'When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking';

type Block = Record<string, unknown> & { type?: string };
type Message = { role: string; content: string | Block[] };

/** The assistant turn the thinking rule applies to: the one before a last user turn of tool results, when thinking is on. */
function loopTurn(messages: Message[], isToolResult: (block: Block) => boolean): { index: number; blocks: Block[] } | null {
  const last = messages.at(-1);
  if (!last || last.role !== 'user' || typeof last.content === 'string' || !last.content.some(isToolResult)) return null;
  const index = messages.length - 2;
  const turn = messages[index];
  return turn?.role === 'assistant' ? { index, blocks: typeof turn.content === 'string' ? [{ type: 'text', text: turn.content }] : turn.content } : null;
}

/** Anthropic's refusal of a tool loop whose thinking block is missing or altered, or null. */
function anthropicThinkingRefusal(body: { thinking?: { type?: string }; messages?: Message[] }): string | null {
  if (body.thinking?.type !== 'enabled' && body.thinking?.type !== 'adaptive') return null;
  const turn = loopTurn(body.messages ?? [], (block) => block.type === 'tool_result');
  if (turn === null) return null;
  const first = turn.blocks[0];
  if (first?.type !== 'thinking' && first?.type !== 'redacted_thinking') return `messages.${turn.index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first?.type)}\`. ${thinkingRule}`;
  if (first.type === 'thinking' && first.signature !== signatureOf(String(first.thinking))) return `messages.${turn.index}.content.0: Invalid \`signature\` in \`thinking\` block`;
  return null;
}

/** The same rule on Converse, where the thinking block is a reasoningContent block. */
function converseThinkingRefusal(body: { additionalModelRequestFields?: { thinking?: { type?: string } }; messages?: Message[] }): string | null {
  if (body.additionalModelRequestFields?.thinking?.type !== 'enabled') return null;
  const turn = loopTurn(body.messages ?? [], (block) => block.toolResult !== undefined);
  if (turn === null) return null;
  const reasoning = (turn.blocks[0]?.reasoningContent as { reasoningText?: { text: string; signature?: string } } | undefined)?.reasoningText;
  if (reasoning === undefined) return `The model returned the following errors: messages.${turn.index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${Object.keys(turn.blocks[0] ?? {})[0] === 'toolUse' ? 'tool_use' : 'text'}\`. ${thinkingRule}`;
  if (reasoning.signature !== signatureOf(reasoning.text)) return `The model returned the following errors: messages.${turn.index}.content.0: Invalid \`signature\` in \`thinking\` block`;
  return null;
}

const thinking = 'The user wants the weather in Paris; get_weather gives it.';

function sse(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** Anthropic's answers: a thinking block, text and a tool_use first; text once the tool result is in. */
function answerAnthropic(body: { stream?: boolean; messages: Message[] }, response: ServerResponse): void {
  const done = loopTurn(body.messages, (block) => block.type === 'tool_result') !== null;
  const usage = { input_tokens: 30, output_tokens: 12 };
  const head = { id: 'msg_01Thinking', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', stop_sequence: null };
  if (body.stream !== true) {
    const content = done ? [{ type: 'text', text: 'It is 21°C in Paris.' }] : [{ type: 'thinking', thinking, signature: signatureOf(thinking) }, { type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_01Weather', name: 'get_weather', input: { city: 'Paris' } }];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ...head, content, stop_reason: done ? 'end_turn' : 'tool_use', usage }));
    return;
  }
  const events = [sse('message_start', { message: { ...head, content: [], stop_reason: null, usage: { input_tokens: 30, output_tokens: 1 } } })];
  if (done) {
    events.push(sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }), sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'It is 21°C in Paris.' } }), sse('content_block_stop', { index: 0 }));
  } else {
    events.push(
      sse('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
      sse('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: thinking.slice(0, 20) } }),
      sse('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: thinking.slice(20) } }),
      sse('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: signatureOf(thinking) } }),
      sse('content_block_stop', { index: 0 }),
      sse('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
      sse('content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'Let me check.' } }),
      sse('content_block_stop', { index: 1 }),
      sse('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_01Weather', name: 'get_weather', input: {} } }),
      sse('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"city": "Paris"}' } }),
      sse('content_block_stop', { index: 2 }),
    );
  }
  events.push(sse('message_delta', { delta: { stop_reason: done ? 'end_turn' : 'tool_use', stop_sequence: null }, usage: { output_tokens: 12 } }), sse('message_stop', {}));
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(events.join(''));
}

/** Bedrock's answers in Converse's shapes (JSON, or the binary event stream for converse-stream). */
function answerConverse(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { messages: Message[] };
  const done = loopTurn(body.messages, (block) => block.toolResult !== undefined) !== null;
  const usage = { inputTokens: 30, outputTokens: 12, totalTokens: 42 };
  if (!request.path.endsWith('/converse-stream')) {
    const content = done ? [{ text: 'It is 21°C in Paris.' }] : [{ reasoningContent: { reasoningText: { text: thinking, signature: signatureOf(thinking) } } }, { text: 'Let me check.' }, { toolUse: { toolUseId: 'tooluse_Weather01', name: 'get_weather', input: { city: 'Paris' } } }];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ output: { message: { role: 'assistant', content } }, stopReason: done ? 'end_turn' : 'tool_use', usage, metrics: { latencyMs: 100 } }));
    return;
  }
  const frames: FixtureFrame[] = [{ eventType: 'messageStart', payload: { role: 'assistant' } }];
  if (done) frames.push({ eventType: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: 'It is 21°C in Paris.' } } }, { eventType: 'contentBlockStop', payload: { contentBlockIndex: 0 } });
  else {
    frames.push(
      { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { reasoningContent: { text: thinking.slice(0, 20) } } } },
      { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { reasoningContent: { text: thinking.slice(20) } } } },
      { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { reasoningContent: { signature: signatureOf(thinking) } } } },
      { eventType: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
      { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 1, delta: { text: 'Let me check.' } } },
      { eventType: 'contentBlockStop', payload: { contentBlockIndex: 1 } },
      { eventType: 'contentBlockStart', payload: { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tooluse_Weather01', name: 'get_weather' } } } },
      { eventType: 'contentBlockDelta', payload: { contentBlockIndex: 2, delta: { toolUse: { input: '{"city": "Paris"}' } } } },
      { eventType: 'contentBlockStop', payload: { contentBlockIndex: 2 } },
    );
  }
  frames.push({ eventType: 'messageStop', payload: { stopReason: done ? 'end_turn' : 'tool_use' } }, { eventType: 'metadata', payload: { usage, metrics: { latencyMs: 100 } } });
  response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
  response.end(encodeEventStream(frames));
}

function refuse(response: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const weatherTool = { type: 'function' as const, name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: null };

describe('Responses API: reasoning.effort + tools on Claude (Anthropic and Bedrock stand-ins that enforce the thinking rule)', () => {
  let anthropic: StandIn;
  let bedrock: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    anthropic = await startStandIn((request, response) => {
      const body = request.json as Parameters<typeof anthropicRefusal>[0] & { messages: Message[] };
      const refusal = anthropicRefusal(body) ?? anthropicThinkingRefusal(body);
      if (refusal !== null) return refuse(response, 400, { 'request-id': 'req_011Refused' }, { type: 'error', error: { type: 'invalid_request_error', message: refusal }, request_id: 'req_011Refused' });
      answerAnthropic(body, response);
    });
    bedrock = await startStandIn((request, response) => {
      const refusal = converseThinkingRefusal(request.json as Parameters<typeof converseThinkingRefusal>[0]);
      if (refusal !== null) return refuse(response, 400, { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' }, { message: refusal });
      answerConverse(request, response);
    });
    gateway = await startGateway('{}', {
      ANTHROPIC_API_KEY: 'anthropic-upstream-key',
      ANTHROPIC_BASE_URL: anthropic.url,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-west-2',
      BEDROCK_BASE_URL: bedrock.url,
    });
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    anthropic.requests.length = 0;
    bedrock.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await anthropic.close();
    await bedrock.close();
  });

  const targets = [
    { name: 'anthropic', model: 'anthropic/claude-sonnet-4-5', upstream: () => anthropic },
    { name: 'bedrock', model: 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0', upstream: () => bedrock },
  ];

  /** The assistant turn of the loop as the provider got it on the last request. */
  function sentLoopTurn(upstream: StandIn): Block[] {
    const messages = (upstream.requests.at(-1)?.json as { messages: Message[] }).messages;
    return messages.at(-2)?.content as Block[];
  }

  for (const target of targets) {
    for (const stream of [false, true]) {
      it(`${target.name}${stream ? ', streamed' : ''}: the reasoning item carries the signed thinking in encrypted_content, and the loop's second turn sends it back first`, async () => {
        const base = { model: target.model, tools: [weatherTool], reasoning: { effort: 'medium' as const } };
        const input: ResponseInputItem[] = [{ role: 'user', content: 'Weather in Paris?' }];
        let first: SdkResponse;
        if (stream) {
          const events: ResponseStreamEvent[] = [];
          const running = client.responses.stream({ ...base, input });
          for await (const event of running) events.push(event);
          first = await running.finalResponse();
          const done = events.find((event) => event.type === 'response.output_item.done' && event.item.type === 'reasoning') as Extract<ResponseStreamEvent, { type: 'response.output_item.done' }>;
          assert.equal(typeof (done.item as { encrypted_content?: unknown }).encrypted_content, 'string', 'the reasoning item is whole when it is done');
        } else {
          first = await client.responses.create({ ...base, input });
        }
        assert.deepEqual(
          first.output.map((item) => item.type),
          ['reasoning', 'message', 'function_call'],
        );
        const [reasoning, , call] = first.output;
        assert.ok(reasoning.type === 'reasoning' && call.type === 'function_call');
        assert.deepEqual(reasoning.content, [{ type: 'reasoning_text', text: thinking }], 'the text is shown as before');
        assert.equal(typeof reasoning.encrypted_content, 'string', 'returned without include: the gateway stores nothing, so it is the only way back');

        const output = { type: 'function_call_output' as const, call_id: call.call_id, output: '{"temp":21}' };
        const second = await client.responses.create({ ...base, input: [...input, ...(first.output as ResponseInputItem[]), output] });
        assert.equal(second.output_text, 'It is 21°C in Paris.');
        const turn = sentLoopTurn(target.upstream());
        if (target.name === 'anthropic') assert.deepEqual(turn[0], { type: 'thinking', thinking, signature: signatureOf(thinking) });
        else assert.deepEqual(turn[0], { reasoningContent: { reasoningText: { text: thinking, signature: signatureOf(thinking) } } });

        // A client that keeps only the item's id, summary and encrypted_content (no content) loses nothing.
        const bare = { type: 'reasoning' as const, id: reasoning.id, summary: [], encrypted_content: reasoning.encrypted_content };
        const third = await client.responses.create({ ...base, input: [...input, bare, ...(first.output.slice(1) as ResponseInputItem[]), output] });
        assert.equal(third.output_text, 'It is 21°C in Paris.');
      });
    }

    it(`${target.name}: without the reasoning item the loop's turn goes without thinking, which Claude would refuse there (the stand-in's rule is Claude's)`, async () => {
      const input: ResponseInputItem[] = [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'message', role: 'assistant', content: 'Let me check.' },
        { type: 'function_call', call_id: 'toolu_01Weather', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'toolu_01Weather', output: '{"temp":21}' },
      ];
      const answer = await client.responses.create({ model: target.model, tools: [weatherTool], reasoning: { effort: 'medium' }, input });
      assert.equal(answer.output_text, 'It is 21°C in Paris.');
      const sent = target.upstream().requests.at(-1)?.json as { thinking?: unknown; additionalModelRequestFields?: { thinking?: unknown }; messages: Message[] };
      assert.equal(target.name === 'anthropic' ? sent.thinking : sent.additionalModelRequestFields?.thinking, undefined);
      const refusal = target.name === 'anthropic' ? anthropicThinkingRefusal({ ...sent, thinking: { type: 'enabled' } }) : converseThinkingRefusal({ ...sent, additionalModelRequestFields: { thinking: { type: 'enabled' } } });
      assert.match(String(refusal), /Expected `thinking` or `redacted_thinking`, but found `text`/);
    });
  }

  it("a damaged encrypted_content is refused with 400 naming it, before any upstream call", async () => {
    const first = await client.responses.create({ model: 'anthropic/claude-sonnet-4-5', tools: [weatherTool], reasoning: { effort: 'medium' }, input: 'Weather in Paris?' });
    const [reasoning, message, call] = first.output as ResponseInputItem[];
    assert.ok(reasoning.type === 'reasoning' && typeof reasoning.encrypted_content === 'string');
    anthropic.requests.length = 0;
    const damaged = { ...reasoning, encrypted_content: `${reasoning.encrypted_content.slice(0, -8)}%%` };
    await assert.rejects(
      client.responses.create({ model: 'anthropic/claude-sonnet-4-5', tools: [weatherTool], reasoning: { effort: 'medium' }, input: [{ role: 'user', content: 'Weather in Paris?' }, damaged, message, call, { type: 'function_call_output', call_id: 'toolu_01Weather', output: '21' }] }),
      (error: unknown) => error instanceof BadRequestError && (error.error as { param?: string }).param === 'input[1].encrypted_content',
    );
    assert.equal(anthropic.requests.length, 0);
  });
});
