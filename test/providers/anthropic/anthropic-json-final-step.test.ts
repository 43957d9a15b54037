import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import type { RecordedRequest, StandIn } from '../../helpers/stand-in-server.ts';

/**
 * The "final answer, no more tools" step of an agent loop (blind audit F2): tools declared,
 * `tool_choice: "none"` and a JSON response_format, what `chat.completions.parse` sends with
 * zodFunction tools. The stand-in answers as Claude does: under `tool_choice: none` it cannot call
 * a tool and writes prose; under a forced tool it calls that tool.
 */

const person = z.object({ name: z.string(), age: z.number().int() });
const answer = { name: 'Ada', age: 36 };

type Body = { tools?: Array<{ name: string }>; tool_choice?: { type: string; name?: string }; thinking?: unknown; stream?: boolean };

function answerLikeClaude(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as Body;
  const choice = body.tool_choice;
  const forced = choice?.type === 'tool' ? choice.name : choice?.type === 'any' ? body.tools?.[0]?.name : undefined;
  const block = forced === undefined ? { type: 'text', text: 'Ada Lovelace was 36 when she died.' } : { type: 'tool_use', id: 'toolu_01Json', name: forced, input: answer };
  const message = { id: 'msg_01Json', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', stop_sequence: null, usage: { input_tokens: 20, output_tokens: 10 } };
  const stopReason = forced === undefined ? 'end_turn' : 'tool_use';
  if (body.stream !== true) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ...message, content: [block], stop_reason: stopReason }));
    return;
  }
  const event = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const start = block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} };
  const delta = block.type === 'text' ? { type: 'text_delta', text: block.text } : { type: 'input_json_delta', partial_json: JSON.stringify(answer) };
  response.end(
    [
      event('message_start', { message: { ...message, content: [], stop_reason: null } }),
      event('content_block_start', { index: 0, content_block: start }),
      event('content_block_delta', { index: 0, delta }),
      event('content_block_stop', { index: 0 }),
      event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 10 } }),
      event('message_stop', {}),
    ].join(''),
  );
}

describe('anthropic provider: JSON mode with the client\'s tools and tool_choice none (F2)', () => {
  let client: OpenAI;
  let upstream: StandIn;
  let close: () => Promise<void>;

  before(async () => {
    ({ client, upstream, close } = await startProviderGateway(answerLikeClaude, (url) => ({ env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: url } })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  /** The one body Anthropic got. */
  function sent(): Body {
    assert.equal(upstream.requests.length, 1);
    return upstream.requests[0].json as Body;
  }

  const lookup = zodFunction({ name: 'lookup_person', parameters: z.object({ query: z.string() }) });
  const request = {
    model: 'anthropic/claude-sonnet-4-5',
    messages: [{ role: 'user' as const, content: 'Who was Ada Lovelace? Answer as JSON.' }],
    tools: [lookup],
    tool_choice: 'none' as const,
    response_format: zodResponseFormat(person, 'person'),
  };

  it('parse(): the JSON tool is forced (the client\'s tools declared, none callable) and the answer parses', async () => {
    const completion = await client.chat.completions.parse(request);
    assert.deepEqual(completion.choices[0].message.parsed, answer);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.deepEqual(sent().tool_choice, { type: 'tool', name: 'json_response' });
    assert.deepEqual(sent().tools?.map((tool) => tool.name), ['lookup_person', 'json_response']);
  });

  it('the streaming parse helper too; reasoning_effort is left out with the forced tool (Claude refuses the pair)', async () => {
    const completion = await client.chat.completions.stream({ ...request, reasoning_effort: 'low' }).finalChatCompletion();
    assert.deepEqual(completion.choices[0].message.parsed, answer);
    assert.deepEqual(sent().tool_choice, { type: 'tool', name: 'json_response' });
    assert.equal(sent().thinking, undefined);
  });
});
