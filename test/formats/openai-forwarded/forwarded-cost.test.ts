import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import OpenAI, { toFile } from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../openai-responses/ledger-record.ts';
import { answerLikeOpenAI, imageUsage, readForm, transcriptionUsage } from './openai-stand-in.ts';

// The cost header on the forwarded endpoints (blind audit L1): an answer read whole is priced
// before its headers go out, as chat's and embeddings' complete answers are, and the header is the
// number the ledger records; a stream's usage comes after its headers, so streams have none, as on
// chat. gpt-image-1's price is the shipped catalogue's: text input $5, image input $10, output $40
// per million tokens (OpenAI's model page).

/** An edit that read 180 image tokens and 20 text tokens (OpenAI's `input_tokens_details`). */
const editUsage = { input_tokens: 200, output_tokens: 100, total_tokens: 300, input_tokens_details: { image_tokens: 180, text_tokens: 20 } };
/** What gpt-4o-mini-tts reports on its last event when asked for `stream_format: "sse"`. */
const speechUsage = { input_tokens: 14, output_tokens: 101, total_tokens: 115 };

function events(response: ServerResponse, list: unknown[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(sseBody(list));
}

/** OpenAI's answers (openai-stand-in.ts), with an edit's image tokens and the two event streams. */
async function answer(request: RecordedRequest, response: ServerResponse): Promise<void> {
  const body = request.json as { stream?: boolean; stream_format?: string } | undefined;
  if (request.path.endsWith('/images/edits')) {
    const form = await readForm(request);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ created: 1_760_000_000, data: [{ b64_json: Buffer.from(String(form.get('prompt'))).toString('base64') }], usage: editUsage }));
    return;
  }
  if (request.path.endsWith('/images/generations') && body?.stream === true) {
    return events(response, [
      { type: 'image_generation.partial_image', b64_json: 'cGFydA==', partial_image_index: 0 },
      { type: 'image_generation.completed', b64_json: 'd2hvbGU=', usage: imageUsage },
    ]);
  }
  if (request.path.endsWith('/audio/speech') && body?.stream_format === 'sse') {
    return events(response, [
      { type: 'speech.audio.delta', audio: Buffer.from('first audio').toString('base64') },
      { type: 'speech.audio.done', usage: speechUsage },
    ]);
  }
  return answerLikeOpenAI(request, response);
}

