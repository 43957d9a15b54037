import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { collect, refusal, weatherTool } from '../../helpers/openai-sdk.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { checkingConverse } from './checking-bedrock-stand-in.ts';
import { fixtureBytes, streamBytes } from './event-stream-fixtures.ts';

/**
 * Bedrock models that lack features in AWS's "Supported models and model features" table, through
 * the gateway with the official SDKs, against a stand-in that refuses what Converse refuses:
 * streamed tool calls on models with "Streaming tool use: No" (answered through Converse and
 * replayed as a stream), and tools, images and forced tool choices on models without them
 * (refused by the gateway, naming the field, before any call).
 */

const timeTool = { type: 'function' as const, function: { name: 'get_time', description: 'Current time', parameters: { type: 'object', properties: {} } } };
const image = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('bedrock provider: models lacking features of AWS table (official SDK clients, checking stand-in)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let anthropic: Anthropic;
  let close: () => Promise<void>;
  /** The answer to /converse; /converse-stream gets the same answer's event stream. */
  let whole = 'converse-tool-use.json';

  const byPath: Reply = (request, response) => {
    if (request.path.endsWith('/converse-stream')) return replyInPieces({ 'content-type': 'application/vnd.amazon.eventstream' }, () => streamBytes(whole === 'converse-tool-use.json' ? 'tool-use' : 'text'), 11)(request, response);
    return replyWhole(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' }, () => fixtureBytes(whole))(request, response);
  };

  before(async () => {
    const started = await startProviderGateway(checkingConverse(() => byPath), (url) => ({
      config: `
providers:
  aws: { type: bedrock, api_key: bedrock-key, base_url: "${url}", options: { region: us-east-1 } }
`,
    }));
    ({ upstream, client, close } = started);
    anthropic = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    whole = 'converse-tool-use.json';
  });
  after(() => close());

  const paths = () => upstream.requests.map((request) => request.path);

  describe('streamed tool calls on models without streaming tool use (finding 1)', () => {
    const models = ['us.meta.llama3-1-70b-instruct-v1:0', 'eu.meta.llama3-2-11b-instruct-v1:0', 'mistral.mistral-large-2407-v1:0', 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama4-maverick-17b-instruct-v1:0'];

    it('an OpenAI SDK stream gets the Converse answer replayed: text, tool calls with their arguments, finish reason, usage', async () => {
      for (const model of models) {
        upstream.requests.length = 0;
        const stream = client.chat.completions.stream({ model: `aws/${model}`, messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools: [weatherTool, timeTool], stream_options: { include_usage: true } });
        const chunks = await collect(stream);
        const completion = await stream.finalChatCompletion();
        assert.deepEqual(paths(), [`/model/${encodeURIComponent(model)}/converse`], model);
        assert.ok((upstream.requests[0].json as { toolConfig?: unknown }).toolConfig, model);
        const message = completion.choices[0].message;
        assert.equal(message.content, "I'll look up the weather and the time in Paris.");
        assert.deepEqual(
          message.tool_calls?.map((call) => call.type === 'function' && [call.id, call.function.name, JSON.parse(call.function.arguments)]),
          [
            ['tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', 'get_weather', { city: 'Paris', unit: 'celsius' }],
            ['tooluse_Q2n8X0rTT4Wc1m9bYy3ZaA', 'get_time', {}],
          ],
        );
        assert.equal(completion.choices[0].finish_reason, 'tool_calls');
        assert.deepEqual(chunks.at(-1)?.usage, { prompt_tokens: 412, completion_tokens: 96, total_tokens: 508 });
      }
    });

    it('an Anthropic SDK messages.stream gets the same answer as Anthropic events', async () => {
      const stream = anthropic.messages.stream({
        model: 'aws/us.meta.llama3-3-70b-instruct-v1:0',
        max_tokens: 512,
        messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
        tools: [
          { name: 'get_weather', description: 'Current weather', input_schema: weatherTool.function.parameters as Anthropic.Tool.InputSchema },
          { name: 'get_time', description: 'Current time', input_schema: { type: 'object', properties: {} } },
        ],
      });
      const message = await stream.finalMessage();
      assert.deepEqual(paths(), [`/model/${encodeURIComponent('us.meta.llama3-3-70b-instruct-v1:0')}/converse`]);
      assert.deepEqual(
        message.content.map((block) => (block.type === 'text' ? ['text', block.text] : block.type === 'tool_use' ? ['tool_use', block.id, block.name, block.input] : [block.type])),
        [
          ['text', "I'll look up the weather and the time in Paris."],
          ['tool_use', 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', 'get_weather', { city: 'Paris', unit: 'celsius' }],
          ['tool_use', 'tooluse_Q2n8X0rTT4Wc1m9bYy3ZaA', 'get_time', {}],
        ],
      );
      assert.equal(message.stop_reason, 'tool_use');
      assert.equal(message.usage.output_tokens, 96);
    });

    it('without tools these models stream through ConverseStream, and models with streaming tool use keep it', async () => {
      whole = 'converse-text.json';
      await collect(await client.chat.completions.create({ model: 'aws/us.meta.llama3-1-70b-instruct-v1:0', messages: [{ role: 'user', content: 'hi' }], stream: true }));
      whole = 'converse-tool-use.json';
      await collect(await client.chat.completions.create({ model: 'aws/amazon.nova-pro-v1:0', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true }));
      assert.deepEqual(paths(), [`/model/${encodeURIComponent('us.meta.llama3-1-70b-instruct-v1:0')}/converse-stream`, `/model/${encodeURIComponent('amazon.nova-pro-v1:0')}/converse-stream`]);
    });
  });

  describe("features a model lacks are refused before any call, naming the field (finding 3)", () => {
    async function refused(request: Parameters<OpenAI['chat']['completions']['create']>[0], code: string, param: string): Promise<void> {
      const error = await refusal(client.chat.completions.create(request));
      assert.equal(error.status, 400);
      assert.equal(error.code, code);
      assert.equal(error.param, param);
      assert.match(error.message, /bedrock/);
      assert.equal(upstream.requests.length, 0, 'nothing sent');
    }

    it('tools to models without tool use (Llama 3, Mistral 7B, Mixtral)', async () => {
      for (const model of ['meta.llama3-70b-instruct-v1:0', 'mistral.mistral-7b-instruct-v0:2', 'mistral.mixtral-8x7b-instruct-v0:1']) {
        await refused({ model: `aws/${model}`, messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool] }, 'unsupported_parameter', 'tools');
      }
      // tool_choice none with no tool history sends no toolConfig: nothing to refuse.
      whole = 'converse-text.json';
      await client.chat.completions.create({ model: 'aws/meta.llama3-8b-instruct-v1:0', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], tool_choice: 'none' });
      assert.equal(upstream.requests.length, 1);
    });

    it('images to models without vision (Llama 3.1, Mistral Large, Nova Micro)', async () => {
      for (const model of ['us.meta.llama3-1-70b-instruct-v1:0', 'mistral.mistral-large-2407-v1:0', 'us.amazon.nova-micro-v1:0']) {
        await refused({ model: `aws/${model}`, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: image } }] }] }, 'unsupported_value', 'messages[0].content[1]');
      }
    });

    it('tool_choice required or named to models that take only auto', async () => {
      await refused({ model: 'aws/us.meta.llama3-1-70b-instruct-v1:0', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], tool_choice: 'required' }, 'unsupported_value', 'tool_choice');
      await refused({ model: 'aws/mistral.mistral-large-2407-v1:0', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } }, 'unsupported_value', 'tool_choice');
      // Mistral Large takes toolChoice.any.
      await client.chat.completions.create({ model: 'aws/mistral.mistral-large-2407-v1:0', messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], tool_choice: 'required' });
      assert.deepEqual((upstream.requests[0].json as { toolConfig?: { toolChoice?: unknown } }).toolConfig?.toolChoice, { any: {} });
    });

    it('an id the table cannot place (an application inference profile) goes as asked, and Bedrock answers for itself', async () => {
      const model = 'aws/arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123xyz';
      whole = 'converse-text.json';
      await client.chat.completions.create({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: image } }] }], tools: [weatherTool] });
      assert.equal(upstream.requests.length, 1);
      upstream.requests.length = 0;
      const error = await refusal(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], tool_choice: 'required' }));
      assert.equal(error.code, 'invalid_request');
      assert.equal(upstream.requests.length, 1, "Bedrock's own 400");
    });
  });
});
