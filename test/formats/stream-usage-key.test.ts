import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { anthropicStream } from '../providers/anthropic/checking-anthropic-stand-in.ts';

// OpenAI puts a `usage` member on stream chunks only for a client that set
// stream_options.include_usage (null on every chunk but the last, which carries the numbers);
// without it, no chunk has the key. The gateway asks providers for usage itself (its ledger needs
// it), so what it forwards must look like what OpenAI sends to the client as it asked.

/** An OpenAI-compatible stream as OpenAI sends it when asked for usage: `"usage":null` on each chunk, then the usage chunk. */
function openAIStream(asked: boolean): string {
  const chunk = (delta: object, finish: string | null) => ({ id: 'c', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(asked ? { usage: null } : {}) });
  const events: unknown[] = [chunk({ role: 'assistant', content: '' }, null), chunk({ content: 'Hello' }, null), chunk({}, 'stop')];
  if (asked) events.push({ id: 'c', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });
  return sseBody([...events, '[DONE]']);
}

describe('stream chunks carry `usage` only for a client that asked for it, as OpenAI sends them', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (request.path.startsWith('/v1/messages')) {
        response.end(anthropicStream('Hello'));
        return;
      }
      const asked = (request.json as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage === true;
      response.end(openAIStream(asked));
    });
    gateway = await startGateway(`
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1" }
  claude: { type: anthropic, api_key: ant-key, base_url: "${upstream.url}" }
models:
  # pii on the answer makes the gateway read and rewrite each passed-through chunk (not just forward its bytes).
  rewritten: { targets: [{ provider: up, model: gpt-4o-mini }] }
routes:
  - name: answers-scanned
    match: { model: rewritten }
    model: rewritten
    plugins:
      pii: { response: mask, entities: { email: { action: mask } } }
`);
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  async function chunks(model: string, includeUsage: boolean): Promise<Array<Record<string, unknown>>> {
    const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hi' }], ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });
    const seen: Array<Record<string, unknown>> = [];
    let text = '';
    for await (const chunk of stream) {
      seen.push(chunk as unknown as Record<string, unknown>);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    assert.equal(text, 'Hello', model);
    return seen;
  }

  for (const [label, model] of [
    ['passed through as bytes', 'up/gpt-4o-mini'],
    ['passed through, each chunk read by a plugin', 'rewritten'],
    ['translated from Anthropic', 'claude/claude-sonnet-4-5'],
  ] as const) {
    it(`${label}: no \`usage\` key without include_usage; null then the numbers with it`, async () => {
      const without = await chunks(model, false);
      assert.ok(without.length >= 2);
      for (const chunk of without) assert.equal('usage' in chunk, false, JSON.stringify(chunk));
      const asked = await chunks(model, true);
      const last = asked.at(-1)!;
      assert.deepEqual(last.choices, []);
      assert.equal(typeof (last.usage as { total_tokens?: unknown }).total_tokens, 'number');
      for (const chunk of asked.slice(0, -1)) assert.equal(chunk.usage, null, JSON.stringify(chunk));
    });
  }
});
