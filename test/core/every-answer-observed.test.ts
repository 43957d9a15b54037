import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';
import { databaseOf } from '../ledger/ledger-helpers.ts';

/** The sum of tollgate_requests_total's samples, and its lines, from a /metrics text. */
function requestCounts(metrics: string): { sum: number; lines: string[] } {
  const lines = metrics.split('\n').filter((line) => line.startsWith('tollgate_requests_total{'));
  return { sum: lines.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0), lines };
}

/** A request sent with node:http (any method, header and body), answered with its status. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

/** `Expect: 100-continue` with a declared length over the limit: answered before the body is sent. */
function sendExpectingContinue(url: string, id: string, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: 'POST', headers: { 'x-request-id': id, 'content-type': 'application/json', 'content-length': String(length), expect: '100-continue' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.on('continue', () => sent.end(Buffer.alloc(length, 0x20)));
  });
}

describe('every request the data plane answers is logged and counted (refusals and local answers too)', () => {
  let gateway: Gateway;
  let url: string;
  let adminUrl: string;
  const lines: Array<Record<string, unknown>> = [];

  before(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const configText = 'server: { body_limit: 2kb, cors: { allow_origins: ["https://app.example"] } }\n';
    gateway = await Gateway.start({ configText, env: {}, port: 0, adminPort: 0, logger, storage: 'sqlite::memory:' });
    url = `http://127.0.0.1:${gateway.port}`;
    adminUrl = `http://127.0.0.1:${gateway.adminPort}`;
  });
  after(async () => {
    await gateway.stop(2000);
  });

  it('one access line, one tollgate_requests_total count each; a model endpoint’s refusals are in the usage ledger, local answers are not', async () => {
    const chat = `${url}/v1/chat/completions`;
    const json = { 'content-type': 'application/json' };
    const good = JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] });
    const before = requestCounts(await (await fetch(`${adminUrl}/metrics`)).text());
    // id -> [status, the operation label, recorded in the usage ledger]
    const expected: Record<string, [number, string, boolean]> = {
      'obs-invalid-json': [400, 'chat', true],
      'obs-bad-encoding': [400, 'chat', true],
      'obs-unknown-encoding': [415, 'chat', true],
      'obs-method': [405, 'chat', true],
      'obs-bad-role': [400, 'chat', true],
      'obs-no-messages': [400, 'embeddings', true],
      'obs-too-large': [413, 'chat', true],
      'obs-expect-too-large': [413, 'chat', true],
      'obs-unknown-url': [404, 'other', false],
      'obs-models': [200, 'models', false],
      'obs-model': [200, 'models', false],
      'obs-models-post': [405, 'models', false],
      'obs-count-tokens': [200, 'count_tokens', false],
      'obs-preflight': [204, 'preflight', false],
      'obs-own-usage': [401, 'own_usage', false],
      'obs-ok': [200, 'chat', true],
    };
    const statuses: Record<string, number> = {
      'obs-invalid-json': await send(chat, { headers: { ...json, 'x-request-id': 'obs-invalid-json' }, body: '{bad json' }),
      'obs-bad-encoding': await send(chat, { headers: { ...json, 'content-encoding': 'gzip', 'x-request-id': 'obs-bad-encoding' }, body: 'not gzip' }),
      'obs-unknown-encoding': await send(chat, { headers: { ...json, 'content-encoding': 'compress', 'x-request-id': 'obs-unknown-encoding' }, body: gzipSync(good) }),
      'obs-method': await send(chat, { method: 'GET', headers: { 'x-request-id': 'obs-method' } }),
      'obs-bad-role': await send(chat, { headers: { ...json, 'x-request-id': 'obs-bad-role' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'userx', content: 'hi' }] }) }),
      'obs-no-messages': await send(`${url}/v1/embeddings`, { headers: { ...json, 'x-request-id': 'obs-no-messages' }, body: JSON.stringify({ model: 'echo/x' }) }),
      'obs-too-large': await send(chat, { headers: { ...json, 'x-request-id': 'obs-too-large' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'x'.repeat(4000) }] }) }),
      'obs-expect-too-large': await sendExpectingContinue(chat, 'obs-expect-too-large', 5000),
      'obs-unknown-url': await send(`${url}/v1/nothing`, { headers: { ...json, 'x-request-id': 'obs-unknown-url' }, body: '{}' }),
      'obs-models': await send(`${url}/v1/models`, { method: 'GET', headers: { 'x-request-id': 'obs-models' } }),
      'obs-model': await send(`${url}/v1/models/echo/x`, { method: 'GET', headers: { 'x-request-id': 'obs-model' } }),
      'obs-models-post': await send(`${url}/v1/models`, { headers: { 'x-request-id': 'obs-models-post' }, body: '' }),
      'obs-count-tokens': await send(`${url}/v1/messages/count_tokens`, { headers: { ...json, 'anthropic-version': '2023-06-01', 'x-request-id': 'obs-count-tokens' }, body: good }),
      'obs-preflight': await send(chat, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'x-request-id': 'obs-preflight' } }),
      'obs-own-usage': await send(`${url}/v1/tollgate/usage`, { method: 'GET', headers: { 'x-request-id': 'obs-own-usage' } }),
      'obs-ok': await send(chat, { headers: { ...json, 'x-request-id': 'obs-ok' }, body: good }),
    };
    for (const [id, [status]] of Object.entries(expected)) assert.equal(statuses[id], status, `${id}: the answer's status`);

    for (let waited = 0; waited < 2000 && !lines.some((line) => line.id === 'obs-ok' && line.type === 'access'); waited += 20) await sleep(20);
    for (const [id, [status]] of Object.entries(expected)) {
      const access = lines.filter((line) => line.type === 'access' && line.id === id);
      assert.equal(access.length, 1, `${id}: one access line (got ${access.length})`);
      assert.equal(access[0].status, status, `${id}: the access line's status`);
    }
    const invalid = lines.find((line) => line.type === 'access' && line.id === 'obs-invalid-json')!;
    assert.equal(invalid.error, 'invalid_json');
    assert.equal(invalid.path, '/v1/chat/completions');
    assert.equal(invalid.bytes_in, '{bad json'.length);

    const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
    const after = requestCounts(metrics);
    assert.equal(after.sum - before.sum, Object.keys(expected).length, after.lines.join('\n'));
    const count = (operation: string, status: number) => Number(after.lines.find((line) => line.startsWith(`tollgate_requests_total{operation="${operation}",provider="none",model="none",status="${status}"}`))?.split(' ').at(-1) ?? 0);
    assert.equal(count('chat', 400), 3, 'invalid JSON, a body that does not decode, a schema failure');
    assert.equal(count('embeddings', 400), 1);
    assert.equal(count('chat', 405), 1);
    assert.equal(count('chat', 413), 2);
    assert.equal(count('chat', 415), 1);
    assert.equal(count('other', 404), 1, 'an unknown path is operation="other": no label from the path');
    assert.equal(count('models', 200), 2);
    assert.equal(count('models', 405), 1);
    assert.equal(count('count_tokens', 200), 1);
    assert.equal(count('preflight', 204), 1);
    assert.equal(count('own_usage', 401), 1);
    assert.doesNotMatch(metrics, /nothing/, 'the unknown path is in no label');
    assert.match(metrics, /tollgate_request_duration_seconds_count\{operation="models",provider="none",stream="no"\} 3\b/);

    await gateway.usageLedger.flush();
    const rows = await databaseOf(gateway.identity.store).selectFrom('usage_records').selectAll().execute();
    const recorded = new Map(rows.map((row) => [String(row.request_id), row]));
    for (const [id, [status, operation, inLedger]] of Object.entries(expected)) {
      const row = recorded.get(id);
      if (!inLedger) {
        assert.equal(row, undefined, `${id}: no usage record`);
        continue;
      }
      assert.ok(row, `${id}: a usage record`);
      assert.equal(row.status, status, `${id}: the record's status`);
      assert.equal(row.operation, operation);
      if (id === 'obs-ok') continue;
      assert.equal(row.cost_usd, 0);
      assert.equal(row.provider, null);
      assert.equal(row.model, null);
      assert.equal(row.input_tokens, 0);
      assert.ok(typeof row.error_code === 'string' && row.error_code.length > 0, `${id}: the error code`);
    }
    assert.equal(recorded.get('obs-invalid-json')!.error_code, 'invalid_json');
    assert.equal(recorded.get('obs-too-large')!.error_code, 'request_too_large');
  });
});
