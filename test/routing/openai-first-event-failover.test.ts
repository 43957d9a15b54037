import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { APIError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { controlledUpstream, type ControlledUpstream } from './upstream-control.ts';

const overloaded = { error: { message: 'The server is overloaded, please try again.', type: 'server_error', param: null, code: null } };

function chunk(content: string, finish: string | null = null): Record<string, unknown> {
  return { id: 'chatcmpl-F4', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: finish }], usage: null };
}
const usageChunk = { id: 'chatcmpl-F4', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } };
/** A normal OpenAI stream, answered with usage (as when the client or the gateway asks for it). */
const answer = sseBody([chunk('Hello'), chunk(' there'), chunk('', 'stop'), usageChunk, '[DONE]']);

/**
 * An OpenAI-format upstream (openai, openai-compatible, azure, mistral) that answers 200 and whose
 * first stream event is an error object (`data: {"error": {...}}`: OpenAI's and vLLM's in-stream
 * failure) fails the call before the client has a byte, for chat completions clients too: the
 * group's next target serves it, or the client gets the HTTP error. Only the first event is looked
 * at, and a normal stream's first bytes are not held back.
 */
describe('an OpenAI-format error event as the first stream event falls back to the next target', () => {
  let flaky: StandIn;
  let steady: ControlledUpstream;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  /** What the flaky upstream streams, and in pieces of how many bytes (0: in one write). */
  let flakyBody = sseBody([overloaded]);
  let pieceSize = 0;
  /** When set, the flaky upstream writes its first event, then waits for this before the rest. */
  let holdRest: Promise<void> | null = null;

  before(async () => {
    flaky = await startStandIn(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_flaky' });
      const bytes = Buffer.from(flakyBody);
      if (holdRest !== null) {
        const firstEnd = bytes.indexOf('\n\n') + 2;
        response.write(bytes.subarray(0, firstEnd));
        await holdRest;
        response.end(bytes.subarray(firstEnd));
        return;
      }
      if (pieceSize === 0) return void response.end(bytes);
      for (let offset = 0; offset < bytes.length; offset += pieceSize) {
        response.write(bytes.subarray(offset, offset + pieceSize));
        await nextTurn();
      }
      response.end();
    });
    steady = await controlledUpstream('steady');
    gateway = await startGateway(`
providers:
  oa: { type: openai, api_key: oa-key, base_url: "${flaky.url}/v1" }
  compat: { type: openai-compatible, base_url: "${flaky.url}/v1" }
  az: { type: azure, api_key: az-key, base_url: "${flaky.url}" }
  mi: { type: mistral, api_key: mi-key, base_url: "${flaky.url}/v1" }
  or: { type: openrouter, api_key: or-key, base_url: "${flaky.url}/api/v1" }
  steady: { type: openai-compatible, base_url: "${steady.url}/v1" }
routing:
  health: { consecutive_failures: 0 }
models:
  oa-then-steady: { targets: [{ provider: oa, model: gpt-4o-mini }, { provider: steady, model: m }] }
  compat-then-steady: { targets: [{ provider: compat, model: llama }, { provider: steady, model: m }] }
  az-then-steady: { targets: [{ provider: az, model: gpt4o-deploy }, { provider: steady, model: m }] }
  mi-then-steady: { targets: [{ provider: mi, model: mistral-small-latest }, { provider: steady, model: m }] }
  or-then-steady: { targets: [{ provider: or, model: openai/gpt-4o }, { provider: steady, model: m }] }
`);
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'x', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
  });
  beforeEach(() => {
    flaky.requests.length = 0;
    steady.hits = 0;
    flakyBody = sseBody([overloaded]);
    pieceSize = 0;
    holdRest = null;
  });
  after(async () => {
    await gateway.close();
    await Promise.all([flaky.close(), steady.standIn.close()]);
  });

  function servedBySteady(headers: Headers, what: string): void {
    assert.equal(headers.get('x-tollgate-provider'), 'steady', what);
    assert.equal(headers.get('x-tollgate-attempts'), '2', what);
    assert.equal(flaky.requests.length, 1, what);
    assert.equal(steady.hits, 1, what);
  }

  async function chatText(model: string): Promise<{ text: string; headers: Headers }> {
    const { data: stream, response } = await openai.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
    return { text, headers: response.headers };
  }

  for (const group of ['oa-then-steady', 'compat-then-steady', 'az-then-steady', 'mi-then-steady']) {
    it(`chat completions (OpenAI SDK, passthrough): ${group}`, async () => {
      const { text, headers } = await chatText(group);
      assert.equal(text, 'from steady done');
      servedBySteady(headers, group);
    });
  }

  it("OpenRouter's error chunk (an error beside a choice that finished with \"error\") as the first event falls back too, for every client API", async () => {
    const openRouterError = { id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'openai/gpt-4o', provider: 'OpenAI', error: { code: 502, message: 'Upstream provider failed' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] };
    flakyBody = sseBody([openRouterError]);
    const { text, headers } = await chatText('or-then-steady');
    assert.equal(text, 'from steady done');
    servedBySteady(headers, 'chat completions');
    flaky.requests.length = 0;
    steady.hits = 0;
    const { data: events, response } = await anthropic.messages.create({ model: 'or-then-steady', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    let messageText = '';
    for await (const event of events) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') messageText += event.delta.text;
    assert.equal(messageText, 'from steady done');
    servedBySteady(response.headers, 'messages');
  });

  it('/v1/messages (Anthropic SDK) and /v1/responses (OpenAI SDK) clients fall back the same way', async () => {
    const { data: messages, response: messagesResponse } = await anthropic.messages.create({ model: 'compat-then-steady', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    let text = '';
    for await (const item of messages) if (item.type === 'content_block_delta' && item.delta.type === 'text_delta') text += item.delta.text;
    assert.equal(text, 'from steady done');
    servedBySteady(messagesResponse.headers, 'messages');

    flaky.requests.length = 0;
    steady.hits = 0;
    const { data: responses, response: responsesResponse } = await openai.responses.create({ model: 'compat-then-steady', stream: true, input: 'hi' }).withResponse();
    text = '';
    for await (const item of responses) if (item.type === 'response.output_text.delta') text += item.delta;
    assert.equal(text, 'from steady done');
    servedBySteady(responsesResponse.headers, 'responses');
  });

  /** The HTTP error the OpenAI SDK raises for a streamed chat call that fails before its first byte. */
  async function streamFailure(model: string): Promise<{ status: number; type: unknown; code: unknown; param: unknown; message: string }> {
    try {
      await openai.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    } catch (error) {
      assert.ok(error instanceof APIError, String(error));
      return { status: error.status ?? 0, type: error.type, code: error.code, param: error.param, message: error.message };
    }
    assert.fail('expected an HTTP error');
  }

  it("with no other target the client gets the HTTP error, not a 200 stream: the status its code names, else 502, with the provider's error object", async () => {
    assert.deepEqual(await streamFailure('compat/llama'), { status: 502, type: 'server_error', code: null, param: null, message: '502 The server is overloaded, please try again.' });
    // OpenRouter and vLLM put the HTTP status in the code; a keep-alive comment in the same piece before it changes nothing.
    flakyBody = ': OPENROUTER PROCESSING\n\n' + sseBody([{ error: { message: 'Rate limit exceeded', code: 429 } }]);
    assert.deepEqual(await streamFailure('mi/mistral-small-latest'), { status: 429, type: 'rate_limit_error', code: 429, param: null, message: '429 Rate limit exceeded' });
    // Cut into 3-byte pieces: the event is still read whole.
    pieceSize = 3;
    flakyBody = sseBody([overloaded]);
    assert.equal((await streamFailure('az/gpt4o-deploy')).status, 502);
  });

  it("a vLLM error event keeps its whole error object (type, code, param), secrets scrubbed as for an HTTP error", async () => {
    const vllmError = { error: { object: 'error', message: "This model's maximum context length is 4096 tokens (key oa-key, org-Abcdefgh1234).", type: 'BadRequestError', param: null, code: 400 } };
    flakyBody = sseBody([vllmError]);
    const scrubbed = "This model's maximum context length is 4096 tokens (key [redacted], org-[redacted]).";
    assert.deepEqual(await streamFailure('oa/gpt-4o-mini'), { status: 400, type: 'BadRequestError', code: 400, param: null, message: `400 ${scrubbed}` });
    const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'oa/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-upstream-request-id'), 'req_flaky');
    assert.deepEqual(await response.json(), { error: { ...vllmError.error, message: scrubbed } });
    const named = { error: { message: 'Invalid schema for response_format', type: 'invalid_request_error', param: 'response_format', code: 'invalid_json_schema' } };
    flakyBody = sseBody([named]);
    assert.deepEqual(await streamFailure('compat/llama'), { status: 502, type: 'invalid_request_error', code: 'invalid_json_schema', param: 'response_format', message: '502 Invalid schema for response_format' });
  });

  it('a normal stream passes as its bytes, also cut into 3-byte pieces (after a keep-alive comment too)', async () => {
    for (const [size, body] of [[0, answer], [3, answer], [5, `: OPENROUTER PROCESSING\n\n${answer}`]] as const) {
      pieceSize = size;
      flakyBody = body;
      const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'compat/llama', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(response.status, 200);
      assert.equal(await response.text(), body, `pieces of ${size}`);
      assert.equal(steady.hits, 0);
    }
  });

  /** Whether `pending` settles within `ms`. */
  async function settlesWithin(pending: Promise<unknown>, ms: number): Promise<boolean> {
    let timer!: NodeJS.Timeout;
    const waited = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([pending.then(() => true, () => true), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  const openRouterError = { id: 'gen-2', object: 'chat.completion.chunk', created: 1, model: 'openai/gpt-4o', provider: 'OpenAI', error: { code: 429, message: 'Rate limited upstream' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] };

  it("keep-alive comments that come alone before the first event are held with it: OpenRouter's error chunk after them still falls back", async () => {
    let release!: () => void;
    holdRest = new Promise<void>((resolve) => (release = resolve));
    // The comment comes as a piece of its own, the error event only once the test releases it.
    flakyBody = ': OPENROUTER PROCESSING\n\n' + sseBody([openRouterError]);
    const pending = fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'or-then-steady', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    try {
      assert.equal(await settlesWithin(pending, 300), false, 'nothing reached the client while only the comment had come');
      assert.equal(flaky.requests.length, 1);
    } finally {
      release();
    }
    const response = await pending;
    assert.equal(response.status, 200);
    servedBySteady(response.headers, 'chat completions');
    const text = await response.text();
    assert.doesNotMatch(text, /OPENROUTER PROCESSING|Rate limited upstream/);
    assert.match(text, /from steady/);
  });

  it('with no other target, such an error after keep-alive comments is the HTTP error, not a 200 stream', async () => {
    let release!: () => void;
    holdRest = new Promise<void>((resolve) => (release = resolve));
    flakyBody = ': OPENROUTER PROCESSING\n\n' + sseBody([openRouterError]);
    const pending = streamFailure('or/openai/gpt-4o');
    setTimeout(release, 100);
    assert.deepEqual(await pending, { status: 429, type: 'rate_limit_error', code: 429, param: null, message: '429 Rate limited upstream' });
    assert.equal(steady.hits, 0);
  });

  it('keep-alive comments held before a normal first event reach the client with it, every byte as sent', async () => {
    let release!: () => void;
    holdRest = new Promise<void>((resolve) => (release = resolve));
    const body = ': OPENROUTER PROCESSING\n\n' + answer;
    flakyBody = body;
    const pending = fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'compat/llama', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }) });
    setTimeout(release, 100);
    const response = await pending;
    assert.equal(response.status, 200);
    assert.equal(await response.text(), body);
    assert.equal(response.headers.get('x-tollgate-attempts'), '1');
  });

  it("a normal stream's first event reaches the client before the upstream sends anything more", async () => {
    let release!: () => void;
    holdRest = new Promise<void>((resolve) => (release = resolve));
    flakyBody = answer;
    // Released by the test once the client has the first event; by this timer only if the gateway held it back.
    let heldBack = false;
    const stalled = setTimeout(() => {
      heldBack = true;
      release();
    }, 3000);
    try {
      const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'compat/llama', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(response.status, 200);
      const reader = response.body!.getReader();
      const first = await reader.read();
      assert.equal(heldBack, false, 'the first event came before the upstream sent more');
      release();
      assert.equal(Buffer.from(first.value!).toString('utf8'), sseBody([chunk('Hello')]));
      let rest = '';
      for (let part = await reader.read(); !part.done; part = await reader.read()) rest += Buffer.from(part.value).toString('utf8');
      assert.equal(sseBody([chunk('Hello')]) + rest, answer);
    } finally {
      clearTimeout(stalled);
    }
  });
});
