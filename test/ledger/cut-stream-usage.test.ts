import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AnthropicStreamUsage } from '../../src/formats/anthropic/read-anthropic-passthrough.ts';
import { StreamUsageTail } from '../../src/pipeline/passthrough-usage.ts';
import { openStore } from '../../src/store/open-store.ts';
import { startGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { databaseOf } from './ledger-helpers.ts';

// A client that cuts a stream before the usage chunk still pays for what it was sent: the ledger
// records the prompt and about one output token per streamed event, flagged estimated.

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

describe('usage of a stream the client cuts', () => {
  let upstream: StandIn;
  let directory: string;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), 'tollgate-cut-'));
    // 5 content events, then a pause long enough for the client to leave, then 45 more and usage.
    upstream = await startStandIn(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunk({ role: 'assistant', content: '' }));
      for (let index = 0; index < 50; index++) {
        if (response.destroyed) return;
        response.write(chunk({ content: ` word${index}` }));
        await sleep(index === 4 ? 300 : 2);
      }
      response.write(chunk({}, 'stop'));
      response.end(`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 9, completion_tokens: 50, total_tokens: 59 } })}\n\ndata: [DONE]\n\n`);
    });
  });
  after(async () => {
    await upstream.close();
    rmSync(directory, { recursive: true, force: true });
  });

  for (const [name, plugins, priced] of [
    ['passed through as bytes', '', true],
    ['read event by event (a plugin sees each chunk)', 'plugins: { pii: { response: mask } }\n', true],
    ['passed through as bytes, for a model without a price', '', false],
  ] as const) {
    it(`counts what was sent when ${name}`, async () => {
      const storage = `sqlite:${join(directory, `${name.length}.db`)}`;
      const pricing = priced ? 'pricing:\n  local: { "*": { input: 1000, output: 2000 } }\n' : '';
      const gateway = await startGateway(`providers:\n  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [gpt-4o-mini] }\n${pricing}${plugins}`, {}, { storage });
      const controller = new AbortController();
      const response = await fetch(`${gateway.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'cut-1' },
        body: JSON.stringify({ model: 'local/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Count to fifty, please.' }] }),
        signal: controller.signal,
      });
      assert.equal(response.status, 200);
      const reader = response.body!.getReader();
      let text = '';
      while ((text.match(/word/g) ?? []).length < 5) text += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      await sleep(400);
      await gateway.close();

      const reopened = await openStore(storage);
      try {
        const rows = await databaseOf(reopened.store).selectFrom('usage_records').selectAll().where('request_id', '=', 'cut-1').execute();
        assert.equal(rows.length, 1);
        const [row] = rows;
        assert.equal(Number(row.status), 499);
        assert.equal(Number(row.cost_estimated), 1);
        assert.ok(Number(row.input_tokens) > 0, `input ${row.input_tokens}`);
        // Five content events reached the client before it left (a few more may have been in flight).
        assert.ok(Number(row.output_tokens) >= 5 && Number(row.output_tokens) < 50, `output ${row.output_tokens}`);
        const expected = priced ? (Number(row.input_tokens) * 1000 + Number(row.output_tokens) * 2000) / 1e6 : 0;
        assert.ok(Math.abs(Number(row.cost_usd) - expected) < 1e-9, `cost ${row.cost_usd} vs ${expected}`);
      } finally {
        await reopened.store.close();
      }
    });
  }
});

describe('stream event counting', () => {
  it('counts SSE events across any split of the bytes, and a blank line once', () => {
    const text = `${chunk({ role: 'assistant' })}${chunk({ content: 'a' })}${chunk({ content: 'b' })}data: [DONE]\n\n`;
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const tail = new StreamUsageTail();
      for (let offset = 0; offset < text.length; offset += size) tail.push(Buffer.from(text.slice(offset, offset + size)));
      // The role chunk and two deltas; [DONE] carries nothing.
      assert.equal(tail.events, 3, `pieces of ${size}`);
    }
  });

  it("estimates an Anthropic stream's output from its deltas when message_delta never came", () => {
    const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    const start = event('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude', usage: { input_tokens: 12, output_tokens: 1 } } });
    const deltas = Array.from({ length: 7 }, (_, index) => event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `w${index}` } })).join('');
    const cut = new AnthropicStreamUsage();
    cut.push(Buffer.from(start + event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) + deltas));
    assert.deepEqual({ ...cut.usage(), prompt_tokens_details: undefined }, { ...cut.usage(), prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, estimated: true, prompt_tokens_details: undefined });
    const finished = new AnthropicStreamUsage();
    finished.push(Buffer.from(start + deltas + event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } })));
    const usage = finished.usage();
    assert.equal(usage?.completion_tokens, 9);
    assert.equal(usage?.estimated, undefined);
  });
});
