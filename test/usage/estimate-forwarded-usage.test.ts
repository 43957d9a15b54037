import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalRequest } from '../../src/canonical/operation.ts';
import { estimateForwardedUsage } from '../../src/usage/estimate-forwarded-usage.ts';

// The reservation rules of the forwarded operations (src/usage/README.md, "Estimates of the
// forwarded operations"): what a budget holds while an image, audio or rerank call runs.

const noBody = Buffer.alloc(0);

function images(body: Record<string, unknown>) {
  return estimateForwardedUsage('image_generations', { model: 'gpt-image-1', prompt: 'a cat', ...body } as CanonicalRequest, noBody)!;
}

/** A multipart form as the SDKs write it. */
function form(fields: Record<string, string>, files: Record<string, Buffer>): { request: CanonicalRequest; rawBody: Buffer } {
  const boundary = 'estimate-boundary';
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  for (const [name, bytes] of Object.entries(files)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="f"\r\nContent-Type: application/octet-stream\r\n\r\n`), bytes, Buffer.from('\r\n'));
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { request: { model: 'm', form: { contentType: `multipart/form-data; boundary=${boundary}`, modelStart: 0, modelEnd: 0 } } as CanonicalRequest, rawBody: Buffer.concat(chunks) };
}

/** A WAV header of 16 kHz, 16-bit mono (32,000 bytes a second) followed by `seconds` of silence. */
function wav(seconds: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16_000, 24);
  header.writeUInt32LE(32_000, 28);
  header.write('data', 36, 'latin1');
  return Buffer.concat([header, Buffer.alloc(seconds * 32_000 - 44)]);
}

describe('estimates of the forwarded operations, before the call', () => {
  it('images: OpenAI\'s output tokens by quality and size, times n; auto reserved as high quality and the largest standard size', () => {
    assert.equal(images({ size: '1024x1024', quality: 'low' }).outputTokens, 272);
    assert.equal(images({ size: '1536x1024', quality: 'medium' }).outputTokens, 1568);
    assert.equal(images({ size: '1024x1536', quality: 'high', n: 3 }).outputTokens, 3 * 6240);
    assert.equal(images({}).outputTokens, 6240);
    assert.equal(images({ size: 'auto', quality: 'auto' }).outputTokens, 6240);
    // Another size: the square's tokens scaled by its area.
    assert.equal(images({ size: '2048x2048', quality: 'high' }).outputTokens, 4 * 4160);
    assert.equal(images({ prompt: 'a red fox in the snow' }).inputTokens, 6);
  });

  it('images: a streamed generation adds 100 tokens a partial image (at most 3); partial_images without stream adds nothing', () => {
    assert.equal(images({ size: '1024x1024', quality: 'high', stream: true, partial_images: 2 }).outputTokens, 4160 + 200);
    assert.equal(images({ size: '1024x1024', quality: 'high', stream: true, partial_images: 9 }).outputTokens, 4160 + 300);
    assert.equal(images({ size: '1024x1024', quality: 'high', partial_images: 2 }).outputTokens, 4160);
  });

  it('image edits: the form\'s n, size and quality, and each image sent (unreadable: 1,600 tokens)', () => {
    const { request, rawBody } = form({ model: 'gpt-image-1', prompt: 'add a window', n: '2', size: '1024x1024', quality: 'medium' }, { 'image[]': Buffer.from('not an image'), mask: Buffer.from('nor this') });
    const estimate = estimateForwardedUsage('image_edits', request, rawBody)!;
    assert.deepEqual([estimate.inputTokens, estimate.imageInputTokens, estimate.outputTokens], [3, 3200, 2 * 1056]);
  });

  it('transcriptions: the recording\'s length from a WAV header, else its size at 64 kbit/s; 20 audio tokens and 5 transcript tokens a second', () => {
    const fromHeader = form({ model: 'gpt-4o-transcribe' }, { file: wav(30) });
    assert.deepEqual(
      (({ inputTokens, outputTokens }) => [inputTokens, outputTokens])(estimateForwardedUsage('transcriptions', fromHeader.request, fromHeader.rawBody)!),
      [600, 150],
    );
    const mp3 = form({ model: 'gpt-4o-transcribe', prompt: 'names: Ada' }, { file: Buffer.alloc(80_000) });
    const estimate = estimateForwardedUsage('translations', mp3.request, mp3.rawBody)!;
    assert.deepEqual([estimate.inputTokens, estimate.outputTokens], [200 + 3, 50]);
  });

  it('speech: the input\'s tokens, and 2 audio tokens a character (more at a slower speed)', () => {
    const speech = (body: Record<string, unknown>) => estimateForwardedUsage('speech', { model: 'tts', voice: 'alloy', input: 'x'.repeat(400), ...body } as CanonicalRequest, noBody)!;
    assert.deepEqual([speech({}).inputTokens, speech({}).outputTokens], [100, 800]);
    assert.equal(speech({ speed: 0.5 }).outputTokens, 1600);
    assert.equal(speech({ speed: 2 }).outputTokens, 800);
    assert.equal(speech({ instructions: 'calm and slow' }).inputTokens, 100 + 4);
  });

  it('rerank: the query read with each document; moderations reserve nothing', () => {
    const rerank = estimateForwardedUsage('rerank', { model: 'r', query: 'four word long query', documents: ['one', { text: 'two words' }] } as CanonicalRequest, noBody)!;
    assert.equal(rerank.inputTokens, 5 + 1 + 5 + 3);
    assert.equal(estimateForwardedUsage('moderations', { model: 'omni-moderation-latest', input: 'text' } as CanonicalRequest, noBody), null);
  });
});
