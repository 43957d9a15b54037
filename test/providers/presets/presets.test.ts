import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { applyChatQuirks } from '../../../src/providers/presets/apply-chat-quirks.ts';
import { presetDefinitions } from '../../../src/providers/presets/definition.ts';
import { presetTable } from '../../../src/providers/presets/preset-table.ts';
import { providerDefinitions } from '../../../src/providers/registry.ts';
import type { ChatRequest } from '../../../src/canonical/chat.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

const completion = {
  id: 'chatcmpl-p1',
  object: 'chat.completion',
  created: 1733000000,
  model: 'some-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from a preset' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
};

/** The path part of a preset's default base URL ('' for Perplexity, '/openai/v1' for Groq, ...). */
function basePathOf(url: string): string {
  return new URL(url).pathname.replace(/\/+$/, '');
}

function envFor(type: string): { apiKey: string; baseUrl: string } {
  const definition = providerDefinitions.get(type);
  assert.ok(definition, `${type} is registered`);
  assert.ok(definition.env.apiKey && definition.env.baseUrl);
  return { apiKey: definition.env.apiKey, baseUrl: definition.env.baseUrl };
}

async function postChat(gw: RunningGateway, body: string): Promise<Response> {
  return fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

describe('presets: the table', () => {
  it('registers every preset with <PREFIX>_API_KEY / <PREFIX>_BASE_URL and a checked default URL', () => {
    const expected: Record<string, [string, string]> = {
      mistral: ['https://api.mistral.ai/v1', 'MISTRAL'],
      groq: ['https://api.groq.com/openai/v1', 'GROQ'],
      deepseek: ['https://api.deepseek.com/v1', 'DEEPSEEK'],
      together: ['https://api.together.ai/v1', 'TOGETHER'],
      fireworks: ['https://api.fireworks.ai/inference/v1', 'FIREWORKS'],
      openrouter: ['https://openrouter.ai/api/v1', 'OPENROUTER'],
      xai: ['https://api.x.ai/v1', 'XAI'],
      perplexity: ['https://api.perplexity.ai', 'PERPLEXITY'],
      cerebras: ['https://api.cerebras.ai/v1', 'CEREBRAS'],
      vllm: ['http://127.0.0.1:8000/v1', 'VLLM'],
      lmstudio: ['http://127.0.0.1:1234/v1', 'LMSTUDIO'],
      llamacpp: ['http://127.0.0.1:8080/v1', 'LLAMACPP'],
    };
    assert.deepEqual(presetDefinitions.map((definition) => definition.type).sort(), Object.keys(expected).sort());
    for (const [type, [url, prefix]] of Object.entries(expected)) {
      const definition = providerDefinitions.get(type)!;
      assert.equal(definition.defaultBaseUrl, url, type);
      assert.deepEqual(definition.env, { apiKey: `${prefix}_API_KEY`, baseUrl: `${prefix}_BASE_URL` }, type);
      assert.equal(definition.requiresApiKey, !['vllm', 'lmstudio', 'llamacpp'].includes(type), type);
    }
  });
});

describe('presets: zero-config, every preset at once', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion));
    });
    const env: NodeJS.ProcessEnv = {};
    for (const spec of presetTable) {
      const names = envFor(spec.type);
      env[names.apiKey] = `key-${spec.type}`;
      env[names.baseUrl] = upstream.url + basePathOf(spec.defaultBaseUrl);
    }
    gw = await startGateway('{}', env);
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('enables every preset whose key is in the environment', async () => {
    const response = await fetch(`${gw.adminUrl}/readyz`);
    const body = (await response.json()) as { providers: string[] };
    for (const spec of presetTable) assert.ok(body.providers.includes(`${spec.type}(${spec.type})`), `${spec.type} enabled: ${body.providers.join(', ')}`);
  });

  for (const spec of presetTable) {
    it(`${spec.type}: sends chat to its base URL path with its key as a bearer token`, async () => {
      const result = await client.chat.completions.create({ model: `${spec.type}/some-model`, messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(result.choices[0].message.content, 'Hello from a preset');
      assert.equal(upstream.requests.length, 1);
      const sent = upstream.requests[0];
      assert.equal(sent.path, `${basePathOf(spec.defaultBaseUrl)}/chat/completions`);
      assert.equal(sent.headers.authorization, `Bearer key-${spec.type}`);
      assert.deepEqual(sent.json, { model: 'some-model', messages: [{ role: 'user', content: 'hi' }] });
    });
  }
});

