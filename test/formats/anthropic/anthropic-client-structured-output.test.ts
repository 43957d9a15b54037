import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { z } from 'zod/v4';
import { fitsStrictMode } from '../../../src/formats/anthropic/map-from-anthropic-output-format.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

const Person = z.object({ name: z.string(), age: z.number().int() });
const personJson = '{"name":"Ada","age":36}';

/** One stand-in for every provider of the test, told apart by path; `anthropicStatus` makes the Anthropic one fail (a 529 for failovers). */
function answer(request: RecordedRequest, response: ServerResponse, anthropicStatus: number): void {
  const json = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const body = request.json as Record<string, unknown>;
  if (request.path.includes(':generateContent')) {
    // Gemini: JSON text when JSON mode was asked, prose otherwise (what a real model does).
    const asked = (body.generationConfig as { responseMimeType?: string } | undefined)?.responseMimeType === 'application/json';
    json(200, { candidates: [{ content: { role: 'model', parts: [{ text: asked ? personJson : 'Hello there, I am Ada.' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 6, totalTokenCount: 11 } });
  } else if (request.path.endsWith('/converse')) {
    // Bedrock: the forced tool answers with its input, as Claude on Converse does.
    const forced = (body.toolConfig as { toolChoice?: { tool?: { name: string } } } | undefined)?.toolChoice?.tool?.name;
    const content = forced ? [{ toolUse: { toolUseId: 'tooluse_1', name: forced, input: JSON.parse(personJson) } }] : [{ text: 'Hello there, I am Ada.' }];
    json(200, { output: { message: { role: 'assistant', content } }, stopReason: forced ? 'tool_use' : 'end_turn', usage: { inputTokens: 5, outputTokens: 6, totalTokens: 11 } });
  } else if (request.path.endsWith('/chat/completions')) {
    const asked = (body.response_format as { type?: string } | undefined)?.type === 'json_schema';
    const content = asked ? personJson : 'Hello there, I am Ada.';
    if (body.stream === true) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: Record<string, unknown>, finish: string | null) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] });
      response.end(sseBody([chunk({ role: 'assistant', content: '' }, null), chunk({ content: content.slice(0, 9) }, null), chunk({ content: content.slice(9) }, null), chunk({}, 'stop'), { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } }, '[DONE]']));
      return;
    }
    json(200, { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } });
  } else if (request.path === '/v1/messages') {
    if (anthropicStatus !== 200) return json(anthropicStatus, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_011Overloaded' });
    json(200, { id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: personJson, citations: null }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 5, output_tokens: 6 } });
  } else {
    json(404, { error: { message: `no route ${request.path}` } });
  }
}

/**
 * Anthropic SDK structured outputs (`messages.parse` with `zodOutputFormat`, i.e.
 * `output_config.format: {type: json_schema, schema}`) reach every provider: translated ones are
 * asked for JSON through the canonical response_format, an Anthropic provider gets the bytes as
 * sent, and a model group that fails over from Claude still answers something `parse` reads.
 */