describe('x-tollgate-cost-usd on the forwarded endpoints', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;
  const logLines: Array<Record<string, unknown>> = [];

  /** The access log line of one request (written in the log phase, after the answer). */
  async function accessLine(requestId: string): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const line = logLines.find((candidate) => candidate.type === 'access' && candidate.id === requestId);
      if (line !== undefined) return line;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`no access log line for request ${requestId}`);
  }

  before(async () => {
    upstream = await startStandIn(answer);
    gw = await startGateway(
      `pricing:
  openai:
    gpt-4o-transcribe: { input: 2.5, output: 10 }
    gpt-4o-mini-tts: { input: 0.6, output: 12 }
`,
      { OPENAI_API_KEY: 'sk-upstream-0123456789', OPENAI_BASE_URL: `${upstream.url}/v1` },
      { logLines },
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('images: the cost of the reported usage, the same number as the ledger', async () => {
    const { response, request_id } = await client.images.generate({ model: 'openai/gpt-image-1', prompt: 'a lighthouse' }).withResponse();
    const expected = (12 * 5 + 40 * 40) / 1e6;
    assert.equal(response.headers.get('x-tollgate-cost-usd'), String(expected));
    assert.equal(response.headers.get('x-tollgate-cost-estimated'), null);
    const record = await ledgerRecord(gw, request_id!);
    assert.equal(record.cost_usd, expected);
    assert.equal(record.cost_estimated, 0);
  });

  it('image edits: the image input tokens at the image input price, the text ones at the text price', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const { response, request_id } = await client.images.edit({ model: 'openai/gpt-image-1', image: await toFile(png, 'room.png', { type: 'image/png' }), prompt: 'add a window' }).withResponse();
    const expected = (20 * 5 + 180 * 10 + 100 * 40) / 1e6;
    assert.equal(response.headers.get('x-tollgate-cost-usd'), String(expected));
    const record = await ledgerRecord(gw, request_id!);
    assert.equal(record.input_tokens, 200);
    assert.equal(record.cost_usd, expected);
  });

  it('transcriptions: priced from the usage of a JSON answer; a text answer, which has none, gets the estimate the ledger records', async () => {
    const file = await toFile(Buffer.from('RIFF....WAVE'), 'a.wav');
    const json = await client.audio.transcriptions.create({ model: 'openai/gpt-4o-transcribe', file }).withResponse();
    const expected = (transcriptionUsage.input_tokens * 2.5 + transcriptionUsage.output_tokens * 10) / 1e6;
    assert.equal(json.response.headers.get('x-tollgate-cost-usd'), String(expected));
    assert.equal((await ledgerRecord(gw, json.request_id!)).cost_usd, expected);

    // A text answer has no usage: it costs the estimate made before the call (the upload's length
    // and the prompt), not $0, which a budget would give back (the fwd audit: text transcripts
    // passed any budget).
    const text = await client.audio.transcriptions.create({ model: 'openai/gpt-4o-transcribe', file, response_format: 'text' }).withResponse();
    const estimated = Number(text.response.headers.get('x-tollgate-cost-usd'));
    assert.ok(estimated > 0, `cost ${estimated}`);
    assert.equal(text.response.headers.get('x-tollgate-cost-estimated'), 'true');
    const record = await ledgerRecord(gw, text.request_id!);
    assert.deepEqual([record.cost_usd, record.cost_estimated], [estimated, 1]);
    assert.ok(Number(record.input_tokens) > 0);
  });

  it('a model without a price gets no header (moderations)', async () => {
    const { response } = await client.moderations.create({ model: 'openai/omni-moderation-latest', input: 'text' }).withResponse();
    assert.equal(response.headers.get('x-tollgate-cost-usd'), null);
  });

  it('streams get no header (their usage comes after it), as on chat; the ledger prices their last event', async () => {
    const images = await client.images.generate({ model: 'openai/gpt-image-1', prompt: 'a lighthouse', stream: true }).withResponse();
    assert.equal(images.response.headers.get('x-tollgate-cost-usd'), null);
    for await (const _event of images.data);
    const imageRecord = await ledgerRecord(gw, images.request_id!);
    assert.deepEqual([imageRecord.input_tokens, imageRecord.output_tokens, imageRecord.cost_usd], [12, 40, (12 * 5 + 40 * 40) / 1e6]);

    // Speech as events (stream_format: "sse"): the usage of speech.audio.done is recorded.
    const speech = await client.audio.speech.create({ model: 'openai/gpt-4o-mini-tts', voice: 'alloy', input: 'Hello', stream_format: 'sse' }).withResponse();
    assert.equal(speech.response.headers.get('x-tollgate-cost-usd'), null);
    assert.match(String(speech.response.headers.get('content-type')), /^text\/event-stream/);
    assert.match(await speech.data.text(), /speech\.audio\.done/);
    const speechRecord = await ledgerRecord(gw, speech.request_id!);
    assert.equal(speechRecord.operation, 'speech');
    assert.deepEqual([speechRecord.input_tokens, speechRecord.output_tokens, speechRecord.cost_usd], [14, 101, Number(((14 * 0.6 + 101 * 12) / 1e6).toFixed(10))]);
  });

  it('speech as events is recorded as streamed, as image and transcript event streams are; plain audio is not', async () => {
    const events = await client.audio.speech.create({ model: 'openai/gpt-4o-mini-tts', voice: 'alloy', input: 'Hello', stream_format: 'sse' }).withResponse();
    await events.data.text();
    const images = await client.images.generate({ model: 'openai/gpt-image-1', prompt: 'a lighthouse', stream: true }).withResponse();
    for await (const _event of images.data);
    const audio = await client.audio.speech.create({ model: 'openai/gpt-4o-mini-tts', voice: 'alloy', input: 'Hello' }).withResponse();
    await audio.data.arrayBuffer();
    for (const [call, streamed] of [[events, true], [images, true], [audio, false]] as const) {
      const record = await ledgerRecord(gw, call.request_id!);
      assert.equal(record.stream, streamed ? 1 : 0, `ledger stream of ${record.operation}`);
      assert.equal((await accessLine(call.request_id!)).stream, streamed, `access log stream of ${record.operation}`);
    }
  });
});

describe('x-tollgate-cost-usd on the forwarded endpoints with the cost header turned off', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn(answer);
    gw = await startGateway('plugins: { cost: { header: false } }\n', { OPENAI_API_KEY: 'sk-upstream-0123456789', OPENAI_BASE_URL: `${upstream.url}/v1` });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('sends no header but still records the cost', async () => {
    const client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const { response, request_id } = await client.images.generate({ model: 'openai/gpt-image-1', prompt: 'a lighthouse' }).withResponse();
    assert.equal(response.headers.get('x-tollgate-cost-usd'), null);
    assert.equal((await ledgerRecord(gw, request_id!)).cost_usd, (12 * 5 + 40 * 40) / 1e6);
  });
});