describe('presets: configured entries and quirks', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;
  const deepseekStream = [
    { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'deepseek-reasoner', choices: [{ index: 0, delta: { role: 'assistant', content: null, reasoning_content: 'Think' }, finish_reason: null }] },
    { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'deepseek-reasoner', choices: [{ index: 0, delta: { content: 'Answer' }, finish_reason: 'stop' }] },
    { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'deepseek-reasoner', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
    '[DONE]',
  ];

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model?: string; stream?: boolean };
      if (body.model === 'deepseek-reasoner' && body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(sseBody(deepseekStream));
        return;
      }
      if (body.model === 'deepseek-reasoner') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ...completion, model: 'deepseek-reasoner', choices: [{ index: 0, message: { role: 'assistant', content: '9.8', reasoning_content: 'Compare 9.11 and 9.8' }, finish_reason: 'stop' }] }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion));
    });
    const config = [
      'providers:',
      `  mygroq: { type: groq, api_key: groq-key, base_url: "${upstream.url}/groq", models: [llama-3.3-70b] }`,
      `  mistral: { type: mistral, api_key: mistral-key, base_url: "${upstream.url}/mistral" }`,
      `  cerebras: { type: cerebras, api_key: cerebras-key, base_url: "${upstream.url}/cerebras" }`,
      `  deepseek: { type: deepseek, api_key: deepseek-key, base_url: "${upstream.url}/deepseek" }`,
      `  openrouter: { type: openrouter, api_key: or-key, base_url: "${upstream.url}/or", options: { http_referer: "https://app.example", app_title: "My App" } }`,
      `  local: { type: vllm, base_url: "${upstream.url}/local" }`,
    ].join('\n');
    gw = await startGateway(config);
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('a named entry of a preset type works (providers.mygroq: { type: groq })', async () => {
    const result = await client.chat.completions.create({ model: 'mygroq/llama-3.1-8b-instant', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(result.choices[0].message.content, 'Hello from a preset');
    assert.equal(upstream.requests[0].path, '/groq/chat/completions');
    assert.equal(upstream.requests[0].headers.authorization, 'Bearer groq-key');
  });

  it('forwards the client bytes untouched when no quirk applies', async () => {
    const raw = '{ "model" : "llama-3.3-70b",\n  "messages": [{"role":"user","content":"hi"}], "temperature": 0.5 }';
    const response = await postChat(gw, raw);
    assert.equal(response.status, 200);
    assert.equal(upstream.requests[0].body, raw);
  });

  it('groq: drops the fields Groq rejects and re-serializes the body', async () => {
    const raw = JSON.stringify({ model: 'llama-3.3-70b', messages: [{ role: 'system', content: 's', name: 'sys' }, { role: 'user', content: 'hi', name: 'ann' }], logprobs: true, top_logprobs: 2, logit_bias: { '1': 5 }, temperature: 0.5 });
    const response = await postChat(gw, raw);
    assert.equal(response.status, 200);
    assert.deepEqual(upstream.requests[0].json, { model: 'llama-3.3-70b', messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'hi' }], temperature: 0.5 });
  });

  // The rest of Mistral's adapter (answers, ids, roles, errors) is tested in test/providers/mistral/.
  it('mistral: renames seed and max_completion_tokens, drops what Mistral rejects and keeps metadata (which Mistral takes)', async () => {
    await client.chat.completions.create({
      model: 'mistral/mistral-small-latest',
      messages: [{ role: 'user', content: 'hi', name: 'ann' }],
      seed: 42,
      max_completion_tokens: 100,
      user: 'u-1',
      store: false,
      metadata: { a: 'b' },
      n: 1,
    });
    assert.equal(upstream.requests[0].path, '/mistral/chat/completions');
    assert.equal(upstream.requests[0].headers.authorization, 'Bearer mistral-key');
    assert.deepEqual(upstream.requests[0].json, { model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], random_seed: 42, max_tokens: 100, metadata: { a: 'b' }, n: 1 });
  });

  it('mistral: a stream goes without stream_options (Mistral rejects it and reports usage on its own)', async () => {
    const response = await postChat(gw, JSON.stringify({ model: 'mistral/mistral-small-latest', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }));
    await response.text();
    const sent = upstream.requests[0].json as Record<string, unknown>;
    assert.equal(sent.stream, true);
    assert.equal(sent.stream_options, undefined);
  });

  it('cerebras: drops the penalties, logit_bias, parallel_tool_calls and service_tier', async () => {
    await client.chat.completions.create({ model: 'cerebras/llama3.1-8b', messages: [{ role: 'user', content: 'hi' }], frequency_penalty: 0.1, presence_penalty: 0.2, parallel_tool_calls: false, service_tier: 'auto', top_p: 0.9 });
    assert.deepEqual(upstream.requests[0].json, { model: 'llama3.1-8b', messages: [{ role: 'user', content: 'hi' }], top_p: 0.9 });
  });

  it('deepseek: reasoning_content reaches the client, in responses and in streamed deltas', async () => {
    const result = await client.chat.completions.create({ model: 'deepseek/deepseek-reasoner', messages: [{ role: 'user', content: '9.11 or 9.8?' }] });
    assert.equal((result.choices[0].message as unknown as { reasoning_content: string }).reasoning_content, 'Compare 9.11 and 9.8');
    assert.equal(upstream.requests[0].path, '/deepseek/chat/completions');

    const response = await postChat(gw, JSON.stringify({ model: 'deepseek/deepseek-reasoner', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] }));
    assert.equal(await response.text(), sseBody(deepseekStream));
  });

  it('openrouter: sends the attribution headers from options', async () => {
    await client.chat.completions.create({ model: 'openrouter/openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/or/chat/completions');
    assert.equal((sent.json as { model: string }).model, 'openai/gpt-4o-mini');
    assert.equal(sent.headers['http-referer'], 'https://app.example');
    assert.equal(sent.headers['x-openrouter-title'], 'My App');
    assert.equal(sent.headers['x-title'], 'My App');
  });

  it('a local preset needs no key and sends no authorization header', async () => {
    await client.chat.completions.create({ model: 'local/Qwen/Qwen3-8B', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(upstream.requests[0].path, '/local/chat/completions');
    assert.equal(upstream.requests[0].headers.authorization, undefined);
  });

  it('embeddings are not adjusted by the chat quirks; mistral gets its own embedding names (no user, dimensions as output_dimension)', async () => {
    await client.embeddings.create({ model: 'mygroq/some-embedder', input: 'abc', encoding_format: 'float', user: 'u-1', dimensions: 64 });
    assert.equal(upstream.requests[0].path, '/groq/embeddings');
    assert.deepEqual(upstream.requests[0].json, { model: 'some-embedder', input: 'abc', encoding_format: 'float', user: 'u-1', dimensions: 64 });
    upstream.requests.length = 0;
    await client.embeddings.create({ model: 'mistral/mistral-embed', input: 'abc', encoding_format: 'float', user: 'u-1' });
    assert.equal(upstream.requests[0].path, '/mistral/embeddings');
    assert.deepEqual(upstream.requests[0].json, { model: 'mistral-embed', input: 'abc', encoding_format: 'float' });
  });
});

describe('presets: applyChatQuirks', () => {
  it('returns the same object and no changes when nothing applies', () => {
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 1 };
    const result = applyChatQuirks(request, { drop: ['user'], rename: { seed: 'random_seed' }, dropMessageFields: [{ field: 'name', roles: ['user'] }] });
    assert.equal(result.request, request);
    assert.deepEqual(result.changes, []);
  });

  it('never mutates the input, keeps an explicit target field and names each change once', () => {
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'a', name: 'x' }, { role: 'user', content: 'b', name: 'y' }, { role: 'tool', content: 'c', tool_call_id: 't', name: 'f' }], seed: 1, random_seed: 2, user: 'u' };
    const copy = structuredClone(request);
    const result = applyChatQuirks(request, { drop: ['user'], rename: { seed: 'random_seed' }, dropMessageFields: [{ field: 'name', roles: ['user'] }] });
    assert.deepEqual(request, copy);
    assert.deepEqual(result.request, { model: 'm', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'tool', content: 'c', tool_call_id: 't', name: 'f' }], random_seed: 2 });
    assert.deepEqual(result.changes, ['dropped user', 'renamed seed -> random_seed', 'dropped messages[].name (user)']);
  });
});
