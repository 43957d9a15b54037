import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { collect, isApiError, weatherTool } from '../../helpers/openai-sdk.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { checkingConverse } from './checking-bedrock-stand-in.ts';
import { fixtureBytes, streamBytes, type streamFixtureNames } from './event-stream-fixtures.ts';

/**
 * OpenAI SDK clients on Bedrock models whose Converse support differs (AWS's "Supported models and
 * model features" table, ToolChoice and ToolUseBlock references), against a stand-in that refuses
 * what Converse refuses: JSON mode on models that cannot be forced to call a tool, system prompts
 * on models without them, conversations that open with the assistant or hold only system text,
 * whitespace-only text and stop sequences, and tool-call ids from other providers. A Bedrock API
 * key keeps the stand-in free of SigV4 (bedrock-gateway.test.ts checks that).
 */

const json = (fixture: string): Reply => replyWhole(200, { 'content-type': 'application/json' }, () => fixtureBytes(fixture));
const eventStream = (name: (typeof streamFixtureNames)[number]): Reply => replyInPieces({ 'content-type': 'application/vnd.amazon.eventstream' }, () => streamBytes(name), 9);

const llama = 'meta.llama3-1-70b-instruct-v1:0';
const mistralLarge = 'mistral.mistral-large-2407-v1:0';
const titan = 'amazon.titan-text-express-v1';
const claude = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const person = { type: 'object', properties: { name: { type: 'string' }, born: { type: 'integer' } }, required: ['name', 'born'], additionalProperties: false };

type ConverseBody = {
  messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
  system?: Array<{ text?: string }>;
  toolConfig?: { tools: Array<{ toolSpec?: { name: string } }>; toolChoice?: unknown };
  inferenceConfig?: { stopSequences?: string[] };
  additionalModelResponseFieldPaths?: string[];
};

