import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { refusal } from '../../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { answerLikeOpenAI, readForm } from './openai-stand-in.ts';

const audioFile = Buffer.from(Array.from({ length: 20_000 }, (_, index) => (index * 31 + 1) % 256));

describe('forwarded endpoints on Azure OpenAI: deployment paths and api-key', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn(answerLikeOpenAI);
    gw = await startGateway('{}', { AZURE_OPENAI_API_KEY: 'azure-key-1', AZURE_OPENAI_ENDPOINT: `${upstream.url}/` });
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('a transcription goes to the deployment path with the form model set to the deployment', async () => {
    const result = await client.audio.transcriptions.create({ model: 'azure/whisper-prod', file: await toFile(audioFile, 'a.mp3') });
    assert.equal(result.text, 'hello from the audio');
    const sent = upstream.requests[0];
    assert.equal(sent.path, '/openai/deployments/whisper-prod/audio/transcriptions?api-version=2024-10-21');
    assert.equal(sent.headers['api-key'], 'azure-key-1');
    assert.equal(sent.headers.authorization, undefined);
    const form = await readForm(sent);
    assert.equal(form.get('model'), 'whisper-prod');
    assert.ok(Buffer.from(await (form.get('file') as File).arrayBuffer()).equals(audioFile));
  });

  it('images, image edits and speech go to their deployment paths', async () => {
    await client.images.generate({ model: 'azure/image-prod', prompt: 'a boat' });
    const speech = await client.audio.speech.create({ model: 'azure/tts-prod', voice: 'alloy', input: 'hi' });
    assert.equal(speech.headers.get('content-type'), 'audio/mpeg');
    await speech.arrayBuffer();
    await client.images.edit({ model: 'azure/image-prod', image: await toFile(audioFile.subarray(0, 2000), 'room.png', { type: 'image/png' }), prompt: 'add a door' });
    assert.equal(upstream.requests[0].path, '/openai/deployments/image-prod/images/generations?api-version=2024-10-21');
    assert.equal(upstream.requests[1].path, '/openai/deployments/tts-prod/audio/speech?api-version=2024-10-21');
    assert.equal(upstream.requests[2].path, '/openai/deployments/image-prod/images/edits?api-version=2024-10-21');
    assert.equal(upstream.requests[2].headers['api-key'], 'azure-key-1');
  });

  it('moderations: Azure has none, 400 unsupported_operation', async () => {
    const error = await refusal(client.moderations.create({ model: 'azure/mod', input: 'x' }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'unsupported_operation');
    assert.equal(upstream.requests.length, 0);
  });
});

describe('forwarded endpoints: virtual keys, request limits and the body limit', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  const allKey = 'tg-forwarded-all-0123456789abcdef';
  const chatOnlyKey = 'tg-forwarded-chat-0123456789abcdef';
  const limitedKey = 'tg-forwarded-limited-0123456789ab';

  before(async () => {
    upstream = await startStandIn(answerLikeOpenAI);
    gw = await startGateway(
      `server: { body_limit: 65536 }
plugins:
  key-auth:
    keys:
      - { key: "${allKey}", consumer: all }
      - { key: "${chatOnlyKey}", consumer: chat, models: ["openai/gpt-4o*"] }
      - { key: "${limitedKey}", consumer: limited }
  rate-limit: { limits: [{ scope: consumer, requests: 1, per: minute }] }
`,
      { OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${upstream.url}/v1` },
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const sdk = (apiKey: string) => new OpenAI({ baseURL: gw.baseURL, apiKey, maxRetries: 0 });

  it('a valid key passes; an unknown key is 401 and no provider is called', async () => {
    await sdk(allKey).moderations.create({ model: 'openai/omni-moderation-latest', input: 'x' });
    upstream.requests.length = 0;
    const unknown = await refusal(sdk('tg-not-a-key-0000000000000000').moderations.create({ model: 'openai/omni-moderation-latest', input: 'x' }));
    assert.equal(unknown.status, 401);
    const upload = await refusal(sdk('tg-not-a-key-0000000000000000').audio.transcriptions.create({ model: 'openai/whisper-1', file: await toFile(audioFile, 'a.wav') }));
    assert.equal(upload.status, 401);
    assert.equal(upstream.requests.length, 0);
  });

  it('a key limited to other models is 403 model_not_allowed', async () => {
    const error = await refusal(sdk(chatOnlyKey).images.generate({ model: 'openai/dall-e-3', prompt: 'x' }));
    assert.equal(error.status, 403);
    assert.equal(error.code, 'model_not_allowed');
    const upload = await refusal(sdk(chatOnlyKey).audio.transcriptions.create({ model: 'openai/whisper-1', file: await toFile(audioFile, 'a.wav') }));
    assert.equal(upload.status, 403);
  });

  it('a request-rate limit (one a minute per consumer) counts these requests too', async () => {
    await sdk(limitedKey).audio.speech.create({ model: 'openai/tts-1', voice: 'alloy', input: 'x' }).then((response) => response.arrayBuffer());
    const error = await refusal(sdk(limitedKey).moderations.create({ model: 'openai/omni-moderation-latest', input: 'x' }));
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.ok(error.headers?.get('retry-after'));
  });

  it('an upload over server.body_limit is 413 request_too_large', async () => {
    upstream.requests.length = 0;
    const error = await refusal(sdk(allKey).audio.transcriptions.create({ model: 'openai/whisper-1', file: await toFile(Buffer.alloc(100_000, 1), 'big.wav') }));
    assert.equal(error.status, 413);
    assert.equal(error.code, 'request_too_large');
    assert.equal(upstream.requests.length, 0);
  });
});
