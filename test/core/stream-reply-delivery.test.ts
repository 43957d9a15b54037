import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { databaseOf } from '../ledger/ledger-helpers.ts';
import { anthropicMessage } from '../helpers/anthropic-bodies.ts';
import { chatChunk } from '../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// The reply-delivery findings of the stream-robustness audit (.audit/stream-robustness/REPORT.md
// F1, F2, F7): an event stream where none was asked for, an Anthropic passthrough stream cut
// before message_stop or not parted by blank lines, and an event past 16 MiB on a passthrough.

const event = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const messageStart = event('message_start', { type: 'message_start', message: { ...(anthropicMessage('', { input_tokens: 3, output_tokens: 1 }) as object), content: [], stop_reason: null } });
const blockStart = event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
const delta = (text: string) => event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
const ending = event('content_block_stop', { type: 'content_block_stop', index: 0 }) + event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }) + event('message_stop', { type: 'message_stop' });

/** A chat answer as an event stream: text in two deltas, a tool call in two, the finish and the usage chunk. */
function chatEvents(model: string): string {
  const call = (part: object) => chatChunk(model, { tool_calls: [{ index: 0, ...part }] });
  return sseBody([
    chatChunk(model, { role: 'assistant', content: '' }),
    chatChunk(model, { content: 'Hel' }),
    chatChunk(model, { content: 'lo' }),
    call({ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":' } }),
    call({ function: { arguments: '"x"}' } }),
    chatChunk(model, {}, 'tool_calls'),
    { id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1700000000, model, choices: [], usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 } },
    '[DONE]',
  ]);
}

/** Writes `size` MiB of one event's text in 64 KiB pieces, then `rest`. */
function writeGiant(response: ServerResponse, size: number, rest: string): void {
  const piece = 'a'.repeat(64 * 1024);
  let sent = 0;
  const more = () => {
    while (sent < size * 1024 * 1024) {
      sent += piece.length;
      if (!response.write(piece)) return void response.once('drain', more);
    }
    response.end(rest);
  };
  response.on('error', () => {});
  more();
}

function answer(path: string, model: string, response: ServerResponse): void {
  const mode = model.split('-')[0]!;
  const sse = (text: string): void => void response.writeHead(200, { 'content-type': 'text/event-stream' }).end(text);
  switch (mode) {
    case 'sse':
      // Streams whatever it is asked (a stream for a call that asked for none).
      if (path.endsWith('/embeddings')) return sse(sseBody([{ object: 'list', data: [] }, '[DONE]']));
      return sse(path.startsWith('/v1/messages') ? messageStart + blockStart + delta('Hello') + ending : chatEvents(model));
    case 'ssebad':
      return sse('data: not json\n\ndata: [DONE]\n\n');
    case 'ssecut':
      return sse(sseBody([chatChunk(model, { role: 'assistant', content: 'cut' })]));
    case 'cut':
      // Content after the held start, then the body ends cleanly before message_delta and message_stop.
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(messageStart + blockStart + delta('par'));
      setTimeout(() => response.end(delta('tial')), 50);
      return;
    case 'noblank':
      return sse((messageStart + blockStart + delta('lost') + ending).replace(/\n\n/g, '\n'));
    case 'giant': {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const size = Number(model.split('-')[1]);
      if (path.startsWith('/v1/messages')) {
        response.write(messageStart + blockStart + delta('x') + 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"');
        return writeGiant(response, size, `"}}\n\n${ending}`);
      }
      response.write(sseBody([chatChunk(model, { role: 'assistant', content: '' })]) + 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"');
      return writeGiant(response, size, `"},"finish_reason":null}]}\n\n${sseBody([chatChunk(model, {}, 'stop'), '[DONE]'])}`);
    }
  }
  response.writeHead(500).end();
}

describe('reply delivery: a stream where none was asked for, passthrough streams cut, unframed or oversized', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;
  const lines: Array<Record<string, unknown>> = [];

  before(async () => {
    upstream = await startStandIn((request, response) => answer(request.path, (request.json as { model: string }).model, response));
    const config = `
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1", timeouts: { connect: 3s, first_byte: 5s, idle: 5s, total: 20s } }
  ant: { type: anthropic, api_key: sk-ant-stand-in-key, base_url: "${upstream.url}", timeouts: { connect: 3s, first_byte: 5s, idle: 5s, total: 20s } }
`;
    gw = await startGateway(config, {}, { logLines: lines });
    openai = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  /** The usage record and access line of one request (by its x-request-id). */
  async function recorded(id: string): Promise<{ status: unknown; error: unknown; accessStatus: unknown; input: number; output: number }> {
    for (let waited = 0; waited < 3000 && !lines.some((line) => line.type === 'access' && line.id === id); waited += 20) await sleep(20);
    await gw.gateway.usageLedger.flush();
    const row = await databaseOf(gw.gateway.identity.store).selectFrom('usage_records').selectAll().where('request_id', '=', id).executeTakeFirst();
    const access = lines.filter((line) => line.type === 'access' && line.id === id);
    assert.equal(access.length, 1, `${id}: one access line`);
    assert.ok(row, `${id}: a usage record`);
    return { status: row.status, error: row.error_code, accessStatus: access[0]!.status, input: Number(row.input_tokens), output: Number(row.output_tokens) };
  }

  const headers = (id: string) => ({ headers: { 'x-request-id': id } });
  const badResponse = (pattern: RegExp) => (error: unknown) => {
    assert.ok(error instanceof OpenAI.APIError || error instanceof Anthropic.APIError, String(error));
    assert.equal(error.status, 502);
    assert.match(error.message, pattern);
    return true;
  };

  it('an event stream for a chat call not streamed is read into the one answer, in every client format, with its usage', async () => {
    const completion = await openai.chat.completions.create({ model: 'up/sse-chat', messages: [{ role: 'user', content: 'hi' }] }, headers('sse-chat'));
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0]!.message.content, 'Hello');
    assert.deepEqual(completion.choices[0]!.message.tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }]);
    assert.equal(completion.choices[0]!.finish_reason, 'tool_calls');
    assert.equal(completion.usage?.prompt_tokens, 7);
    assert.deepEqual(await recorded('sse-chat'), { status: 200, error: null, accessStatus: 200, input: 7, output: 5 });

    const response = await openai.responses.create({ model: 'up/sse-responses', input: 'hi' }, headers('sse-responses'));
    assert.equal(response.object, 'response');
    assert.equal(response.output_text, 'Hello');
    assert.equal(response.usage?.input_tokens, 7);

    const message = await anthropic.messages.create({ model: 'up/sse-messages', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, headers('sse-messages'));
    assert.equal(message.type, 'message');
    assert.deepEqual(message.content.map((block) => block.type), ['text', 'tool_use']);
    assert.equal(message.usage.input_tokens, 7);
    assert.deepEqual(await recorded('sse-messages'), { status: 200, error: null, accessStatus: 200, input: 7, output: 5 });
  });

  it('one that cannot be read as an answer (not JSON, cut, an embeddings call, an Anthropic Message) is a 502 before any byte', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'up/ssebad-x', messages: [{ role: 'user', content: 'hi' }] }, headers('ssebad')), badResponse(/events are not JSON/));
    await assert.rejects(openai.chat.completions.create({ model: 'up/ssecut-x', messages: [{ role: 'user', content: 'hi' }] }, headers('ssecut')), badResponse(/no finish_reason/));
    await assert.rejects(openai.embeddings.create({ model: 'up/sse-embed', input: 'hi' }, headers('sse-embed')), badResponse(/answered with an event stream/));
    await assert.rejects(anthropic.messages.create({ model: 'ant/sse-x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, headers('ant-sse')), badResponse(/answered with an event stream/));
    for (const id of ['ssebad', 'ssecut', 'sse-embed', 'ant-sse']) assert.deepEqual((({ status, error, accessStatus }) => ({ status, error, accessStatus }))(await recorded(id)), { status: 502, error: 'upstream_bad_response', accessStatus: 502 }, id);
  });

  async function messagesText(model: string, id: string): Promise<string> {
    const events = await anthropic.messages.create({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], stream: true }, headers(id));
    let text = '';
    for await (const item of events) if (item.type === 'content_block_delta' && item.delta.type === 'text_delta') text += item.delta.text;
    return text;
  }

  it('an Anthropic passthrough stream that ends before message_stop ends with an error event, recorded as the failure', async () => {
    await assert.rejects(messagesText('ant/cut-x', 'ant-cut'), (error: unknown) => error instanceof Anthropic.APIError && /ended before message_stop/.test(error.message));
    const row = await recorded('ant-cut');
    assert.equal(row.error, 'upstream_bad_response');
    // Billed as a cut stream: message_start's input, the output estimated from the deltas sent.
    assert.equal(row.input, 3);
    // The same upstream to a chat client (translated) is recorded alike.
    await assert.rejects(async () => {
      const stream = await openai.chat.completions.create({ model: 'ant/cut-x', messages: [{ role: 'user', content: 'hi' }], stream: true }, headers('ant-cut-chat'));
      for await (const _chunk of stream);
    });
    const translated = await recorded('ant-cut-chat');
    assert.deepEqual([row.status, row.accessStatus], [translated.status, translated.accessStatus]);
  });

  it('an Anthropic passthrough stream whose events have no blank line between them is a 502, not an empty 200', async () => {
    await assert.rejects(messagesText('ant/noblank-x', 'ant-noblank'), badResponse(/ended before message_stop/));
    assert.deepEqual((({ status, error, accessStatus }) => ({ status, error, accessStatus }))(await recorded('ant-noblank')), { status: 502, error: 'upstream_bad_response', accessStatus: 502 });
  });

  it('an event past 16 MiB on a passthrough ends the stream with the error event in the client’s format, not a JSON syntax error', async () => {
    await assert.rejects(messagesText('ant/giant-17', 'ant-giant'), (error: unknown) => error instanceof Anthropic.APIError && /larger than 16777216 bytes/.test(error.message));
    assert.equal((await recorded('ant-giant')).error, 'upstream_bad_response');
    // An OpenAI client that asked for usage itself (no usage chunk to drop: the bytes went as they came).
    await assert.rejects(async () => {
      const stream = await openai.chat.completions.create({ model: 'up/giant-17', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }, headers('chat-giant'));
      for await (const _chunk of stream);
    }, (error: unknown) => error instanceof OpenAI.APIError && /larger than 16777216 bytes/.test(error.message));
    assert.equal((await recorded('chat-giant')).error, 'upstream_bad_response');
    // Under the limit, a big event still passes whole on both passthroughs.
    assert.equal((await messagesText('ant/giant-2', 'ant-giant-2')).length, 2 * 1024 * 1024 + 1);
  });
});
