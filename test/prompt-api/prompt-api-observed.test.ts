import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';
import { databaseOf } from '../ledger/ledger-helpers.ts';

/** A request sent with node:http (any method and body), answered with its status. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end(options.body);
  });
}

function requestCount(metrics: string, labels: string): number {
  return Number(metrics.split('\n').find((line) => line.startsWith(`tollgate_requests_total{${labels}}`))?.split(' ').at(-1) ?? 0);
}

describe("a prompt API's own answers are logged, counted and recorded like the chat endpoint's", () => {
  let gateway: Gateway;
  let url: string;
  let adminUrl: string;
  const lines: Array<Record<string, unknown>> = [];

  before(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const configText = [
      'server: { body_limit: 2kb }',
      'apis:',
      '  - path: /apis/summarize',
      '    model: echo/x',
      '    input: { type: object, properties: { text: { type: string } }, required: [text], additionalProperties: false }',
      '    prompt: "Summarize: {{text}}"',
    ].join('\n');
    gateway = await Gateway.start({ configText, env: {}, port: 0, adminPort: 0, logger, storage: 'sqlite::memory:' });
    url = `http://127.0.0.1:${gateway.port}`;
    adminUrl = `http://127.0.0.1:${gateway.adminPort}`;
  });
  after(async () => {
    await gateway.stop(2000);
  });

  it('the document, a wrong method, bad JSON, refused input and a body too large: one access line and one count each; the refused calls a $0 usage record', async () => {
    const api = `${url}/apis/summarize`;
    const json = { 'content-type': 'application/json' };
    // id: [status, in the usage ledger]
    const expected: Record<string, [number, boolean]> = {
      'api-document': [200, false],
      'api-document-post': [405, false],
      'api-method': [405, true],
      'api-invalid-json': [400, true],
      'api-invalid-input': [400, true],
      'api-too-large': [413, true],
      'api-ok': [200, true],
    };
    const statuses: Record<string, number> = {
      'api-document': await send(`${url}/apis/openapi.json`, { method: 'GET', headers: { 'x-request-id': 'api-document' } }),
      'api-document-post': await send(`${url}/apis/openapi.json`, { headers: { 'x-request-id': 'api-document-post' }, body: '' }),
      'api-method': await send(api, { method: 'GET', headers: { 'x-request-id': 'api-method' } }),
      'api-invalid-json': await send(api, { headers: { ...json, 'x-request-id': 'api-invalid-json' }, body: '{bad' }),
      'api-invalid-input': await send(api, { headers: { ...json, 'x-request-id': 'api-invalid-input' }, body: '{"words":3}' }),
      'api-too-large': await send(api, { headers: { ...json, 'x-request-id': 'api-too-large' }, body: JSON.stringify({ text: 'x'.repeat(4000) }) }),
      'api-ok': await send(api, { headers: { ...json, 'x-request-id': 'api-ok' }, body: '{"text":"a cat"}' }),
    };
    for (const [id, [status]] of Object.entries(expected)) assert.equal(statuses[id], status, `${id}: the answer's status`);

    for (let waited = 0; waited < 2000 && !lines.some((line) => line.id === 'api-ok' && line.type === 'access'); waited += 20) await sleep(20);
    for (const [id, [status]] of Object.entries(expected)) {
      const access = lines.filter((line) => line.type === 'access' && line.id === id);
      assert.equal(access.length, 1, `${id}: one access line (got ${access.length})`);
      assert.equal(access[0]!.status, status, `${id}: the access line's status`);
      assert.equal(access[0]!.path, id.startsWith('api-document') ? '/apis/openapi.json' : '/apis/summarize');
    }
    assert.equal(lines.find((line) => line.type === 'access' && line.id === 'api-invalid-input')!.error, 'invalid_api_input');
    assert.equal(lines.find((line) => line.type === 'access' && line.id === 'api-invalid-json')!.bytes_in, '{bad'.length);

    const metrics = await (await fetch(`${adminUrl}/metrics`)).text();
    assert.equal(requestCount(metrics, 'operation="prompt_api",provider="none",model="none",status="200"'), 1);
    assert.equal(requestCount(metrics, 'operation="prompt_api",provider="none",model="none",status="405"'), 1);
    assert.equal(requestCount(metrics, 'operation="chat",provider="none",model="none",status="405"'), 1);
    assert.equal(requestCount(metrics, 'operation="chat",provider="none",model="none",status="400"'), 2);
    assert.equal(requestCount(metrics, 'operation="chat",provider="none",model="none",status="413"'), 1);

    await gateway.usageLedger.flush();
    const rows = await databaseOf(gateway.identity.store).selectFrom('usage_records').selectAll().execute();
    const recorded = new Map(rows.map((row) => [String(row.request_id), row]));
    for (const [id, [status, inLedger]] of Object.entries(expected)) {
      const row = recorded.get(id);
      if (!inLedger) {
        assert.equal(row, undefined, `${id}: no usage record`);
        continue;
      }
      assert.ok(row, `${id}: a usage record`);
      assert.equal(row.status, status, `${id}: the record's status`);
      assert.equal(row.operation, 'chat');
      if (id === 'api-ok') continue;
      assert.equal(row.cost_usd, 0);
      assert.equal(row.provider, null);
    }
    assert.equal(recorded.get('api-invalid-input')!.error_code, 'invalid_api_input');
    assert.equal(recorded.get('api-too-large')!.error_code, 'request_too_large');
  });
});
