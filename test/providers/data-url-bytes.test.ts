import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BadRequestError } from 'openai';
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions';
import { chatPaths, lastBody, startMultiProviderGateway, type MultiProviderGateway } from './multi-provider-stand-in.ts';

/**
 * A data URL without `;base64` holds percent-encoded octets (RFC 2397): `%89PNG%0D%0A%1A%0A` is the
 * 8 bytes of a PNG signature, `caf%E9` is Latin-1 text. The adapters read those escapes as bytes
 * (one helper, `percentDecodedBytes` in src/canonical/data-url.ts), not as UTF-8 text, which threw
 * a URIError on the first byte that is not UTF-8 and made a client's input a 500 (the multimodal
 * audit's finding 1). A payload whose escape is broken (`100%`) is a 400 naming the field, before
 * any call.
 */

const pngSignature = 'data:image/png,%89PNG%0D%0A%1A%0A';
const pngSignatureBase64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');
const latin1Cafe = Buffer.from('café', 'latin1').toString('base64');

type Parts = Array<{ inlineData?: { mimeType: string; data: string }; fileData?: unknown; text?: string }>;

describe('percent-encoded data URLs are bytes (RFC 2397), on every adapter', () => {
  let running: MultiProviderGateway;
  before(async () => {
    running = await startMultiProviderGateway();
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
  });
  after(() => running.close());

  const ask = (model: string, part: ChatCompletionContentPart) => running.openai.chat.completions.create({ model, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, part] }] });
  const image = (url: string): ChatCompletionContentPart => ({ type: 'image_url', image_url: { url } });
  const file = (fileData: string, filename = 'notes.txt'): ChatCompletionContentPart => ({ type: 'file', file: { file_data: fileData, filename } });

  /** The inlineData parts of the last Gemini-format call (gemini or vertex). */
  function inlineParts(provider: 'gem' | 'vtx'): Array<{ mimeType: string; data: string }> {
    const contents = lastBody(running.upstream, chatPaths[provider]).contents as Array<{ parts: Parts }>;
    return contents.flatMap((content) => content.parts).flatMap((part) => (part.inlineData ? [part.inlineData] : []));
  }

  for (const provider of ['gem', 'vtx'] as const) {
    it(`${provider}: an image's escaped bytes go up as base64 inlineData (a byte that is not UTF-8 included)`, async () => {
      const answer = await ask(`${provider}/gemini-2.5-flash`, image(pngSignature));
      assert.equal(answer.choices[0].message.content, 'ok');
      assert.deepEqual(inlineParts(provider), [{ mimeType: 'image/png', data: pngSignatureBase64 }]);
    });

    it(`${provider}: a file's escaped bytes too (Latin-1 text; valid UTF-8 escapes as before)`, async () => {
      await ask(`${provider}/gemini-2.5-flash`, file('data:text/plain,caf%E9'));
      assert.deepEqual(inlineParts(provider), [{ mimeType: 'text/plain', data: latin1Cafe }]);
      await ask(`${provider}/gemini-2.5-flash`, file('data:text/plain,caf%C3%A9%20au%20lait'));
      assert.equal(Buffer.from(inlineParts(provider)[0].data, 'base64').toString('utf8'), 'café au lait');
    });

    it(`${provider}: a broken escape is a 400 naming the field, before any call`, async () => {
      for (const [part, param] of [
        [file('data:text/plain,100%'), 'messages[0].content[1].file.file_data'],
        [image('data:image/png,%8'), 'messages[0].content[1].image_url.url'],
        [image('data:image/png,%zzPNG'), 'messages[0].content[1].image_url.url'],
      ] as const) {
        await assert.rejects(ask(`${provider}/gemini-2.5-flash`, part), (error: unknown) => {
          assert.ok(error instanceof BadRequestError, String(error));
          assert.equal(error.status, 400);
          assert.equal((error.error as { param?: string }).param, param);
          assert.match(error.message, /percent-encoded bytes \(RFC 2397\)/);
          return true;
        });
      }
      assert.equal(running.upstream.requests.length, 0);
    });
  }

  it('ollama: the bytes base64-encoded in images, as its README says; a broken escape is a 400', async () => {
    await ask('oll/llava', image(pngSignature));
    const messages = lastBody(running.upstream, chatPaths.oll).messages as Array<{ images?: string[] }>;
    assert.deepEqual(messages[0].images, [pngSignatureBase64]);
    running.upstream.requests.length = 0;
    await assert.rejects(ask('oll/llava', image('data:image/png,%E9%')), (error: unknown) => error instanceof BadRequestError && (error.error as { param?: string }).param === 'messages[0].content[1].image_url.url');
    assert.equal(running.upstream.requests.length, 0);
  });

  it('anthropic: an escaped image is a base64 source; a text file is read in its charset', async () => {
    await ask('ant/claude-sonnet-4-5', image(pngSignature));
    let content = (lastBody(running.upstream, chatPaths.ant).messages as Array<{ content: Array<Record<string, unknown>> }>)[0].content;
    assert.deepEqual(content[1], { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngSignatureBase64 } });
    await ask('ant/claude-sonnet-4-5', file('data:text/plain;charset=iso-8859-1,caf%E9'));
    content = (lastBody(running.upstream, chatPaths.ant).messages as Array<{ content: Array<Record<string, unknown>> }>)[0].content;
    assert.deepEqual(content[1], { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'café' }, title: 'notes.txt' });
  });

  it('bedrock: an escaped image and document go up as their bytes', async () => {
    await ask('br/us.anthropic.claude-sonnet-4-5-20250929-v1:0', image(pngSignature));
    let content = (lastBody(running.upstream, chatPaths.br).messages as Array<{ content: Array<Record<string, unknown>> }>)[0].content;
    assert.deepEqual(content[1], { image: { format: 'png', source: { bytes: pngSignatureBase64 } } });
    await ask('br/us.anthropic.claude-sonnet-4-5-20250929-v1:0', file('data:text/plain,caf%E9'));
    content = (lastBody(running.upstream, chatPaths.br).messages as Array<{ content: Array<Record<string, unknown>> }>)[0].content;
    assert.deepEqual(content[1], { document: { format: 'txt', name: 'notes', source: { bytes: latin1Cafe } } });
  });

  it('no gateway 500 for any of them (the ledger and metrics would count the client\'s mistake as the gateway\'s)', async () => {
    for (const model of ['gem/gemini-2.5-flash', 'vtx/gemini-2.5-flash', 'oll/llava', 'ant/claude-sonnet-4-5', 'br/us.anthropic.claude-sonnet-4-5-20250929-v1:0']) {
      for (const part of [image('data:image/png,%'), file('data:text/plain,%GG')]) {
        await assert.rejects(ask(model, part), (error: unknown) => error instanceof BadRequestError && error.status === 400);
      }
    }
  });
});
