import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { toFile } from 'openai';
import pino from 'pino';
import { Gateway } from '../../../src/gateway/gateway.ts';
import type { RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../openai-responses/ledger-record.ts';
import { answerLikeOpenAI, readForm, speechBytes } from './openai-stand-in.ts';

const gatewayKey = 'tg-forwarded-plugins-0123456789abcdef';
const upstreamSecret = 'sk-upstream-plugins-secret-987654321';

describe('forwarded endpoints with the body-reading plugins on (pii, prompt-guard, content-rules, cache, output-validation), metrics and the access log', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let lines: Array<Record<string, unknown>>;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn(answerLikeOpenAI);
    lines = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const configText = `
pricing:
  openai: { gpt-image-1: { input: 5, output: 40 } }
plugins:
  key-auth: { keys: [{ key: "${gatewayKey}", consumer: app }] }
  rate-limit: { limits: [{ scope: key, requests: 1000, per: minute }, { scope: key, tokens: 100000, per: minute }] }
  pii: { request: mask, response: redact, entities: { email: { action: mask } } }
  prompt-guard: { action: block }
  content-rules: { max_prompt_tokens: 1000 }
  output-validation: {}
  cache: {}
`;
    const running = await Gateway.start({ configText, env: { OPENAI_API_KEY: upstreamSecret, OPENAI_BASE_URL: `${upstream.url}/v1` }, port: 0, adminPort: 0, logger, storage: 'sqlite::memory:' });
    const url = `http://127.0.0.1:${running.port}`;
    gateway = { gateway: running, url, baseURL: `${url}/v1`, adminUrl: `http://127.0.0.1:${running.adminPort}`, close: () => running.stop(2000) };
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: gatewayKey, maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('pii masks an email in a moderation input before it leaves', async () => {
    await client.moderations.create({ model: 'openai/omni-moderation-latest', input: 'write to jane.doe@example.com please' });
    const input = (upstream.requests[0].json as { input: string }).input;
    assert.doesNotMatch(input, /jane\.doe@example\.com/);
    assert.match(input, /write to .+ please/);
  });

  it('images, speech and a transcription pass every plugin untouched; the same request twice reaches the provider twice (not cached)', async () => {
    for (let round = 0; round < 2; round++) {
      const image = await client.images.generate({ model: 'openai/gpt-image-1', prompt: 'a red kite' });
      assert.ok(image.data?.[0].b64_json);
      const speech = await client.audio.speech.create({ model: 'openai/tts-1', voice: 'alloy', input: 'hello' });
      assert.ok(Buffer.from(await speech.arrayBuffer()).equals(speechBytes));
      const transcript = await client.audio.transcriptions.create({ model: 'openai/whisper-1', file: await toFile(Buffer.from('RIFF fake audio'), 'a.wav') });
      assert.equal(transcript.text, 'hello from the audio');
    }
    assert.equal(upstream.requests.length, 6);
    assert.equal((await readForm(upstream.requests[2])).get('model'), 'whisper-1');
  });

  it('the ledger prices reported usage with the configured price; metrics and the access log name the operation; no secret is logged', async () => {
    const { request_id } = await client.images.generate({ model: 'openai/gpt-image-1', prompt: 'a blue kite' }).withResponse();
    const record = await ledgerRecord(gateway, request_id!);
    assert.equal(record.input_tokens, 12);
    assert.equal(record.output_tokens, 40);
    // 12 x $5 + 40 x $40 per million tokens.
    assert.ok(Math.abs(record.cost_usd - (12 * 5 + 40 * 40) / 1_000_000) < 1e-12);
    assert.equal(Boolean(record.cost_estimated), false);
    for (let attempt = 0; attempt < 50 && !lines.some((line) => line.type === 'access' && line.id === request_id); attempt++) await sleep(20);
    const access = lines.find((line) => line.type === 'access' && line.id === request_id);
    assert.ok(access, 'an access-log line');
    assert.equal(access.path, '/v1/images/generations');
    assert.equal(access.prompt_tokens, 12);
    const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
    assert.match(metrics, /tollgate_requests_total\{operation="image_generations",provider="openai",model="gpt-image-1",status="200"\} \d+/);
    assert.match(metrics, /tollgate_requests_total\{operation="transcriptions",provider="openai",model="whisper-1",status="200"\} \d+/);
    assert.match(metrics, /tollgate_requests_total\{operation="speech",provider="openai",model="tts-1",status="200"\} \d+/);
    const logged = JSON.stringify(lines);
    assert.ok(!logged.includes(upstreamSecret));
    assert.ok(!logged.includes(gatewayKey));
    assert.ok(!metrics.includes(upstreamSecret));
  });
});