describe('bedrock provider: requests shaped to what each model takes (OpenAI SDK client, checking stand-in)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;
  let answer: Reply = json('converse-text.json');

  before(async () => {
    ({ upstream, client, close } = await startProviderGateway(
      checkingConverse(() => answer),
      (url) => ({
        config: `
providers:
  aws: { type: bedrock, api_key: bedrock-key, base_url: "${url}", options: { region: us-east-1 } }
  aws-strict: { type: bedrock, api_key: bedrock-key, base_url: "${url}", strict_params: true, options: { region: us-east-1 } }
`,
      }),
    ));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    answer = json('converse-text.json');
  });
  after(() => close());

  function sent(): ConverseBody {
    assert.equal(upstream.requests.length, 1);
    return upstream.requests[0].json as ConverseBody;
  }

  const systemText = (body: ConverseBody) => (body.system ?? []).map((block) => block.text).join('\n');

  describe('JSON mode on models that cannot be forced to call a tool (F1)', () => {
    it('Llama 3.1 json_object: no tool, a JSON instruction in system; the fenced JSON answer comes back as bare JSON', async () => {
      answer = json('converse-json-text.json');
      const completion = await client.chat.completions.create({ model: `aws/${llama}`, messages: [{ role: 'system', content: 'You know history.' }, { role: 'user', content: 'Who wrote the first program? Reply in JSON' }], response_format: { type: 'json_object' } });
      const body = sent();
      assert.equal(body.toolConfig, undefined);
      assert.equal(body.system?.[0].text, 'You know history.');
      assert.match(systemText(body), /Answer with a single JSON object and nothing else/);
      assert.equal(completion.choices[0].message.content, '{"name": "Ada Lovelace", "born": 1815}');
      assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), { name: 'Ada Lovelace', born: 1815 });
      assert.equal(completion.choices[0].finish_reason, 'stop');
    });

    it('Mistral Large with chat.completions.parse (zod): the schema is in the instruction, `parsed` is filled', async () => {
      answer = json('converse-json-text.json');
      const completion = await client.chat.completions.parse({
        model: `aws/${mistralLarge}`,
        messages: [{ role: 'user', content: 'Who wrote the first program?' }],
        response_format: zodResponseFormat(z.object({ name: z.string(), born: z.number().int() }), 'person'),
      });
      const body = sent();
      assert.equal(body.toolConfig, undefined);
      assert.match(systemText(body), /JSON Schema:\n\{.*"required":\["name","born"\]/);
      assert.deepEqual(completion.choices[0].message.parsed, { name: 'Ada Lovelace', born: 1815 });
    });

    it('streamed: the text is held and arrives whole as bare JSON before the finish chunk', async () => {
      answer = eventStream('json-text');
      const chunks = await collect(await client.chat.completions.create({ model: `aws/us.${llama}`, messages: [{ role: 'user', content: 'Who?' }], response_format: { type: 'json_schema', json_schema: { name: 'person', schema: person } }, stream: true }));
      const contents = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').filter((content) => content !== '');
      assert.deepEqual(contents, ['{"name": "Ada Lovelace", "born": 1815}']);
      assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'stop');
    });

    it("with the client's tools: they go with the client's tool choice, no JSON tool, no forced choice", async () => {
      answer = json('converse-json-text.json');
      const completion = await client.chat.completions.create({ model: `aws/${llama}`, messages: [{ role: 'user', content: 'Weather in Paris, as JSON' }], tools: [weatherTool], response_format: { type: 'json_object' } });
      const body = sent();
      assert.deepEqual(body.toolConfig?.tools.map((tool) => tool.toolSpec?.name), ['get_weather']);
      assert.equal(body.toolConfig?.toolChoice, undefined);
      assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), { name: 'Ada Lovelace', born: 1815 });
      upstream.requests.length = 0;
      await client.chat.completions.create({ model: 'aws/cohere.command-r-plus-v1:0', messages: [{ role: 'user', content: 'x' }], tools: [weatherTool], tool_choice: 'auto', response_format: { type: 'json_object' } });
      assert.deepEqual(sent().toolConfig?.toolChoice, { auto: {} });
    });

    it('Titan (no system prompts, no tools): the instruction leads the user turn', async () => {
      answer = json('converse-json-text.json');
      await client.chat.completions.create({ model: `aws/${titan}`, messages: [{ role: 'user', content: 'Who?' }], response_format: { type: 'json_object' } });
      const body = sent();
      assert.equal(body.system, undefined);
      assert.equal(body.toolConfig, undefined);
      assert.match(String(body.messages[0].content[0].text), /single JSON object/);
      assert.deepEqual(body.messages[0].content.at(-1), { text: 'Who?' });
    });

    it('Claude and Nova keep the forced json_response tool', async () => {
      answer = json('converse-json-tool.json');
      for (const model of [claude, 'amazon.nova-pro-v1:0']) {
        upstream.requests.length = 0;
        const completion = await client.chat.completions.create({ model: `aws/${model}`, messages: [{ role: 'user', content: 'Who?' }], response_format: { type: 'json_object' } });
        assert.deepEqual(sent().toolConfig?.toolChoice, { tool: { name: 'json_response' } }, model);
        assert.deepEqual(JSON.parse(completion.choices[0].message.content ?? ''), { name: 'Ada Lovelace', born: 1815 });
      }
    });
  });

  it('a conversation opening with the assistant gets a minimal user turn before it (F2)', async () => {
    for (const model of [claude, llama]) {
      upstream.requests.length = 0;
      const completion = await client.chat.completions.create({ model: `aws/${model}`, messages: [{ role: 'system', content: 'Be kind.' }, { role: 'assistant', content: 'Hello! How can I help?' }, { role: 'user', content: 'hi' }] });
      assert.equal(completion.choices[0].finish_reason, 'stop');
      assert.deepEqual(sent().messages, [
        { role: 'user', content: [{ text: '.' }] },
        { role: 'assistant', content: [{ text: 'Hello! How can I help?' }] },
        { role: 'user', content: [{ text: 'hi' }] },
      ]);
    }
  });

  it('system text on models without system prompts goes into the first user turn (F4)', async () => {
    for (const model of [titan, 'mistral.mistral-7b-instruct-v0:2']) {
      upstream.requests.length = 0;
      await client.chat.completions.create({ model: `aws/${model}`, messages: [{ role: 'system', content: 'Be terse.' }, { role: 'developer', content: 'Use French.' }, { role: 'user', content: 'hi' }] });
      const body = sent();
      assert.equal(body.system, undefined, model);
      assert.deepEqual(body.messages, [{ role: 'user', content: [{ text: 'Be terse.' }, { text: 'Use French.' }, { text: 'hi' }] }]);
    }
    // Opening with the assistant: the system text is the user turn before it.
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: 'aws/mistral.mixtral-8x7b-instruct-v0:1', messages: [{ role: 'system', content: 'Be terse.' }, { role: 'assistant', content: 'Hi!' }, { role: 'user', content: 'hi' }] });
    assert.deepEqual(sent().messages[0], { role: 'user', content: [{ text: 'Be terse.' }] });
    // Models with system prompts keep them apart.
    upstream.requests.length = 0;
    await client.chat.completions.create({ model: `aws/${llama}`, messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'hi' }] });
    assert.deepEqual(sent().system, [{ text: 'Be terse.' }]);
  });

  it('tool-call ids from other providers are mapped, the same on the call and its result (F7)', async () => {
    const longId = `call_${'x'.repeat(80)}`;
    await client.chat.completions.create({
      model: `aws/${claude}`,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'functions.get_weather:0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } },
            { id: longId, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome","unit":"celsius"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'functions.get_weather:0', content: '18C' },
        { role: 'tool', tool_call_id: longId, content: '21C' },
      ],
    });
    const [, assistant, results] = sent().messages;
    const used = assistant.content.map((block) => (block.toolUse as { toolUseId: string }).toolUseId);
    const answered = results.content.map((block) => (block.toolResult as { toolUseId: string }).toolUseId);
    assert.deepEqual(answered, used);
    assert.match(used[0], /^functions_get_weather_0_[0-9a-f]{12}$/);
    assert.ok(used.every((id) => /^[a-zA-Z0-9_-]{1,64}$/.test(id)), used.join(', '));
    assert.notEqual(used[1], longId);
  });

  describe('whitespace and system-only conversations (F8, F9)', () => {
    it('whitespace-only text is left out: a blank assistant turn goes, the user turns around it merge', async () => {
      await client.chat.completions.create({
        model: `aws/${claude}`,
        messages: [{ role: 'user', content: 'hello' }, { role: 'assistant', content: ' ' }, { role: 'user', content: [{ type: 'text', text: '\n\n' }, { type: 'text', text: 'again' }] }],
      });
      assert.deepEqual(sent().messages, [{ role: 'user', content: [{ text: 'hello' }, { text: 'again' }] }]);
    });

    it('system text alone is sent as the one user turn; nothing but whitespace is refused before any call', async () => {
      await client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'system', content: 'Say hello.' }] });
      const body = sent();
      assert.equal(body.system, undefined);
      assert.deepEqual(body.messages, [{ role: 'user', content: [{ text: 'Say hello.' }] }]);
      upstream.requests.length = 0;
      await assert.rejects(client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: '  ' }] }), isApiError(400, 'invalid_request', 'invalid_request_error'));
      assert.equal(upstream.requests.length, 0);
    });

    it('whitespace-only stop sequences are left out for Claude (a warning; 400 under strict_params), kept for other models', async () => {
      await client.chat.completions.create({ model: `aws/${claude}`, messages: [{ role: 'user', content: 'List' }], stop: ['\n', '3.'] });
      assert.deepEqual(sent().inferenceConfig?.stopSequences, ['3.']);
      upstream.requests.length = 0;
      await assert.rejects(client.chat.completions.create({ model: `aws-strict/${claude}`, messages: [{ role: 'user', content: 'List' }], stop: ['\n'] }), (error: unknown) => {
        isApiError(400, 'unsupported_parameter', 'invalid_request_error')(error);
        assert.match((error as Error).message, /'stop'/);
        return true;
      });
      assert.equal(upstream.requests.length, 0);
      await client.chat.completions.create({ model: `aws/${llama}`, messages: [{ role: 'user', content: 'List' }], stop: ['\n'] });
      assert.deepEqual(sent().inferenceConfig?.stopSequences, ['\n']);
    });
  });
});
