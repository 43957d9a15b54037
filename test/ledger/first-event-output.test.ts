import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StreamUsageTail } from '../../src/pipeline/passthrough-usage.ts';
import { ledgerRecord } from '../formats/openai-responses/ledger-record.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/**
 * A server whose first event holds text beside the role (not OpenAI's role-only opening chunk),
 * then stalls: the stream fails on the idle timeout after one event of output, which the ledger
 * counts (the telemetry audit: such a stream was recorded with 0 tokens at $0, not estimated, and
 * every cut stream of such a server one token short).
 */
describe('a passed-through stream whose first event carries output', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn(async (request, response) => {
      const model = (request.json as { model: string }).model;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ role: 'assistant', content: 'Hello' }));
      if (model === 'two') response.write(chunk({ content: ' there' }));
      await sleep(2000);
      response.end();
    });
    gw = await startGateway(`
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1", timeouts: { idle: 200ms } }
pricing:
  up: { "*": { input: 1000, output: 2000 } }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  for (const [model, events] of [['one', 1], ['two', 2]] as const) {
    it(`${events} event(s) of output before the idle timeout: ${events} output token(s), the prompt estimated, the cost flagged estimated`, async () => {
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: `up/${model}`, stream: true, messages: [{ role: 'user', content: 'Say hello to everyone in the room.' }] }) });
      const text = await response.text();
      assert.match(text, /Hello/);
      assert.match(text, /upstream_timeout/);
      const record = await ledgerRecord(gw, response.headers.get('x-request-id')!);
      assert.equal(Number(record.output_tokens), events);
      assert.ok(Number(record.input_tokens) > 0);
      assert.equal(Number(record.cost_estimated), 1);
      assert.ok(Math.abs(Number(record.cost_usd) - (Number(record.input_tokens) * 1000 + events * 2000) / 1e6) < 1e-9, `cost ${record.cost_usd}`);
    });
  }

  it("OpenAI's own opening chunk (the role, an empty content) is no output; a first chunk with text, reasoning or a tool call is", () => {
    const firstCarries = (event: string) => {
      const tail = new StreamUsageTail();
      tail.push(Buffer.from(event));
      return tail.firstEventCarriesOutput;
    };
    assert.equal(firstCarries(chunk({ role: 'assistant', content: '' })), false);
    assert.equal(firstCarries(chunk({ role: 'assistant', content: null, refusal: null })), false);
    assert.equal(firstCarries(chunk({ role: 'assistant', content: 'Hi' })), true);
    assert.equal(firstCarries(chunk({ role: 'assistant', reasoning_content: 'Hmm' })), true);
    assert.equal(firstCarries(chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '' } }] })), true);
  });
});

/**
 * OpenRouter opens a stream with keep-alive comments and, when its model fails after the role
 * chunk, sends an error chunk (`"error"` beside an empty delta and `"finish_reason": "error"`): no
 * output came, so the call costs 0, as a stream that failed before its first output event (the
 * compat audit: it was charged an estimated output token; the comments and the error chunk
 * counted as events of output).
 */
describe('a passed-through stream of comments, the role and an error chunk', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  const errorChunk = `data: ${JSON.stringify({ id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'm', error: { code: 502, message: 'Provider returned error' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] })}\n\n`;

  before(async () => {
    upstream = await startStandIn(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': OPENROUTER PROCESSING\n\n');
      response.write(': OPENROUTER PROCESSING\n\n');
      response.write(chunk({ role: 'assistant', content: '' }));
      await sleep(20);
      response.write(': OPENROUTER PROCESSING\n\n');
      response.write(errorChunk);
      // OpenRouter ends even a failed stream with [DONE] (the regression sweep's stand-in did).
      response.end('data: [DONE]\n\n');
    });
    gw = await startGateway(`
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1" }
pricing:
  up: { "*": { input: 1000, output: 2000 } }
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('is recorded as the failure it is, with no output tokens and no cost', async () => {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'up/m', stream: true, messages: [{ role: 'user', content: 'Say hello.' }] }) });
    const text = await response.text();
    assert.match(text, /Provider returned error/);
    const record = await ledgerRecord(gw, response.headers.get('x-request-id')!);
    assert.equal(Number(record.status), 502);
    assert.equal(Number(record.output_tokens), 0);
    assert.equal(Number(record.cost_usd), 0);
  });

  it('comment-only events, the error event and [DONE] are not counted as events of output', () => {
    const tail = new StreamUsageTail();
    tail.push(Buffer.from(': OPENROUTER PROCESSING\n\n'));
    tail.push(Buffer.from(chunk({ role: 'assistant', content: '' })));
    tail.push(Buffer.from(': keep-alive\r\n: another\r\n\r\n'));
    tail.push(Buffer.from(chunk({ content: 'Hi' })));
    assert.equal(tail.events, 2);
    tail.push(Buffer.from(errorChunk));
    tail.push(Buffer.from('data: [DONE]\n\n'));
    assert.equal(tail.events, 2);
    assert.ok(tail.streamError() !== null);
  });
});
