import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { refusal } from '../../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../openai-responses/ledger-record.ts';
import { answerLikeOpenAI, imageUsage, moderationResult, readForm, releaseSpeech, speechBytes } from './openai-stand-in.ts';

const providerKey = 'sk-upstream-secret-0123456789';

/** A file that is not text: every byte value, so any re-encoding would show. */
const audioFile = Buffer.from(Array.from({ length: 40_000 }, (_, index) => (index * 13 + 5) % 256));

describe('forwarded OpenAI endpoints through the gateway, the openai SDK against an OpenAI stand-in', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn(answerLikeOpenAI);
    gw = await startGateway(
      `models:
  mod: { targets: [{ provider: openai, model: omni-moderation-latest }] }
  draw:
    strategy: priority
    targets:
      - { provider: anthropic, model: claude-sonnet-4-5 }
      - { provider: openai, model: gpt-image-1 }
`,
      { OPENAI_API_KEY: providerKey, OPENAI_BASE_URL: `${upstream.url}/v1`, ANTHROPIC_API_KEY: 'anthropic-secret', ANTHROPIC_BASE_URL: upstream.url },
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('moderations: the body goes up with only the model rewritten, the answer comes back as it was', async () => {
    const { data, response, request_id } = await client.moderations.create({ model: 'openai/omni-moderation-latest', input: ['first text', 'second text'] }).withResponse();
    assert.deepEqual(data, moderationResult);
    assert.equal(response.headers.get('x-tollgate-provider'), 'openai');
    assert.equal(response.headers.get('x-ratelimit-remaining-requests'), '99');
    assert.ok(request_id);
    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/v1/moderations');
    assert.equal(sent.headers.authorization, `Bearer ${providerKey}`);
    assert.deepEqual(sent.json, { model: 'omni-moderation-latest', input: ['first text', 'second text'] });
    const record = await ledgerRecord(gw, request_id!);
    assert.equal(record.operation, 'moderations');
    assert.equal(record.provider, 'openai');
    assert.equal(record.model, 'omni-moderation-latest');
    assert.equal(record.input_tokens, 0);
    assert.equal(record.output_tokens, 0);
    assert.equal(record.cost_usd, 0);
    assert.equal(record.status, 200);
  });

  it('moderations by an alias', async () => {
    const result = await client.moderations.create({ model: 'mod', input: 'text' });
    assert.equal(result.model, 'omni-moderation-latest');
    assert.equal((upstream.requests[0].json as { model: string }).model, 'omni-moderation-latest');
  });

  it('images (b64_json): a group skips the target that cannot serve images; the usage reaches the ledger', async () => {
    const { data, response, request_id } = await client.images.generate({ model: 'draw', prompt: 'a lighthouse', response_format: 'b64_json', size: '1024x1024' }).withResponse();
    assert.equal(Buffer.from(data.data![0].b64_json!, 'base64').toString(), 'image of a lighthouse');
    assert.deepEqual(data.usage, imageUsage);
    assert.equal(response.headers.get('x-tollgate-provider'), 'openai');
    assert.equal(response.headers.get('x-tollgate-model'), 'gpt-image-1');
    assert.equal(upstream.requests.length, 1, 'the anthropic target is never called');
    assert.equal(upstream.requests[0].path, '/v1/images/generations');
    assert.deepEqual(upstream.requests[0].json, { model: 'gpt-image-1', prompt: 'a lighthouse', response_format: 'b64_json', size: '1024x1024' });
    const record = await ledgerRecord(gw, request_id!);
    assert.equal(record.operation, 'image_generations');
    assert.equal(record.input_tokens, 12);
    assert.equal(record.output_tokens, 40);
    // gpt-image-1 at the catalogue's prices: text input $5, output $40 per million tokens.
    assert.equal(record.cost_usd, (12 * 5 + 40 * 40) / 1e6);
    assert.equal(response.headers.get('x-tollgate-cost-usd'), String(record.cost_usd));
  });

  it('image edits: the images and the mask go up as they came, with only the model rewritten', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), audioFile.subarray(0, 5000)]);
    const mask = Buffer.concat([png.subarray(0, 8), audioFile.subarray(5000, 6000)]);
    const { data, request_id } = await client.images
      .edit({ model: 'openai/gpt-image-1', image: await toFile(png, 'room.png', { type: 'image/png' }), mask: await toFile(mask, 'mask.png', { type: 'image/png' }), prompt: 'add a window' })
      .withResponse();
    assert.equal(Buffer.from(data.data![0].b64_json!, 'base64').toString(), '1 image(s) edited: add a window');
    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/v1/images/edits');
    assert.equal(sent.headers.authorization, `Bearer ${providerKey}`);
    const form = await readForm(sent);
    assert.equal(form.get('model'), 'gpt-image-1');
    assert.equal(form.get('prompt'), 'add a window');
    assert.ok(Buffer.from(await (form.get('image') as File).arrayBuffer()).equals(png), 'the same image bytes');
    assert.ok(Buffer.from(await (form.get('mask') as File).arrayBuffer()).equals(mask), 'the same mask bytes');
    const record = await ledgerRecord(gw, request_id!);
    assert.equal(record.operation, 'image_edits');
    assert.equal(record.input_tokens, 12);
    assert.equal(record.output_tokens, 40);

    // Several images (the SDK sends them as image[]), by an alias-free provider/model name.
    const several = await client.images.edit({ model: 'openai/gpt-image-1', image: [await toFile(png, 'a.png', { type: 'image/png' }), await toFile(mask, 'b.png', { type: 'image/png' })], prompt: 'merge them' });
    assert.equal(Buffer.from(several.data![0].b64_json!, 'base64').toString(), '2 image(s) edited: merge them');

    // Without a prompt or an image: 400 naming the part, and no provider call.
    const noPrompt = new FormData();
    noPrompt.append('model', 'openai/gpt-image-1');
    noPrompt.append('image', new Blob([png], { type: 'image/png' }), 'room.png');
    const refusedPrompt = await fetch(`${gw.baseURL}/images/edits`, { method: 'POST', body: noPrompt });
    assert.equal(refusedPrompt.status, 400);
    assert.equal(((await refusedPrompt.json()) as { error: { param: string } }).error.param, 'prompt');
    const noImage = new FormData();
    noImage.append('model', 'openai/gpt-image-1');
    noImage.append('prompt', 'add a window');
    const refusedImage = await fetch(`${gw.baseURL}/images/edits`, { method: 'POST', body: noImage });
    assert.equal(refusedImage.status, 400);
    assert.equal(((await refusedImage.json()) as { error: { param: string } }).error.param, 'image');
    assert.equal(upstream.requests.length, 2);
  });

  it('speech: the audio bytes arrive intact with their content type', async () => {
    const { data, request_id } = await client.audio.speech.create({ model: 'openai/tts-1', voice: 'alloy', input: 'Hello there', response_format: 'mp3' }).withResponse();
    assert.equal(data.headers.get('content-type'), 'audio/mpeg');
    assert.equal(data.headers.get('x-tollgate-provider'), 'openai');
    const bytes = Buffer.from(await data.arrayBuffer());
    assert.ok(bytes.equals(speechBytes), 'the same bytes');
    assert.equal(upstream.requests[0].path, '/v1/audio/speech');
    assert.deepEqual(upstream.requests[0].json, { model: 'tts-1', voice: 'alloy', input: 'Hello there', response_format: 'mp3' });
    const record = await ledgerRecord(gw, request_id!);
    assert.equal(record.operation, 'speech');
    assert.equal(record.status, 200);
    assert.equal(record.input_tokens, 0);
    assert.equal(record.cost_usd, 0);
  });

  it('speech is forwarded as it streams, not read whole first', async () => {
    const response = await client.audio.speech.create({ model: 'openai/tts-gated', voice: 'alloy', input: 'Hello' });
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.ok(first.value && first.value.length > 0, 'the first piece arrived while the provider still holds the rest');
    releaseSpeech();
    const pieces = [Buffer.from(first.value)];
    for (let next = await reader.read(); !next.done; next = await reader.read()) pieces.push(Buffer.from(next.value));
    assert.ok(Buffer.concat(pieces).equals(speechBytes));
  });

  it('transcriptions: a real multipart upload reaches the provider with the same file bytes and the model rewritten', async () => {
    const file = await toFile(audioFile, 'speech.mp3', { type: 'audio/mpeg' });
    const { data, request_id } = await client.audio.transcriptions.create({ model: 'openai/gpt-4o-transcribe', file, language: 'en', temperature: 0.2 }).withResponse();
    assert.equal(data.text, 'hello from the audio');
    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/v1/audio/transcriptions');
    assert.equal(sent.headers.authorization, `Bearer ${providerKey}`);
    assert.match(String(sent.headers['content-type']), /^multipart\/form-data; boundary=/);
    const form = await readForm(sent);
    assert.equal(form.get('model'), 'gpt-4o-transcribe');
    assert.equal(form.get('language'), 'en');
    assert.equal(form.get('temperature'), '0.2');
    const uploaded = form.get('file') as File;
    assert.equal(uploaded.name, 'speech.mp3');
    assert.ok(Buffer.from(await uploaded.arrayBuffer()).equals(audioFile), 'the same file bytes');
    const record = await ledgerRecord(gw, request_id!);
    assert.equal(record.operation, 'transcriptions');
    assert.equal(record.input_tokens, 30);
    assert.equal(record.output_tokens, 5);
    assert.equal(record.cost_usd, 0);
  });

  it('transcriptions with response_format text and translations', async () => {
    const text = await client.audio.transcriptions.create({ model: 'openai/whisper-1', file: await toFile(audioFile, 'a.wav'), response_format: 'text' });
    assert.equal(text, 'hello from the audio\n');
    const translation = await client.audio.translations.create({ model: 'openai/whisper-1', file: await toFile(audioFile, 'b.wav') });
    assert.equal(translation.text, 'hello in English');
    assert.equal(upstream.requests[1].path, '/v1/audio/translations');
    assert.equal((await readForm(upstream.requests[1])).get('model'), 'whisper-1');
  });

  it('a provider that cannot serve the operation: 400 unsupported_operation in OpenAI shape', async () => {
    const error = await refusal(client.moderations.create({ model: 'anthropic/claude-sonnet-4-5', input: 'text' }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'unsupported_operation');
    assert.equal(error.type, 'invalid_request_error');
    const echo = await refusal(client.audio.transcriptions.create({ model: 'echo/whisper', file: await toFile(audioFile, 'a.wav') }));
    assert.equal(echo.status, 400);
    assert.equal(echo.code, 'unsupported_operation');
    assert.equal(upstream.requests.length, 0);
  });

  it('a request without what the endpoint needs is refused before any provider call', async () => {
    const noModel = await refusal(client.moderations.create({ input: 'text' }));
    assert.equal(noModel.status, 400);
    assert.equal(noModel.code, 'missing_required_parameter');
    assert.equal(noModel.param, 'model');
    const response = await fetch(`${gw.baseURL}/audio/transcriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"openai/whisper-1"}' });
    assert.equal(response.status, 400);
    const form = new FormData();
    form.append('model', 'openai/whisper-1');
    const noFile = await fetch(`${gw.baseURL}/audio/transcriptions`, { method: 'POST', body: form });
    assert.equal(noFile.status, 400);
    assert.equal(((await noFile.json()) as { error: { param: string } }).error.param, 'file');
    assert.equal(upstream.requests.length, 0);
  });
});

describe('forwarded endpoints: upstream errors keep their status and message, never a secret', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn(answerLikeOpenAI);
    gw = await startGateway('{}', { OPENAI_API_KEY: providerKey, OPENAI_BASE_URL: `${upstream.url}/v1` });
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('a 500 from the provider on images', async () => {
    const error = await refusal(client.images.generate({ model: 'openai/fail-500', prompt: 'x' }));
    assert.equal(error.status, 500);
    assert.equal(error.message, '500 The server had an error while processing your request.');
    assert.ok(!JSON.stringify(error.error).includes(providerKey));
  });

  it('a 429 from the provider on a transcription keeps Retry-After', async () => {
    const error = await refusal(client.audio.transcriptions.create({ model: 'openai/busy-429', file: await toFile(audioFile, 'a.wav') }));
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(error.headers?.get('retry-after'), '7');
    const record = await ledgerRecord(gw, error.requestID!);
    assert.equal(record.status, 429);
    assert.equal(record.operation, 'transcriptions');
    assert.equal(record.cost_usd, 0);
  });

  it('a provider error that repeats the provider key reaches the client without it', async () => {
    const error = await refusal(client.moderations.create({ model: 'openai/leaky-401', input: 'x' }));
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_api_key');
    assert.match(error.message, /\[redacted\]/);
    assert.ok(!JSON.stringify(error.error).includes(providerKey));
  });

  it('a 429 on speech (binary endpoint) is a JSON error too', async () => {
    const error = await refusal(client.audio.speech.create({ model: 'openai/busy-429', voice: 'alloy', input: 'x' }));
    assert.equal(error.status, 429);
    assert.equal(error.headers?.get('retry-after'), '7');
  });
});
