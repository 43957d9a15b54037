import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import OpenAI, { RateLimitError, toFile } from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../helpers/stand-in-server.ts';
import { readForm } from '../formats/openai-forwarded/openai-stand-in.ts';

// Blind audit (cost accounting, MEDIUM 1): image generation reserved $0 against cost budgets, so a
// key with a $0.000001 budget got a $0.17 gpt-image-1 call and 20 parallel calls on a $0.05 key
// spent $1. Every operation that costs money now reserves an estimate before the call (the
// rate-limit README's rule: the sum of reservations never passes a limit) and settles to what the
// ledger records after it. gpt-image-1's prices are the shipped catalogue's: text input $5, image
// input $10, output $40 per million tokens.

const adminToken = 'admin-token-for-forwarded-budgets';
/** gpt-image-1's image output tokens for 1024x1024 at high quality (OpenAI's table). */
const highSquareTokens = 4160;
/** What the stand-in reports as the prompt's tokens. */
const promptTokens = 10;
/** One high-quality 1024x1024 image as the stand-in bills it. */
const imageCost = (promptTokens * 5 + highSquareTokens * 40) / 1e6;

/** OpenAI's answers, each after a pause so that parallel calls are all in flight at once. */
async function answer(request: RecordedRequest, response: ServerResponse): Promise<void> {
  await sleep(300);
  const json = (body: unknown): void => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  if (request.path.endsWith('/images/generations')) {
    const body = request.json as { n?: number };
    const n = body.n ?? 1;
    return json({ created: 1_760_000_000, data: Array.from({ length: n }, () => ({ b64_json: 'aW1hZ2U=' })), usage: { input_tokens: promptTokens, output_tokens: highSquareTokens * n, total_tokens: promptTokens + highSquareTokens * n, input_tokens_details: { image_tokens: 0, text_tokens: promptTokens } } });
  }
  if (request.path.endsWith('/images/edits')) {
    const form = await readForm(request);
    const n = Number(form.get('n') ?? 1);
    return json({ created: 1_760_000_000, data: [{ b64_json: 'aW1hZ2U=' }], usage: { input_tokens: 300, output_tokens: highSquareTokens * n, total_tokens: 300 + highSquareTokens * n, input_tokens_details: { image_tokens: 290, text_tokens: 10 } } });
  }
  if (request.path.endsWith('/audio/speech')) {
    response.writeHead(200, { 'content-type': 'audio/mpeg' });
    response.end(Buffer.alloc(1024));
    return;
  }
  if (request.path.endsWith('/audio/transcriptions')) return json({ text: 'hello', usage: { type: 'tokens', input_tokens: 100, output_tokens: 5, total_tokens: 105 } });
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end('{"error":{"message":"no route","type":"invalid_request_error"}}');
}

async function admin<T>(gw: RunningGateway, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = (await response.json()) as T;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

async function keyWithBudget(gw: RunningGateway, maxUsd: number): Promise<{ id: string; key: string }> {
  const consumer = `forwarded-${randomUUID()}`;
  await admin(gw, 'POST', '/consumers', { name: consumer });
  return admin(gw, 'POST', '/keys', { consumer, budget: { max_usd: maxUsd, period: 'day' } });
}

async function spentBy(gw: RunningGateway, keyId: string): Promise<number> {
  return (await admin<{ totals: { cost_usd: number } }>(gw, 'GET', `/usage?key=${keyId}`)).totals.cost_usd;
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; shouldRetry: string | null; retryAfter: string | null }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RateLimitError, String(error));
    const body = error.error as { code: string; message: string };
    return { code: body.code, message: body.message, shouldRetry: error.headers?.get('x-should-retry') ?? null, retryAfter: error.headers?.get('retry-after') ?? null };
  }
  assert.fail('expected a 429');
}

