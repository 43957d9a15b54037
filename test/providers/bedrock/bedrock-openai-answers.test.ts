import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { collect, weatherTool } from '../../helpers/openai-sdk.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { checkingConverse } from './checking-bedrock-stand-in.ts';
import { encodeEventStream, fixtureBytes, streamBytes } from './event-stream-fixtures.ts';

/**
 * What an OpenAI SDK client gets from Claude on Bedrock (Converse) where Converse and OpenAI
 * differ, as on Anthropic's API (../anthropic/claude-openai-answers.test.ts): a conversation ending
 * with an assistant message is a prefill, which Claude refuses when it ends in whitespace; an
 * answer with no text and no tool call is `content: ""`, as OpenAI answers (null only beside tool calls).
 */

const model = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

type ConverseBody = { messages: Array<{ role: string; content: Array<{ text?: string; cachePoint?: unknown }> }> };

const converseJson = (body: unknown): Reply => replyWhole(200, { 'content-type': 'application/json' }, () => JSON.stringify(body));
const usage = { inputTokens: 12, outputTokens: 1, totalTokens: 13 };

const prefill: ChatCompletionMessageParam[] = [
  { role: 'user', content: 'Hello! ' },
  { role: 'assistant', content: 'Hi there. ' },
  { role: 'user', content: 'Is tea or coffee better at breakfast?' },
  { role: 'assistant', content: 'Coffee is better because \n' },
];

describe('bedrock provider: Claude answers as an OpenAI client reads them (OpenAI SDK client, checking stand-in)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;
  let answer: Reply = converseJson({});

  before(async () => {
    ({ upstream, client, close } = await startProviderGateway(
      checkingConverse(() => answer),
      (url) => ({ config: `providers:\n  aws: { type: bedrock, api_key: bedrock-key, base_url: "${url}", options: { region: us-east-1 } }\n` }),
    ));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    answer = replyWhole(200, { 'content-type': 'application/json' }, () => fixtureBytes('converse-text.json'));
  });
  after(() => close());

  const sentTexts = () => (upstream.requests.at(-1)?.json as ConverseBody).messages.map((turn) => turn.content.map((block) => block.text));

  it('a final assistant message ending in whitespace goes up as a prefill without it; earlier turns keep theirs', async () => {
    const completion = await client.chat.completions.create({ model: `aws/${model}`, messages: prefill });
    assert.match(completion.choices[0].message.content ?? '', /^Bonjour/);
    assert.deepEqual(sentTexts(), [['Hello! '], ['Hi there. '], ['Is tea or coffee better at breakfast?'], ['Coffee is better because']]);

    answer = replyInPieces({ 'content-type': 'application/vnd.amazon.eventstream' }, () => streamBytes('text'), 9);
    const chunks = await collect(await client.chat.completions.create({ model: `aws/${model}`, messages: prefill, stream: true }));
    assert.match(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), /^Grüß Gott/);
    assert.deepEqual(sentTexts().at(-1), ['Coffee is better because']);
  });

  it('a prefill with a cache hint: the text before its cachePoint is trimmed', async () => {
    const hinted = { type: 'text', text: 'Coffee is better because ', cache_control: { type: 'ephemeral' } } as unknown as { type: 'text'; text: string };
    await client.chat.completions.create({ model: `aws/${model}`, messages: [{ role: 'user', content: 'Tea or coffee?' }, { role: 'assistant', content: [hinted] }] });
    const last = (upstream.requests.at(-1)?.json as ConverseBody).messages.at(-1);
    assert.deepEqual(last?.content, [{ text: 'Coffee is better because' }, { cachePoint: { type: 'default' } }]);
  });

  it('an answer with no text and no tool call is content "" (as OpenAI answers), streamed or not; null only beside tool calls', async () => {
    answer = converseJson({ output: { message: { role: 'assistant', content: [] } }, stopReason: 'end_turn', usage });
    const empty = await client.chat.completions.create({ model: `aws/${model}`, messages: [{ role: 'user', content: 'Say nothing.' }] });
    assert.equal(empty.choices[0].message.content, '');
    assert.equal(empty.choices[0].message.tool_calls, undefined);
    assert.equal(empty.choices[0].finish_reason, 'stop');

    const frames = [
      { eventType: 'messageStart', payload: { role: 'assistant' } },
      { eventType: 'messageStop', payload: { stopReason: 'end_turn' } },
      { eventType: 'metadata', payload: { usage, metrics: { latencyMs: 50 } } },
    ];
    answer = replyInPieces({ 'content-type': 'application/vnd.amazon.eventstream' }, () => encodeEventStream(frames), 9);
    const chunks = await collect(await client.chat.completions.create({ model: `aws/${model}`, messages: [{ role: 'user', content: 'Say nothing.' }], stream: true }));
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'stop');

    answer = converseJson({ output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_01A', name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } } }] } }, stopReason: 'tool_use', usage });
    const toolCall = await client.chat.completions.create({ model: `aws/${model}`, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool] });
    assert.equal(toolCall.choices[0].message.content, null);
    assert.equal(toolCall.choices[0].message.tool_calls?.length, 1);
  });
});
