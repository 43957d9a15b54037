import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessage, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { finalAnswer, redactedData, toolCall } from '../anthropic/redacted-thinking-claude-stand-in.ts';
import { RedactedConverse } from './redacted-thinking-converse-stand-in.ts';

/**
 * Redacted reasoning from Claude on Bedrock for OpenAI chat clients: `reasoning_redacted` on the
 * message, a run of redacted blocks as one stream delta (the openai SDK's stream helper keeps a
 * field's last delta only), and the message sent back keeps thinking on in the tool loop.
 */
describe('bedrock: redacted reasoning for OpenAI chat clients', () => {
  const converse = new RedactedConverse();
  const model = 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const question: ChatCompletionMessageParam = { role: 'user', content: 'What is the weather in Paris?' };
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    ({ client, close } = await startProviderGateway(converse.handler, (url) => ({
      env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_REGION: 'us-east-1', BEDROCK_BASE_URL: url },
    })));
  });
  beforeEach(() => converse.reset());
  after(() => close());

  it('a stream gives both redacted blocks (each sent in pieces) as one delta; the helper\'s message takes the loop on with thinking', async () => {
    converse.mode = 'both';
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of await client.chat.completions.create({ model, messages: [question], tools, reasoning_effort: 'low', stream: true })) chunks.push(chunk);
    const deltas = chunks.map((chunk) => (chunk.choices[0]?.delta as { reasoning_redacted?: string[] } | undefined)?.reasoning_redacted).filter((value) => value !== undefined);
    assert.deepEqual(deltas, [redactedData]);

    converse.reset();
    const message = (await client.chat.completions.stream({ model, messages: [question], tools, reasoning_effort: 'low' }).finalChatCompletion()).choices[0].message as ChatCompletionMessage & { reasoning_redacted?: string[] };
    assert.deepEqual(message.reasoning_redacted, [redactedData[0]]);
    const answer = await client.chat.completions.create({ model, messages: [question, message as ChatCompletionMessageParam, { role: 'tool', tool_call_id: toolCall.id, content: '18°C' }], tools, reasoning_effort: 'low' });
    assert.equal(answer.choices[0].message.content, finalAnswer);
    const sent = converse.bodies.at(-1)!;
    assert.ok(sent.additionalModelRequestFields?.thinking !== undefined, 'thinking stays on');
    assert.deepEqual(sent.messages.at(-2)?.content[0], { reasoningContent: { redactedContent: redactedData[0] } });
  });
});
