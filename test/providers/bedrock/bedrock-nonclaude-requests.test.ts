import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { collect, refusal, weatherTool } from '../../helpers/openai-sdk.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { checkingConverse } from './checking-bedrock-stand-in.ts';
import { fixtureBytes, streamBytes } from './event-stream-fixtures.ts';

/**
 * Requests to Bedrock models other than Claude, from the official SDKs through the gateway,
 * against a stand-in that refuses what Converse refuses (audit bedrock-2):
 * - cache hints (Anthropic's cache_control, sent by default by Claude Code and the Anthropic SDKs)
 *   become cachePoints only for the models with prompt caching (Claude, Nova), and tool cachePoints
 *   only for Claude (Nova caches system and messages);
 * - documents to a model whose "Document chat" is No are refused before any call;
 * - reasoning_effort and Anthropic `thinking` reach Nova 2 Lite (reasoningConfig) and gpt-oss
 *   (reasoning_effort); top_k reaches Nova (inferenceConfig.topK); elsewhere they are dropped with
 *   the warning, or refused under strict_params, as `seed` is.
 */

const dropWarning = 'parameters the provider cannot honour were dropped';
const pdf = `data:application/pdf;base64,${Buffer.from('%PDF-1.4 test').toString('base64')}`;
const hint = { type: 'ephemeral' as const };
const cachePoint = { cachePoint: { type: 'default' } };
const weatherSpec = { toolSpec: { name: 'get_weather', description: 'Current weather', inputSchema: { json: weatherTool.function.parameters } } };
const anthropicWeather = { name: 'get_weather', description: 'Current weather', input_schema: weatherTool.function.parameters as Anthropic.Tool.InputSchema };

type ConverseBody = {
  system?: unknown[];
  messages: Array<{ role: string; content: unknown[] }>;
  toolConfig?: { tools: unknown[] };
  inferenceConfig?: Record<string, unknown>;
  additionalModelRequestFields?: Record<string, unknown>;
};