describe('cost budgets on the forwarded endpoints: an estimate is reserved before the call', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  before(async () => {
    upstream = await startStandIn(answer);
    gw = await startGateway(`
admin: { tokens: [{ token: ${adminToken}, role: admin }] }
zero_config: false
providers:
  oai: { type: openai, base_url: "${upstream.url}/v1", api_key: sk-upstream }
pricing:
  oai:
    gpt-4o-mini-tts: { input: 0.6, output: 12 }
    gpt-4o-transcribe: { input: 2.5, output: 10 }
plugins:
  key-auth: {}
`);
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('a $0.000001 budget refuses an image call as too large, and nothing reaches the provider', async () => {
    const key = await keyWithBudget(gw, 0.000001);
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: key.key, maxRetries: 0 });
    const before = upstream.requests.length;
    const refused = await refusal(client.images.generate({ model: 'oai/gpt-image-1', prompt: 'a cat' }));
    assert.equal(refused.code, 'budget_exceeded');
    // No size or quality: reserved as the largest standard size at high quality, 6240 output tokens at $40.
    assert.match(refused.message, /its estimated cost of \$0\.24961 is more than the whole budget of \$0\.000001, so it can never be admitted\. The estimate prices 1 image of size auto, reserved as 1024x1536, at quality auto, reserved as high \(6240 image output tokens each\) and about 2 prompt tokens at the most expensive model that may serve it\. Ask for fewer images, a smaller size or a lower quality\./);
    assert.equal(refused.shouldRetry, 'false');
    assert.equal(refused.retryAfter, null);
    assert.equal(upstream.requests.length, before, 'the provider was not called');
    assert.equal(await spentBy(gw, key.id), 0);
  });

  it('parallel image calls on a small budget: only as many as fit are admitted, and the spend stays within it', async () => {
    const budget = 0.5;
    const key = await keyWithBudget(gw, budget);
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: key.key, maxRetries: 0 });
    const before = upstream.requests.length;
    // Each reserves 4160 output tokens and 2 prompt tokens: $0.16641; three fit in $0.50.
    const reservation = (2 * 5 + highSquareTokens * 40) / 1e6;
    const fit = Math.floor(budget / reservation);
    assert.equal(fit, 3);
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, () =>
        client.images.generate({ model: 'oai/gpt-image-1', prompt: 'a cat', size: '1024x1024', quality: 'high' }).then(
          () => 'admitted',
          (error: unknown) => {
            assert.ok(error instanceof RateLimitError, String(error));
            assert.equal((error.error as { code: string }).code, 'budget_exceeded');
            return 'refused';
          },
        ),
      ),
    );
    assert.equal(outcomes.filter((outcome) => outcome === 'admitted').length, fit, outcomes.join(', '));
    assert.equal(upstream.requests.length - before, fit, 'only the admitted calls reached the provider');
    // Settled to the reported usage: the ledger and the budget hold the same spend, within the budget.
    await sleep(50);
    const spent = await spentBy(gw, key.id);
    assert.ok(Math.abs(spent - fit * imageCost) < 1e-9, `ledger: $${spent}`);
    assert.ok(spent <= budget);
    const next = await refusal(client.images.generate({ model: 'oai/gpt-image-1', prompt: 'a cat', size: '1024x1024', quality: 'high' }));
    assert.match(next.message, new RegExp(`spent \\$${String(Number((fit * imageCost).toFixed(10))).replace('.', '\\.')} of \\$0\\.5`), next.message);
  });

  it('an image edit reserves its output and the images it sends: one image fits where two did not, and settles to its reported usage', async () => {
    const key = await keyWithBudget(gw, 0.2);
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: key.key, maxRetries: 0 });
    // A 1024x1024 PNG header: 1,399 image input tokens by the larger of Anthropic's and OpenAI's rules.
    const png = Buffer.alloc(64);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 4, 0, 0, 0, 4, 0, 8, 6, 0, 0, 0]).copy(png);
    const before = upstream.requests.length;
    const refused = await refusal(client.images.edit({ model: 'oai/gpt-image-1', image: await toFile(png, 'room.png', { type: 'image/png' }), prompt: 'add a window', n: 2, size: '1024x1024', quality: 'high' }));
    assert.match(refused.message, /2 images of 1024x1024 at high quality \(4160 image output tokens each\), 1399 image input tokens for the 1 image sent and about 3 prompt tokens/);
    assert.equal(upstream.requests.length, before);
    const { response } = await client.images.edit({ model: 'oai/gpt-image-1', image: await toFile(png, 'room.png', { type: 'image/png' }), prompt: 'add a window', n: 1, size: '1024x1024', quality: 'high' }).withResponse();
    const cost = Number(response.headers.get('x-tollgate-cost-usd'));
    assert.equal(cost, (10 * 5 + 290 * 10 + highSquareTokens * 40) / 1e6);
    await sleep(50);
    assert.ok(Math.abs((await spentBy(gw, key.id)) - cost) < 1e-9);
  });

  it('an answer without usage (non-streamed speech) is charged its estimate, so the budget fills: the third call is refused (fwd audit: each was settled at $0)', async () => {
    const key = await keyWithBudget(gw, 0.05);
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: key.key, maxRetries: 0 });
    // 1,000 characters: 250 input tokens at $0.60 and 2,000 audio tokens at $12 per million = $0.02415 each.
    const speak = () => client.audio.speech.create({ model: 'oai/gpt-4o-mini-tts', voice: 'alloy', input: 'a'.repeat(1000) });
    for (let call = 0; call < 2; call++) await (await speak()).arrayBuffer();
    await sleep(50);
    assert.ok(Math.abs((await spentBy(gw, key.id)) - 2 * 0.02415) < 1e-9, `spent ${await spentBy(gw, key.id)}`);
    const third = await refusal(speak());
    assert.equal(third.code, 'budget_exceeded');
  });

  it('speech reserves its input and audio output by the characters sent; a transcription by the size of its recording', async () => {
    const key = await keyWithBudget(gw, 0.01);
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: key.key, maxRetries: 0 });
    const before = upstream.requests.length;
    // 1,000 characters: 2,000 audio output tokens at $12 per million = $0.024.
    const speech = await refusal(client.audio.speech.create({ model: 'oai/gpt-4o-mini-tts', voice: 'alloy', input: 'a'.repeat(1000) }));
    assert.match(speech.message, /about 250 input tokens and 2000 audio output tokens \(2 a character of the 1000-character input\)/);
    // 880,000 bytes of MP3 read at 64 kbit/s: 110 s, 2,200 audio tokens at $2.50 and 550 transcript tokens at $10 = $0.011, more than the whole budget.
    const short = await client.audio.speech.create({ model: 'oai/gpt-4o-mini-tts', voice: 'alloy', input: 'hello' });
    await short.arrayBuffer();
    const transcription = await refusal(client.audio.transcriptions.create({ model: 'oai/gpt-4o-transcribe', file: await toFile(Buffer.alloc(880_000), 'talk.mp3', { type: 'audio/mpeg' }) }));
    assert.match(transcription.message, /about 110 s of audio \(880000 bytes read at 64 kbit\/s\): 2200 audio input tokens \(20 a second\), and 550 transcript tokens \(5 a second\)/);
    assert.equal(upstream.requests.length - before, 1, 'only the short speech was sent');
    const small = await client.audio.transcriptions.create({ model: 'oai/gpt-4o-transcribe', file: await toFile(Buffer.alloc(8_000), 'hi.mp3', { type: 'audio/mpeg' }) });
    assert.equal(small.text, 'hello');
  });
});
