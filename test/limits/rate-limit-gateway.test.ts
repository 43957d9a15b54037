import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI, { RateLimitError } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { estimatePromptTokens } from '../../src/usage/estimate-request-tokens.ts';

type Outcome = { ok: true; headers: Headers } | { ok: false; error: RateLimitError | Error };

async function ask(client: OpenAI, content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Outcome> {
  try {
    const { response } = await client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content }], ...extra }, { headers }).withResponse();
    return { ok: true, headers: response.headers };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

describe('rate-limit through the real gateway (in-memory counters)', () => {
  let gw: RunningGateway;
  let client: OpenAI;
  before(async () => {
    gw = await startGateway(`
providers: { slow: { type: echo, options: { chunk_delay_ms: 40 } } }
routes:
  - name: limited
    match: { model: "echo/*" }
    plugins:
      rate-limit:
        limits:
          - { scope: global, requests: 5, per: minute }
  - name: per-user
    match: { model: "slow/per-user" }
    plugins:
      rate-limit:
        limits:
          - { scope: "header:x-user-id", requests: 2, per: minute }
  - name: concurrency
    match: { model: "slow/concurrent" }
    plugins:
      rate-limit:
        limits:
          - { scope: model, concurrent: 2 }
  - name: tokens
    match: { model: "slow/tokens" }
    plugins:
      rate-limit:
        limits:
          - { scope: global, tokens: 1000, per: day }
          - { scope: global, requests: 100, per: day }
`);
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(() => gw.close());

  it('admits exactly L of N concurrent requests against a limit of L, and rejects the rest with 429 in OpenAI shape', async () => {
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, index) => ask(client, `request ${index}`)));
    const admitted = outcomes.filter((outcome) => outcome.ok);
    const rejected = outcomes.filter((outcome): outcome is { ok: false; error: RateLimitError } => !outcome.ok);
    assert.equal(admitted.length, 5);
    assert.equal(rejected.length, 25);
    for (const { error } of rejected) {
      assert.ok(error instanceof RateLimitError, `expected a RateLimitError, got ${String(error)}`);
      assert.equal(error.status, 429);
      const body = error.error as { type: string; code: string; message: string; param: unknown };
      assert.equal(body.type, 'rate_limit_error');
      assert.equal(body.code, 'rate_limit_exceeded');
      assert.equal(body.param, null);
      assert.match(body.message, /Rate limit reached for the gateway on requests per minute .*limit 5, used 5, requested 1\. Please try again in/);
      const retryAfter = Number(error.headers?.get('retry-after'));
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 120, `retry-after ${retryAfter}`);
      assert.equal(error.headers?.get('x-ratelimit-limit-requests'), '5');
      assert.equal(error.headers?.get('x-ratelimit-remaining-requests'), '0');
      assert.ok(error.headers?.get('x-request-id'));
    }
    const remaining = admitted.map((outcome) => Number((outcome as { headers: Headers }).headers.get('x-ratelimit-remaining-requests'))).sort();
    assert.deepEqual(remaining, [0, 1, 2, 3, 4]);
    for (const outcome of admitted) {
      const headers = (outcome as { headers: Headers }).headers;
      assert.equal(headers.get('x-ratelimit-limit-requests'), '5');
      assert.match(headers.get('x-ratelimit-reset-requests') ?? '', /^(\d+m)?\d+(\.\d+)?s$/);
    }
  });

  it('counts a header scope per value and leaves requests without the header alone', async () => {
    const user = (id: string) => ask(client, 'hi', { model: 'slow/per-user' }, { 'x-user-id': id });
    const results = await Promise.all([user('a'), user('a'), user('a'), user('b'), user('b'), user('b')]);
    assert.equal(results.filter((outcome) => outcome.ok).length, 4);
    const anonymous = await Promise.all([1, 2, 3, 4].map(() => ask(client, 'hi', { model: 'slow/per-user' })));
    assert.ok(anonymous.every((outcome) => outcome.ok));
  });

  it('limits concurrent requests and frees the slot when a stream ends', async () => {
    const stream = async (): Promise<boolean> => {
      try {
        const response = await client.chat.completions.create({ model: 'slow/concurrent', stream: true, messages: [{ role: 'user', content: 'one two three four five' }] });
        for await (const _chunk of response);
        return true;
      } catch (error) {
        assert.ok(error instanceof RateLimitError);
        assert.equal((error.error as { code: string }).code, 'rate_limit_exceeded');
        assert.equal(error.headers?.get('retry-after'), '1');
        return false;
      }
    };
    const first = await Promise.all([stream(), stream(), stream(), stream(), stream()]);
    assert.equal(first.filter(Boolean).length, 2);
    const second = await Promise.all([stream(), stream()]);
    assert.deepEqual(second, [true, true], 'both slots were released when the streams ended');
  });

  it('reserves prompt estimate + max_tokens, then reconciles with the reported usage', async () => {
    const content = 'alpha beta gamma delta epsilon';
    const body = { model: 'slow/tokens', messages: [{ role: 'user' as const, content }], max_tokens: 100 };
    const estimate = estimatePromptTokens('chat', body) + 100;
    const first = await client.chat.completions.create(body).withResponse();
    assert.equal(first.response.headers.get('x-ratelimit-limit-tokens'), '1000');
    assert.equal(first.response.headers.get('x-ratelimit-remaining-tokens'), String(1000 - estimate));
    const used = first.data.usage!.total_tokens;
    assert.ok(used < estimate);
    // The log phase runs right after the response; give it a tick.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await client.chat.completions.create(body).withResponse();
    assert.equal(second.response.headers.get('x-ratelimit-remaining-tokens'), String(1000 - used - estimate), 'the first request was charged its real usage, not the estimate');
    assert.equal(second.response.headers.get('x-ratelimit-remaining-requests'), '98');
  });

  it('rejects a request whose estimate alone exceeds the token limit', async () => {
    const outcome = await ask(client, 'hi', { model: 'slow/tokens', max_tokens: 5000 });
    assert.equal(outcome.ok, false);
    const error = (outcome as { error: RateLimitError }).error;
    assert.equal(error.status, 429);
    assert.match((error.error as { message: string }).message, /Request too large/);
  });
});
