import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicMessage } from '../helpers/anthropic-bodies.ts';
import { chatCompletion, chatAnswer } from '../helpers/openai-bodies.ts';
import { databaseOf } from '../ledger/ledger-helpers.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

/**
 * The upstream client against a provider's connection faults (.audit/stream-robustness/REPORT.md
 * F5, F6, F8): a pooled connection the provider closes as it is reused, a `100 Continue` sent
 * unasked, an answer larger than upstream.max_response_bytes.
 */
describe('upstream connection faults: a stale pooled connection, a stray 100 Continue, an answer over the size cap', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  const lines: Array<Record<string, unknown>> = [];
  /** Requests each stand-in socket has received. */
  const requestsOnSocket = new WeakMap<Socket, number>();
  /** What the stand-in did with each call, by model: answered or dropped. */
  const seen: Array<{ model: string; what: 'answered' | 'dropped' }> = [];

  before(async () => {
    upstream = await startStandIn((request, response, raw) => {
      const model = (request.json as { model: string }).model;
      const count = (requestsOnSocket.get(raw.socket) ?? 0) + 1;
      requestsOnSocket.set(raw.socket, count);
      const mode = model.split('-')[0]!;
      // The provider closes the connection without answering: on a reused one (its idle timer ran
      // out as the request came) or, for `dropfresh`, on a new one too.
      if ((mode === 'dropreused' && count > 1) || mode === 'dropfresh') {
        seen.push({ model, what: 'dropped' });
        raw.socket.destroy();
        return;
      }
      seen.push({ model, what: 'answered' });
      const stream = (request.json as { stream?: boolean }).stream === true;
      if (mode === 'continue') {
        // A `100 Continue` the gateway did not ask for (it sends no Expect), then the answer.
        response.writeContinue();
        setTimeout(() => {
          const answer = chatAnswer(model, 'after continue', stream);
          response.writeHead(200, { 'content-type': answer.contentType }).end(answer.text);
        }, 20);
        return;
      }
      if (mode === 'huge' || mode === 'hugechunked') {
        // A 2 MiB answer (the cap is 1 MiB), declared or sent chunked.
        const text = JSON.stringify(request.path.startsWith('/v1/messages') ? anthropicMessage('z'.repeat(2 * 1024 * 1024), { input_tokens: 3, output_tokens: 2 }) : chatCompletion(model, 'z'.repeat(2 * 1024 * 1024)));
        if (mode === 'huge') response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
        else response.writeHead(200, { 'content-type': 'application/json' });
        response.on('error', () => {});
        for (let offset = 0; offset < text.length; offset += 64 * 1024) response.write(text.slice(offset, offset + 64 * 1024));
        response.end();
        return;
      }
      const answer = chatAnswer(model, 'fine', stream);
      response.writeHead(200, { 'content-type': answer.contentType }).end(answer.text);
    });
    const config = `
upstream:
  max_response_bytes: 1mib
routing:
  retry: { attempts: 2, backoff: { base: 1ms, max: 1ms } }
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1", timeouts: { connect: 3s, first_byte: 5s, idle: 5s, total: 8s } }
  ant: { type: anthropic, api_key: sk-ant-stand-in-key, base_url: "${upstream.url}", timeouts: { connect: 3s, first_byte: 5s, idle: 5s, total: 8s } }
`;
    gw = await startGateway(config, {}, { logLines: lines });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  /** A chat call to provider `up`, its model naming what the stand-in does. */
  async function chat(model: string, id: string, stream = false): Promise<Response> {
    return fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ model: `up/${model}`, stream, messages: [{ role: 'user', content: 'hi' }] }) });
  }

  /** The usage record and access line of one request (by its x-request-id). */
  async function recorded(id: string): Promise<{ status: unknown; error: unknown; accessStatus: unknown }> {
    for (let waited = 0; waited < 3000 && !lines.some((line) => line.type === 'access' && line.id === id); waited += 20) await sleep(20);
    await gw.gateway.usageLedger.flush();
    const row = await databaseOf(gw.gateway.identity.store).selectFrom('usage_records').selectAll().where('request_id', '=', id).executeTakeFirst();
    const access = lines.filter((line) => line.type === 'access' && line.id === id);
    assert.equal(access.length, 1, `${id}: one access line`);
    assert.ok(row, `${id}: a usage record`);
    return { status: row.status, error: row.error_code, accessStatus: access[0]!.status };
  }

  it('a pooled connection the provider closes as it is reused: the call is sent once more on a new connection, one attempt, answered once', async () => {
    for (const stream of [false, true]) {
      const model = `dropreused-${stream ? 'stream' : 'json'}`;
      // The first call opens a connection and leaves it in the pool; the second meets it closed.
      const first = await chat(model, `${model}-1`, stream);
      assert.equal(first.status, 200);
      await first.text();
      await sleep(50);
      const second = await chat(model, `${model}-2`, stream);
      assert.equal(second.status, 200, await second.clone().text());
      assert.equal(second.headers.get('x-tollgate-attempts'), '1', 'not a routing retry');
      assert.match(await second.text(), /fine/);
      assert.deepEqual(
        seen.filter((entry) => entry.model === model).map((entry) => entry.what),
        ['answered', 'dropped', 'answered'],
      );
      assert.deepEqual(await recorded(`${model}-2`), { status: 200, error: null, accessStatus: 200 });
    }
  });

  it('a new connection closed before any answer is not sent again by the client: the routing retry policy judges it, named for what happened', async () => {
    const response = await chat('dropfresh-x', 'dropfresh');
    assert.equal(response.status, 502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'upstream_unreachable');
    assert.match(body.error.message, /closed the connection before answering/);
    // One attempt and two routing retries (attempts: 2), none of them silent.
    assert.equal(seen.filter((entry) => entry.model === 'dropfresh-x').length, 3);
    assert.equal(response.headers.get('x-tollgate-attempts'), '3');
  });

  it('a 100 Continue sent unasked is skipped like any 1xx, stream and JSON', async () => {
    for (const stream of [false, true]) {
      const response = await chat(`continue-${stream}`, `continue-chat-${stream}`, stream);
      assert.equal(response.status, 200, await response.clone().text());
      assert.match(await response.text(), /after continue/);
      assert.deepEqual(await recorded(`continue-chat-${stream}`), { status: 200, error: null, accessStatus: 200 });
    }
    assert.equal(seen.filter((entry) => entry.model.startsWith('continue-')).length, 2, 'each answered at the first attempt');
  });

  it('an answer over upstream.max_response_bytes is a 502 upstream_response_too_large, not retried, in the client’s shape, recorded', async () => {
    for (const model of ['huge-declared', 'hugechunked-x']) {
      const response = await chat(model, model);
      assert.equal(response.status, 502);
      assert.equal(response.headers.get('x-should-retry'), 'false');
      const body = (await response.json()) as { error: { code: string; type: string; message: string } };
      assert.equal(body.error.code, 'upstream_response_too_large');
      assert.equal(body.error.type, 'upstream_error');
      assert.match(body.error.message, /more than 1048576 bytes/);
      assert.equal(seen.filter((entry) => entry.model === model).length, 1, `${model}: not retried (retry attempts: 2)`);
      assert.deepEqual(await recorded(model), { status: 502, error: 'upstream_response_too_large', accessStatus: 502 });
    }
    // An Anthropic client of an Anthropic provider: Anthropic's error shape.
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'unused', maxRetries: 0 });
    await assert.rejects(anthropic.messages.create({ model: 'ant/huge-messages', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-request-id': 'huge-messages' } }), (error: unknown) => {
      assert.ok(error instanceof Anthropic.APIError, String(error));
      assert.equal(error.status, 502);
      assert.equal((error.error as { type?: string }).type, 'error');
      assert.match(error.message, /upstream.max_response_bytes/);
      return true;
    });
    assert.deepEqual(await recorded('huge-messages'), { status: 502, error: 'upstream_response_too_large', accessStatus: 502 });
    // Under the cap, an answer passes as before.
    const small = await chat('fine-x', 'fine-x');
    assert.equal(small.status, 200);
    await small.text();
  });
});