describe('bedrock provider: requests to models other than Claude (official SDK clients, checking stand-in)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  const logLines: Array<Record<string, unknown>> = [];

  const answer: Reply = (request, response) => {
    if (request.path.endsWith('/converse-stream')) return replyInPieces({ 'content-type': 'application/vnd.amazon.eventstream' }, () => streamBytes('text'), 13)(request, response);
    return replyWhole(200, { 'content-type': 'application/json' }, () => fixtureBytes('converse-text.json'))(request, response);
  };

  before(async () => {
    upstream = await startStandIn(checkingConverse(() => answer));
    const config = `
providers:
  aws: { type: bedrock, api_key: bedrock-key, base_url: "${upstream.url}", options: { region: us-east-1 } }
  aws-strict: { type: bedrock, api_key: bedrock-key, base_url: "${upstream.url}", strict_params: true, options: { region: us-east-1 } }
`;
    gateway = await startGateway(config, {}, { logLines });
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    logLines.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  /** The one body sent. */
  function sent(): ConverseBody {
    assert.equal(upstream.requests.length, 1);
    return upstream.requests[0].json as ConverseBody;
  }

  /** The parameters the drop warnings named. */
  const warned = () => logLines.filter((line) => line.msg === dropWarning).flatMap((line) => line.dropped as string[]);

  /** An Anthropic SDK request with cache_control everywhere Claude Code puts it: tools, system, a tool result, the last user text. */
  const hintedEverywhere = (model: string, tools = true): Anthropic.MessageCreateParamsNonStreaming => ({
    model,
    max_tokens: 300,
    ...(tools ? { tools: [{ ...anthropicWeather, cache_control: hint }] } : {}),
    system: [{ type: 'text', text: 'A long, stable system prompt.', cache_control: hint }],
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      ...(tools
        ? ([
            { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } }] },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'text', text: '18°C', cache_control: hint }] }, { type: 'text', text: 'And tomorrow?', cache_control: hint }] },
          ] as Anthropic.MessageParam[])
        : ([
            { role: 'assistant', content: 'Sunny.' },
            { role: 'user', content: [{ type: 'text', text: 'And tomorrow?', cache_control: hint }] },
          ] as Anthropic.MessageParam[])),
    ],
  });

  describe('cache hints (finding 1: every /v1/messages call to Llama, DeepSeek, Mistral... failed)', () => {
    it('Llama 3.3 with tools (an Anthropic SDK client): no cachePoint anywhere, the call succeeds, no warning', async () => {
      const message = await anthropic.messages.create(hintedEverywhere('aws/us.meta.llama3-3-70b-instruct-v1:0'));
      assert.equal(message.type, 'message');
      assert.deepEqual(sent(), {
        system: [{ text: 'A long, stable system prompt.' }],
        messages: [
          { role: 'user', content: [{ text: 'Weather in Paris?' }] },
          { role: 'assistant', content: [{ toolUse: { toolUseId: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 'toolu_01A', content: [{ text: '18°C' }] } }, { text: 'And tomorrow?' }] },
        ],
        toolConfig: { tools: [weatherSpec] },
        inferenceConfig: { maxTokens: 300 },
      });
      assert.deepEqual(warned(), []);
    });

    it('DeepSeek-R1, Mistral Large, gpt-oss and a Llama inference-profile ARN: the hints are left out, under strict_params too', async () => {
      for (const model of ['aws/us.deepseek.r1-v1:0', 'aws/mistral.mistral-large-2407-v1:0', 'aws/openai.gpt-oss-120b-1:0', 'aws-strict/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-2-1b-instruct-v1:0']) {
        upstream.requests.length = 0;
        await anthropic.messages.create(hintedEverywhere(model, false));
        const body = sent();
        assert.deepEqual(body.system, [{ text: 'A long, stable system prompt.' }], model);
        assert.deepEqual(body.messages.at(-1), { role: 'user', content: [{ text: 'And tomorrow?' }] }, model);
      }
    });

    it('a streamed Anthropic request and an OpenAI client content part with cache_control, to Llama', async () => {
      const stream = anthropic.messages.stream(hintedEverywhere('aws/us.meta.llama3-1-70b-instruct-v1:0', false));
      await stream.finalMessage();
      assert.equal(upstream.requests[0].path, `/model/${encodeURIComponent('us.meta.llama3-1-70b-instruct-v1:0')}/converse-stream`);
      assert.deepEqual(sent().system, [{ text: 'A long, stable system prompt.' }]);
      upstream.requests.length = 0;
      const hinted = { type: 'text', text: 'A long document.', cache_control: hint } as unknown as OpenAI.Chat.ChatCompletionContentPartText;
      await openai.chat.completions.create({ model: 'aws/meta.llama3-1-8b-instruct-v1:0', messages: [{ role: 'user', content: [hinted, { type: 'text', text: 'Summarize it.' }] }] });
      assert.deepEqual(sent().messages, [{ role: 'user', content: [{ text: 'A long document.' }, { text: 'Summarize it.' }] }]);
    });

    it('Nova keeps its cachePoints in system and messages, but none in toolConfig (finding 2); Claude keeps the tool one', async () => {
      await anthropic.messages.create(hintedEverywhere('aws/us.amazon.nova-pro-v1:0'));
      const nova = sent();
      assert.deepEqual(nova.toolConfig, { tools: [weatherSpec] });
      assert.deepEqual(nova.system, [{ text: 'A long, stable system prompt.' }, cachePoint]);
      assert.deepEqual(nova.messages[2].content, [{ toolResult: { toolUseId: 'toolu_01A', content: [{ text: '18°C' }] } }, cachePoint, { text: 'And tomorrow?' }, cachePoint]);
      upstream.requests.length = 0;
      await anthropic.messages.create(hintedEverywhere('aws/us.anthropic.claude-sonnet-4-5-20250929-v1:0'));
      const claude = sent();
      assert.deepEqual(claude.toolConfig?.tools, [weatherSpec, cachePoint]);
      assert.deepEqual(claude.system, [{ text: 'A long, stable system prompt.' }, cachePoint]);
    });

    it('an application inference profile names no model: its hints go as asked', async () => {
      await anthropic.messages.create(hintedEverywhere('aws/arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123xyz', false));
      assert.deepEqual(sent().system, [{ text: 'A long, stable system prompt.' }, cachePoint]);
    });
  });

  describe('documents to models without document chat (finding 3)', () => {
    const withPdf = (model: string): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming => ({
      model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What does it say?' }, { type: 'file', file: { filename: 'my_doc.v2.pdf', file_data: pdf } }] }],
    });

    it('Nova Micro, Titan Text Premier, Jamba-Instruct: 400 unsupported_value naming the part, nothing sent', async () => {
      for (const model of ['amazon.nova-micro-v1:0', 'us.amazon.nova-micro-v1:0', 'amazon.titan-text-premier-v1:0', 'ai21.jamba-instruct-v1:0']) {
        const error = await refusal(openai.chat.completions.create(withPdf(`aws/${model}`)));
        assert.equal(error.status, 400, model);
        assert.equal(error.code, 'unsupported_value', model);
        assert.equal(error.param, 'messages[0].content[1]', model);
        assert.match(error.message, /takes no documents \(document chat: No/);
        assert.equal(upstream.requests.length, 0, model);
      }
    });

    it('an Anthropic client gets the refusal in its own shape; Nova Lite takes the document', async () => {
      const pdfBlock = { type: 'document' as const, source: { type: 'base64' as const, media_type: 'application/pdf' as const, data: pdf.split(',')[1] } };
      await assert.rejects(anthropic.messages.create({ model: 'aws/amazon.nova-micro-v1:0', max_tokens: 100, messages: [{ role: 'user', content: [pdfBlock, { type: 'text', text: 'Summarize.' }] }] }), (error: unknown) => {
        assert.ok(error instanceof Anthropic.APIError);
        assert.equal(error.status, 400);
        assert.equal((error.error as { error?: { type?: string } }).error?.type, 'invalid_request_error');
        return true;
      });
      assert.equal(upstream.requests.length, 0);
      await openai.chat.completions.create(withPdf('aws/amazon.nova-lite-v1:0'));
      assert.deepEqual(sent().messages[0].content[1], { document: { format: 'pdf', name: 'my-doc-v2', source: { bytes: pdf.split(',')[1] } } });
    });
  });

  describe('reasoning and top_k (finding 4)', () => {
    it('Nova 2 Lite: reasoning_effort becomes reasoningConfig; at high, temperature, top_p and top_k are left out with the warning', async () => {
      await openai.chat.completions.create({ model: 'aws/global.amazon.nova-2-lite-v1:0', reasoning_effort: 'high', temperature: 0.5, top_p: 0.9, top_k: 20, max_completion_tokens: 2000, messages: [{ role: 'user', content: 'Plan it.' }] } as never);
      assert.deepEqual(sent().additionalModelRequestFields, { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' } });
      assert.deepEqual(sent().inferenceConfig, { maxTokens: 2000 });
      assert.deepEqual(warned(), ['temperature', 'top_p', 'top_k']);
      upstream.requests.length = 0;
      logLines.length = 0;
      await openai.chat.completions.create({ model: 'aws/us.amazon.nova-2-lite-v1:0', reasoning_effort: 'minimal', temperature: 0.5, top_k: 20, messages: [{ role: 'user', content: 'Plan it.' }] } as never);
      assert.deepEqual(sent().additionalModelRequestFields, { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'low' }, inferenceConfig: { topK: 20 } });
      assert.deepEqual(sent().inferenceConfig, { temperature: 0.5 });
      assert.deepEqual(warned(), []);
    });

    it("Nova 2 Lite from an Anthropic client's thinking (budget 4096: medium), streamed", async () => {
      const stream = anthropic.messages.stream({ model: 'aws/global.amazon.nova-2-lite-v1:0', max_tokens: 8000, thinking: { type: 'enabled', budget_tokens: 4096 }, messages: [{ role: 'user', content: 'Plan it.' }] });
      await stream.finalMessage();
      assert.deepEqual(sent().additionalModelRequestFields, { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' } });
      assert.deepEqual(sent().inferenceConfig, { maxTokens: 8000 });
    });

    it('gpt-oss: reasoning_effort goes as its own model field (xhigh is high)', async () => {
      await openai.chat.completions.create({ model: 'aws/openai.gpt-oss-120b-1:0', reasoning_effort: 'xhigh', messages: [{ role: 'user', content: 'Plan it.' }] } as never);
      assert.deepEqual(sent().additionalModelRequestFields, { reasoning_effort: 'high' });
      assert.deepEqual(warned(), []);
    });

    it('models that take no reasoning effort (Llama, Nova Pro, DeepSeek-R1): dropped with the warning, 400 under strict_params', async () => {
      for (const model of ['us.meta.llama3-3-70b-instruct-v1:0', 'amazon.nova-pro-v1:0', 'us.deepseek.r1-v1:0']) {
        upstream.requests.length = 0;
        logLines.length = 0;
        await openai.chat.completions.create({ model: `aws/${model}`, reasoning_effort: 'high', messages: [{ role: 'user', content: 'Plan it.' }] });
        assert.equal(sent().additionalModelRequestFields, undefined, model);
        assert.deepEqual(warned(), ['reasoning_effort'], model);
        upstream.requests.length = 0;
        const error = await refusal(openai.chat.completions.create({ model: `aws-strict/${model}`, reasoning_effort: 'high', messages: [{ role: 'user', content: 'Plan it.' }] }));
        assert.equal(error.status, 400, model);
        assert.equal(error.code, 'unsupported_parameter', model);
        assert.match(error.message, /'reasoning_effort'/);
        assert.equal(upstream.requests.length, 0, model);
      }
      // reasoning_effort none asks for nothing: nothing to warn about.
      logLines.length = 0;
      await openai.chat.completions.create({ model: 'aws-strict/us.meta.llama3-3-70b-instruct-v1:0', reasoning_effort: 'none', messages: [{ role: 'user', content: 'Plan it.' }] } as never);
      assert.deepEqual(warned(), []);
    });

    it("an Anthropic client's thinking and top_k to DeepSeek-R1 / Llama under strict_params: 400 naming them, nothing sent", async () => {
      await assert.rejects(anthropic.messages.create({ model: 'aws-strict/us.deepseek.r1-v1:0', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Plan it.' }] }), (error: unknown) => {
        assert.ok(error instanceof Anthropic.APIError);
        assert.equal(error.status, 400);
        assert.match(error.message, /'reasoning_effort'/);
        return true;
      });
      // top_k is Anthropic's, sent by its SDK as given (this SDK version's types leave it out).
      const withTopK = (model: string): Anthropic.MessageCreateParamsNonStreaming => ({ model, max_tokens: 100, top_k: 40, messages: [{ role: 'user', content: 'Hi' }] }) as Anthropic.MessageCreateParamsNonStreaming;
      await assert.rejects(anthropic.messages.create(withTopK('aws-strict/us.meta.llama3-3-70b-instruct-v1:0')), (error: unknown) => {
        assert.ok(error instanceof Anthropic.APIError);
        assert.equal(error.status, 400);
        assert.match(error.message, /'top_k'/);
        return true;
      });
      assert.equal(upstream.requests.length, 0);
      // Not strict: sent without it, with the warning.
      await anthropic.messages.create(withTopK('aws/us.meta.llama3-3-70b-instruct-v1:0'));
      assert.equal(sent().additionalModelRequestFields, undefined);
      assert.deepEqual(warned(), ['top_k']);
    });

    it('top_k reaches Nova as inferenceConfig.topK, and Claude as top_k', async () => {
      const streamed = { model: 'aws/amazon.nova-pro-v1:0', top_k: 40, messages: [{ role: 'user' as const, content: 'Hi' }], stream: true as const };
      await collect(await openai.chat.completions.create(streamed));
      assert.deepEqual(sent().additionalModelRequestFields, { inferenceConfig: { topK: 40 } });
      upstream.requests.length = 0;
      await openai.chat.completions.create({ model: 'aws/us.anthropic.claude-sonnet-4-5-20250929-v1:0', top_k: 40, messages: [{ role: 'user', content: 'Hi' }] } as never);
      assert.deepEqual(sent().additionalModelRequestFields, { top_k: 40 });
      assert.deepEqual(warned(), []);
    });
  });
});
