import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

type Reply = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

const fixtures = new URL('../../fixtures/anthropic/', import.meta.url);

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };
}

/** Writes bytes in small pieces, so events are split across TCP writes. */
function sseBytes(bytes: Buffer | string, pieceSize = 11): Reply {
  const data = Buffer.from(bytes);
  return async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    for (let offset = 0; offset < data.length; offset += pieceSize) {
      response.write(data.subarray(offset, offset + pieceSize));
      await nextTurn();
    }
    response.end();
  };
}

const weatherTool = { name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };

describe('Anthropic Messages API clients (official @anthropic-ai/sdk) through the gateway', () => {
  let openaiUpstream: StandIn;
  let anthropicUpstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;
  let openaiReply: Reply = json(500, {});
  let anthropicReply: Reply = json(500, {});

  before(async () => {
    openaiUpstream = await startStandIn((request, response) => openaiReply(request, response));
    anthropicUpstream = await startStandIn((request, response) => anthropicReply(request, response));
    const config = `
providers:
  local: { type: openai-compatible, base_url: "${openaiUpstream.url}/v1", models: [llama-3] }
models:
  smart: { targets: [{ provider: local, model: llama-3 }] }
`;
    gateway = await startGateway(config, { ANTHROPIC_API_KEY: 'upstream-key', ANTHROPIC_BASE_URL: anthropicUpstream.url });
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  /** tollgate_tokens_total for the anthropic provider's prompt tokens, from the admin /metrics. */
  async function promptTokensCounted(): Promise<number> {
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    const line = metrics.split('\n').find((item) => item.startsWith('tollgate_tokens_total{provider="anthropic",model="claude-sonnet-4-5",kind="prompt"}'));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }
  beforeEach(() => {
    openaiUpstream.requests.length = 0;
    anthropicUpstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await openaiUpstream.close();
    await anthropicUpstream.close();
  });

  describe('echo test provider', () => {
    it('messages.create answers a Message', async () => {
      const message = await client.messages.create({ model: 'echo/x', max_tokens: 50, system: 'ignored', messages: [{ role: 'user', content: 'hello from anthropic' }] });
      assert.equal(message.type, 'message');
      assert.equal(message.role, 'assistant');
      assert.match(message.id, /^msg_/);
      assert.deepEqual(message.content, [{ type: 'text', text: 'hello from anthropic', citations: null }]);
      assert.equal(message.stop_reason, 'end_turn');
      assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
    });

    it('messages.stream assembles the final message, with usage', async () => {
      const stream = client.messages.stream({ model: 'echo/x', max_tokens: 50, messages: [{ role: 'user', content: 'one two three four five six' }] });
      const texts: string[] = [];
      stream.on('text', (text) => texts.push(text));
      const final = await stream.finalMessage();
      assert.ok(texts.length > 1, 'the text arrived in several deltas');
      assert.equal(texts.join(''), 'one two three four five six');
      assert.deepEqual(final.content, [{ type: 'text', text: 'one two three four five six', citations: null }]);
      assert.equal(final.stop_reason, 'end_turn');
      assert.ok(final.usage.output_tokens > 0);
    });

    it('an alias works, and x-api-key / anthropic-version are accepted', async () => {
      openaiReply = json(200, { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'llama-3', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });
      const response = await client.messages.create({ model: 'smart', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).withResponse();
      assert.equal(response.response.headers.get('x-tollgate-provider'), 'local');
      assert.deepEqual(response.data.content, [{ type: 'text', text: 'hi', citations: null }]);
    });
  });

  describe('OpenAI-compatible provider', () => {
    it('the provider gets an OpenAI chat body; a tool call comes back as tool_use', async () => {
      openaiReply = json(200, {
        id: 'chatcmpl-9',
        object: 'chat.completion',
        created: 1,
        model: 'llama-3',
        choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, finish_reason: 'tool_calls' }],
        usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 },
      });
      const message = await client.messages.create({
        model: 'local/llama-3',
        max_tokens: 200,
        system: 'Use tools.',
        tools: [weatherTool],
        tool_choice: { type: 'auto' },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      });
      assert.equal(openaiUpstream.requests.length, 1);
      const sent = openaiUpstream.requests[0];
      assert.equal(sent.path, '/v1/chat/completions');
      assert.deepEqual(sent.json, {
        model: 'llama-3',
        messages: [
          { role: 'system', content: 'Use tools.' },
          { role: 'user', content: 'Weather in Paris?' },
        ],
        max_tokens: 200,
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: weatherTool.input_schema } }],
        tool_choice: 'auto',
      });
      assert.equal(message.stop_reason, 'tool_use');
      assert.deepEqual(message.content, [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }]);
      assert.deepEqual(message.usage, { input_tokens: 20, output_tokens: 8, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });

      // Second turn: the tool result goes up as an OpenAI tool message after the assistant's call.
      openaiUpstream.requests.length = 0;
      openaiReply = json(200, { id: 'chatcmpl-10', object: 'chat.completion', created: 1, model: 'llama-3', choices: [{ index: 0, message: { role: 'assistant', content: 'Sunny in Paris.' }, finish_reason: 'stop' }] });
      const answer = await client.messages.create({
        model: 'local/llama-3',
        max_tokens: 200,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: message.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '21°C, sunny' }] },
        ],
      });
      const messages = (openaiUpstream.requests[0].json as { messages: unknown[] }).messages;
      assert.deepEqual(messages.slice(1), [
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '21°C, sunny' },
      ]);
      assert.deepEqual(answer.content, [{ type: 'text', text: 'Sunny in Paris.', citations: null }]);
    });

    it('stream: text then tool input deltas become Anthropic events; finalMessage has the parsed input', async () => {
      const base = { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1, model: 'llama-3' };
      const delta = (value: unknown, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta: value, finish_reason: finish }] });
      openaiReply = sseBytes(
        sseBody([
          delta({ role: 'assistant', content: '' }),
          delta({ content: 'Checking ' }),
          delta({ content: 'both.' }),
          delta({ tool_calls: [{ index: 0, id: 'call_p', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
          delta({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
          delta({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
          delta({ tool_calls: [{ index: 1, id: 'call_r', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] }),
          delta({}, 'tool_calls'),
          { ...base, choices: [], usage: { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 } },
          '[DONE]',
        ]),
      );
      const stream = client.messages.stream({ model: 'local/llama-3', max_tokens: 100, tools: [weatherTool], messages: [{ role: 'user', content: 'Paris and Rome?' }] });
      const events: string[] = [];
      const jsonDeltas: string[] = [];
      stream.on('streamEvent', (event) => {
        events.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') jsonDeltas.push(`${event.index}:${event.delta.partial_json}`);
      });
      const final = await stream.finalMessage();
      const sent = openaiUpstream.requests[0].json as Record<string, unknown>;
      assert.equal(sent.stream, true);
      assert.deepEqual(sent.stream_options, { include_usage: true });
      assert.equal(events[0], 'message_start');
      assert.equal(events.at(-1), 'message_stop');
      // Each call's arguments whole, in one delta before its stop (what the SDK parses at the stop).
      assert.deepEqual(jsonDeltas, ['1:{"city":"Paris"}', '2:{"city":"Rome"}']);
      assert.deepEqual(final.content, [
        { type: 'text', text: 'Checking both.', citations: null },
        { type: 'tool_use', id: 'call_p', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_r', name: 'get_weather', input: { city: 'Rome' } },
      ]);
      assert.equal(final.stop_reason, 'tool_use');
      assert.equal(final.usage.input_tokens, 30);
      assert.equal(final.usage.output_tokens, 12);
    });

    it('search results and text documents reach the provider as text, their title, context and source first', async () => {
      openaiReply = json(200, { id: 'chatcmpl-s1', object: 'chat.completion', created: 1, model: 'llama-3', choices: [{ index: 0, message: { role: 'assistant', content: 'Noted.' }, finish_reason: 'stop' }] });
      const searchResult = { type: 'search_result' as const, source: 'https://wiki.example/tides', title: 'Tides', content: [{ type: 'text' as const, text: 'Tides follow the moon.' }, { type: 'text' as const, text: 'Two a day.' }] };
      await client.messages.create({
        model: 'local/llama-3',
        max_tokens: 50,
        tools: [weatherTool],
        messages: [
          {
            role: 'user',
            content: [
              searchResult,
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Clause 4: notice is 30 days.' }, title: 'Lease', context: 'Signed 2024' },
              { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'Part one.' }, { type: 'text', text: 'Part two.' }] }, title: 'Notes' },
              { type: 'text', text: 'Summarise.' },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Brest' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [searchResult] }] },
        ],
      });
      const messages = (openaiUpstream.requests.at(-1)!.json as { messages: Array<{ role: string; content: unknown }> }).messages;
      const searchText = 'Tides\nhttps://wiki.example/tides\n\nTides follow the moon.\nTwo a day.';
      assert.equal(messages[0].content, [searchText, 'Lease\nSigned 2024\n\nClause 4: notice is 30 days.', 'Notes\n\nPart one.\nPart two.', 'Summarise.'].join('\n'));
      assert.deepEqual(messages[2], { role: 'tool', tool_call_id: 'toolu_1', content: searchText }, 'a tool result of search results is their text, not empty');
    });

    it('a call forced to a server tool goes up as that choice without the tool, for the provider to refuse, not as a plain answer', async () => {
      openaiReply = json(400, { error: { message: "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", type: 'invalid_request_error', param: 'tool_choice', code: null } });
      await assert.rejects(
        client.messages.create({ model: 'local/llama-3', max_tokens: 50, tools: [{ type: 'web_search_20250305', name: 'web_search' }], tool_choice: { type: 'tool', name: 'web_search' }, messages: [{ role: 'user', content: 'News?' }] }),
        (error: unknown) => error instanceof Anthropic.BadRequestError,
      );
      const sent = openaiUpstream.requests.at(-1)!.json as { tools?: unknown; tool_choice?: unknown };
      assert.equal(sent.tools, undefined);
      assert.deepEqual(sent.tool_choice, { type: 'function', function: { name: 'web_search' } });
    });

    it('upstream 429 -> 429 rate_limit_error with retry-after', async () => {
      openaiReply = json(429, { error: { message: 'Slow down', type: 'rate_limit_error', code: 'rate_limited' } }, { 'retry-after': '7' });
      const response = await fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'client-key', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'local/llama-3', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
      });
      assert.equal(response.status, 429);
      assert.equal(response.headers.get('retry-after'), '7');
      const requestId = response.headers.get('x-request-id');
      assert.ok(requestId);
      assert.equal(response.headers.get('request-id'), requestId);
      // As Anthropic's own error bodies, the body names the request too.
      assert.deepEqual(await response.json(), { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' }, request_id: requestId });

      await assert.rejects(client.messages.create({ model: 'local/llama-3', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
        assert.ok(error instanceof Anthropic.RateLimitError);
        return true;
      });
    });
  });

  describe('Anthropic provider', () => {
    const body = {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Hi!', citations: null }],
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
      usage: { input_tokens: 11, output_tokens: 2, cache_read_input_tokens: 5, cache_creation_input_tokens: 0, service_tier: 'standard' },
    };

    it("forwards the client's bytes unchanged, and the reply's as they are", async () => {
      anthropicReply = json(200, body, { 'request-id': 'req_1' });
      const raw = `{"model":"anthropic/claude-sonnet-4-5" ,"max_tokens":64,"messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}],"unknown_future_field":{"a":1}}`;
      const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'client-key' }, body: raw });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), body, 'fields the gateway does not model (stop_sequence, service_tier) survive');
      const sent = anthropicUpstream.requests[0];
      assert.equal(sent.path, '/v1/messages');
      assert.equal(sent.headers['x-api-key'], 'upstream-key', 'the client key is not forwarded');
      // Only the model name changes (routing names the provider's model); every other byte stays.
      assert.equal(sent.body, raw.replace('"anthropic/claude-sonnet-4-5"', '"claude-sonnet-4-5"'));
      // Usage reached the plugins (cost reads ctx.usage via onResponse).
      assert.ok(response.headers.get('x-tollgate-cost-usd'), 'cost header from the passthrough usage');
    });

    it("passes the client's anthropic-beta on (SDK betas), as one header with each feature once", async () => {
      anthropicReply = json(200, body);
      const message = await client.beta.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }], betas: ['context-1m-2025-08-07', 'interleaved-thinking-2025-05-14'] });
      assert.equal(message.id, 'msg_01');
      assert.equal(anthropicUpstream.requests[0].headers['anthropic-beta'], 'context-1m-2025-08-07,interleaved-thinking-2025-05-14');
      // An OpenAI-format client's header goes to a translated call too; without one, none is sent.
      anthropicUpstream.requests.length = 0;
      const translated = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-beta': 'context-1m-2025-08-07, context-1m-2025-08-07' }, body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] }) });
      assert.equal(translated.status, 200);
      assert.equal(anthropicUpstream.requests[0].headers['anthropic-beta'], 'context-1m-2025-08-07');
      anthropicUpstream.requests.length = 0;
      await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
      assert.equal(anthropicUpstream.requests[0].headers['anthropic-beta'], undefined);
    });

    it('with the model name unchanged, the exact bytes go up', async () => {
      anthropicReply = json(200, body);
      const config = `
models:
  claude: { targets: [{ provider: anthropic, model: claude }] }
`;
      const own = await startGateway(config, { ANTHROPIC_API_KEY: 'upstream-key', ANTHROPIC_BASE_URL: anthropicUpstream.url });
      try {
        const raw = `{ "model": "claude", "max_tokens": 64, "messages": [{"role":"user","content":"Hi"}] }`;
        const response = await fetch(`${own.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
        assert.equal(response.status, 200);
        assert.equal(anthropicUpstream.requests[0].body, raw);
      } finally {
        await own.close();
      }
    });

    it('stream bytes arrive unchanged, and the SDK reads them', async () => {
      const recorded = readFileSync(new URL('streams/tool-use.sse', fixtures));
      const countedBefore = await promptTokensCounted();
      anthropicReply = sseBytes(recorded, 13);
      const response = await fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'Weather?' }] }),
      });
      assert.equal(response.status, 200);
      assert.match(String(response.headers.get('content-type')), /text\/event-stream/);
      assert.ok(Buffer.from(await response.arrayBuffer()).equals(recorded), 'byte for byte');
      // The usage of the forwarded stream reached the log phase (metrics count its tokens).
      assert.equal((await promptTokensCounted()) - countedBefore, 472);

      anthropicReply = sseBytes(recorded, 13);
      const final = await client.messages.stream({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Weather?' }] }).finalMessage();
      assert.equal(final.stop_reason, 'tool_use');
      assert.ok(final.content.some((block) => block.type === 'tool_use'));
    });

    it('an Anthropic error passes on as Anthropic sent it, status included (529 stays 529)', async () => {
      anthropicReply = json(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      const response = await fetch(`${gateway.url}/v1/messages`, {
        method: 'POST',
        body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
      });
      assert.equal(response.status, 529);
      assert.deepEqual(await response.json(), { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    });
  });

  describe('errors and count_tokens', () => {
    it('unknown model -> 404 not_found_error', async () => {
      await assert.rejects(client.messages.create({ model: 'nobody/nothing', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }), (error: unknown) => {
        assert.ok(error instanceof Anthropic.NotFoundError);
        assert.equal((error.error as { type: string; error: { type: string } }).error.type, 'not_found_error');
        return true;
      });
    });

    it('bad JSON -> 400 invalid_request_error; a missing field is named', async () => {
      const bad = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', body: '{"model":' });
      assert.equal(bad.status, 400);
      const badBody = (await bad.json()) as { type: string; error: { type: string; message: string } };
      assert.equal(badBody.type, 'error');
      assert.equal(badBody.error.type, 'invalid_request_error');
      assert.match(badBody.error.message, /not valid JSON/);

      const missing = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'x' }] }) });
      assert.equal(missing.status, 400);
      assert.match(((await missing.json()) as { error: { message: string } }).error.message, /max_tokens/);

      const wrongMethod = await fetch(`${gateway.url}/v1/messages`);
      assert.equal(wrongMethod.status, 405);
      assert.equal(((await wrongMethod.json()) as { type: string }).type, 'error');
    });

    it('a stream that fails after it started ends with an error event', async () => {
      openaiReply = async (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(sseBody([{ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'llama-3', choices: [{ index: 0, delta: { content: 'partial' }, finish_reason: null }] }]));
        await nextTurn();
        response.destroy();
      };
      const stream = client.messages.stream({ model: 'local/llama-3', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
      await assert.rejects(stream.finalMessage(), (error: unknown) => {
        assert.ok(error instanceof APIError, String(error));
        assert.equal((error.error as { error: { type: string } }).error.type, 'api_error');
        return true;
      });
    });

    it('count_tokens answers an estimate for a provider that cannot count, without calling it', async () => {
      const counted = await client.messages.countTokens({ model: 'local/llama-3', system: 'Be brief.', messages: [{ role: 'user', content: 'How many tokens is this sentence?' }] });
      assert.ok(counted.input_tokens > 5 && counted.input_tokens < 40, String(counted.input_tokens));
      assert.equal(openaiUpstream.requests.length, 0);
      await assert.rejects(client.messages.countTokens({ model: 'nobody/nothing', messages: [{ role: 'user', content: 'x' }] }), Anthropic.NotFoundError);
    });

    it('count_tokens estimates images by their size and PDFs by their pages, not as a few tokens', async () => {
      // A PNG's signature and header (what sizes it): 1000 × 1000 pixels.
      const png = Buffer.alloc(33);
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
      png.writeUInt32BE(13, 8);
      png.write('IHDR', 12, 'latin1');
      png.writeUInt32BE(1000, 16);
      png.writeUInt32BE(1000, 20);
      png.set([8, 2, 0, 0, 0], 24);
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >> endobj\n%%EOF\n', 'latin1');
      const question = { type: 'text' as const, text: 'What is in these?' };
      const textOnly = await client.messages.countTokens({ model: 'local/llama-3', messages: [{ role: 'user', content: [question] }] });
      const withImage = await client.messages.countTokens({ model: 'local/llama-3', messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') } }, question] }] });
      // Claude's rule for 1000 × 1000 pixels: 1,000,000 / 750, rounded up.
      assert.equal(withImage.input_tokens - textOnly.input_tokens, 1334);
      const withPdf = await client.messages.countTokens({ model: 'local/llama-3', messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf.toString('base64') } }, question] }] });
      assert.equal(withPdf.input_tokens - textOnly.input_tokens, 3 * 2000);
      assert.equal(openaiUpstream.requests.length, 0);
    });
  });
});
