import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// A body the gateway stops reading (an error page past the 1 MiB it keeps of one) is destroyed;
// undici reports that abort as an 'error' event, which must not become an uncaught exception
// (it would end the gateway process): the client gets the error, the next call works.

describe('an upstream body the gateway stops reading', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let huge = true;
  const uncaught: unknown[] = [];
  const monitor = (error: unknown) => uncaught.push(error);

  before(async () => {
    process.on('uncaughtExceptionMonitor', monitor);
    upstream = await startStandIn(async (_request, response) => {
      if (!huge) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
        return;
      }
      response.writeHead(500, { 'content-type': 'text/html' });
      // 3 MiB of error page, written in pieces so the gateway reads (and drops) it as it comes.
      for (let piece = 0; piece < 48 && !response.destroyed; piece++) {
        response.write('<p>'.padEnd(64 * 1024, 'x'));
        await nextTurn();
      }
      response.end();
    });
    gateway = await startGateway(`providers:\n  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m] }\n`);
  });
  after(async () => {
    process.off('uncaughtExceptionMonitor', monitor);
    await gateway.close();
    await upstream.close();
  });

  it('answers with the upstream error and keeps serving', async () => {
    const body = JSON.stringify({ model: 'local/m', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const failed = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.ok(failed.status >= 500, `status ${failed.status}`);
    const error = (await failed.json()) as { error: { type: string; message: string } };
    assert.equal(typeof error.error.message, 'string');
    // Let the abort's error event happen.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(uncaught, []);
    huge = false;
    const fine = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'local/m', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(fine.status, 200);
    assert.equal(((await fine.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content, 'fine');
  });
});