describe('Anthropic structured outputs (output_config.format) on translated providers', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;
  let anthropicStatus = 200;

  before(async () => {
    upstream = await startStandIn((request, response) => answer(request, response, anthropicStatus));
    gateway = await startGateway(`
providers:
  claude: { type: anthropic, api_key: ant-key, base_url: "${upstream.url}" }
  gem: { type: gemini, api_key: gem-key, base_url: "${upstream.url}" }
  aws: { type: bedrock, api_key: bedrock-key, base_url: "${upstream.url}", options: { region: us-east-1 } }
  oai: { type: openai-compatible, api_key: oai-key, base_url: "${upstream.url}/v1" }
models:
  claude-then-gemini: { targets: [{ provider: claude, model: claude-sonnet-4-5 }, { provider: gem, model: gemini-2.5-flash }] }
  claude-then-bedrock: { targets: [{ provider: claude, model: claude-sonnet-4-5 }, { provider: aws, model: anthropic.claude-sonnet-4-5-20250929-v1:0 }] }
routing:
  health: { consecutive_failures: 0 }
`);
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    anthropicStatus = 200;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  function sentTo(pathPart: string): Record<string, unknown> {
    const request = upstream.requests.find((candidate) => candidate.path.includes(pathPart));
    assert.ok(request, `a request to ${pathPart}`);
    return request.json as Record<string, unknown>;
  }

  it('Gemini: responseMimeType application/json with the schema as responseJsonSchema; parsed_output filled', async () => {
    const message = await client.messages.parse({ model: 'gem/gemini-2.5-flash', max_tokens: 200, messages: [{ role: 'user', content: 'Invent a person.' }], output_config: { format: zodOutputFormat(Person) } });
    const config = sentTo(':generateContent').generationConfig as { responseMimeType?: string; responseJsonSchema?: { properties?: Record<string, unknown>; required?: string[] } };
    assert.equal(config.responseMimeType, 'application/json');
    assert.deepEqual(Object.keys(config.responseJsonSchema?.properties ?? {}), ['name', 'age']);
    assert.deepEqual(config.responseJsonSchema?.required, ['name', 'age']);
    assert.deepEqual(message.parsed_output, { name: 'Ada', age: 36 });
  });

  it('Bedrock: the forced json_response tool with the schema; its input comes back as the text parse reads', async () => {
    const message = await client.messages.parse({ model: 'aws/anthropic.claude-sonnet-4-5-20250929-v1:0', max_tokens: 200, messages: [{ role: 'user', content: 'Invent a person.' }], output_config: { format: zodOutputFormat(Person) } });
    const toolConfig = sentTo('/converse').toolConfig as { tools: Array<{ toolSpec: { name: string; inputSchema: { json: { required?: string[] } } } }>; toolChoice: unknown };
    assert.deepEqual(toolConfig.toolChoice, { tool: { name: 'json_response' } });
    assert.deepEqual(toolConfig.tools[0].toolSpec.inputSchema.json.required, ['name', 'age']);
    assert.deepEqual(message.parsed_output, { name: 'Ada', age: 36 });
    assert.equal(message.stop_reason, 'end_turn');
  });

  it('OpenAI-compatible: response_format json_schema (strict when the schema allows it), streamed too', async () => {
    const message = await client.messages.parse({ model: 'oai/gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: 'Invent a person.' }], output_config: { format: zodOutputFormat(Person) } });
    const format = sentTo('/chat/completions').response_format as { type: string; json_schema: { name: string; strict: boolean; schema: { additionalProperties?: boolean } } };
    assert.equal(format.type, 'json_schema');
    assert.equal(format.json_schema.name, 'structured_output');
    assert.equal(format.json_schema.strict, true, 'the SDK closes objects and every field is required');
    assert.equal(format.json_schema.schema.additionalProperties, false);
    assert.deepEqual(message.parsed_output, { name: 'Ada', age: 36 });

    upstream.requests.length = 0;
    const final = await client.messages.stream({ model: 'oai/gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: 'Invent a person.' }], output_config: { format: zodOutputFormat(Person) } }).finalMessage();
    assert.deepEqual(final.parsed_output, { name: 'Ada', age: 36 });

    // An optional field is fine for Anthropic but refused by OpenAI's strict mode: not strict then.
    upstream.requests.length = 0;
    const WithNickname = z.object({ name: z.string(), nickname: z.string().optional() });
    await client.messages.parse({ model: 'oai/gpt-4o-mini', max_tokens: 200, messages: [{ role: 'user', content: 'Invent a person.' }], output_config: { format: zodOutputFormat(WithNickname) } });
    assert.equal((sentTo('/chat/completions').response_format as { json_schema: { strict: boolean } }).json_schema.strict, false);
  });

  it('an Anthropic provider gets the client bytes, output_config.format as sent', async () => {
    const raw = JSON.stringify({ model: 'claude/claude-sonnet-4-5', max_tokens: 200, messages: [{ role: 'user', content: 'Invent a person.' }], output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } } } });
    const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'client-key' }, body: raw });
    assert.equal(response.status, 200);
    const sent = upstream.requests.find((request) => request.path === '/v1/messages');
    assert.equal(sent?.json && JSON.stringify((sent.json as { output_config: unknown }).output_config), JSON.stringify(JSON.parse(raw).output_config));
    assert.equal((sent?.json as Record<string, unknown>).tools, undefined, 'no forced tool on the passthrough');
  });

  it('a group that fails over from Claude (529) to Gemini or Bedrock still answers what messages.parse reads', async () => {
    anthropicStatus = 529;
    for (const [group, pathPart] of [['claude-then-gemini', ':generateContent'], ['claude-then-bedrock', '/converse']] as const) {
      upstream.requests.length = 0;
      const message = await client.messages.parse({ model: group, max_tokens: 200, messages: [{ role: 'user', content: 'Invent a person.' }], output_config: { format: zodOutputFormat(Person) } });
      assert.deepEqual(message.parsed_output, { name: 'Ada', age: 36 }, group);
      assert.deepEqual(upstream.requests.map((request) => (request.path === '/v1/messages' ? 'claude' : 'fallback')), ['claude', 'fallback'], group);
      sentTo(pathPart);
    }
  });

  it('a json_schema format without its schema is refused with 400, the field named', async () => {
    const error = await client.messages.create({ model: 'gem/gemini-2.5-flash', max_tokens: 10, messages: [{ role: 'user', content: 'x' }], output_config: { format: { type: 'json_schema' } as never } }).catch((caught: unknown) => caught);
    assert.ok(error instanceof Anthropic.BadRequestError);
    assert.match(error.message, /output_config\.format\.schema/);
    assert.equal(upstream.requests.length, 0);
  });
});

describe('fitsStrictMode', () => {
  it('every object closed with all its properties required, nested ones and $defs too', () => {
    const closed = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    assert.equal(fitsStrictMode(closed), true);
    assert.equal(fitsStrictMode({ type: 'object', properties: { list: { type: 'array', items: closed } }, required: ['list'], additionalProperties: false }), true);
    assert.equal(fitsStrictMode({ ...closed, required: [] }), false);
    assert.equal(fitsStrictMode({ ...closed, additionalProperties: undefined }), false);
    assert.equal(fitsStrictMode({ type: 'object', properties: { list: { type: 'array', items: { type: 'object', properties: {} } } }, required: ['list'], additionalProperties: false }), false);
    assert.equal(fitsStrictMode({ ...closed, $defs: { Open: { type: 'object', properties: { b: { type: 'string' } } } } }), false);
    assert.equal(fitsStrictMode({ type: 'array', items: closed }), false, 'strict mode wants an object at the top');
  });
});
