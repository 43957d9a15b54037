import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { BadRequestError } from 'openai';
import { chatPaths, lastBody, startMultiProviderGateway, type MultiProviderGateway } from './multi-provider-stand-in.ts';

/**
 * A file by URL: an Anthropic client's `document` with a `url` source (Claude fetches PDFs), which
 * the canonical model carries as `file.file_data` holding the URL, or an OpenAI chat client's
 * `file_data` URL. Gemini and Vertex get it as `fileData {fileUri, mimeType}`, as image URLs go
 * (inlineData.data is the file's base64 bytes: Google answered "Base64 decoding failed" on the URL
 * the gateway used to put there, the multimodal audit's finding 2). OpenAI's chat takes a file's
 * bytes or id only (`file_data`: "The base64 encoded file data"), so an Anthropic client's URL to
 * an `openai` provider is a 400 naming the field, before any call; an OpenAI-compatible service
 * (OpenRouter fetches PDFs by URL) gets it as written. Bedrock refuses it as before.
 */

const pdfUrl = 'https://docs.example.test/r.pdf';

describe('files by URL: fileData on Gemini and Vertex, refused before the call where the API takes no URL', () => {
  let running: MultiProviderGateway;
  before(async () => {
    running = await startMultiProviderGateway();
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
  });
  after(() => running.close());

  const documentByUrl = (model: string, url = pdfUrl) =>
    running.anthropic.messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'url', url } }, { type: 'text', text: 'Summarise.' }] }] });

  /** The parts of the last Gemini-format call. */
  function parts(provider: 'gem' | 'vtx'): Array<Record<string, unknown>> {
    return (lastBody(running.upstream, chatPaths[provider]).contents as Array<{ parts: Array<Record<string, unknown>> }>).flatMap((content) => content.parts);
  }

  for (const provider of ['gem', 'vtx'] as const) {
    it(`${provider}: an Anthropic client's document by URL goes up as fileData, typed application/pdf`, async () => {
      const message = await documentByUrl(`${provider}/gemini-2.5-flash`);
      assert.equal((message.content[0] as { text: string }).text, 'ok');
      assert.deepEqual(parts(provider)[0], { fileData: { mimeType: 'application/pdf', fileUri: pdfUrl } });
      assert.equal(JSON.stringify(parts(provider)).includes('inlineData'), false);
    });

    it(`${provider}: an OpenAI chat client's file_data URL too, its type from the URL or else the filename`, async () => {
      await running.openai.chat.completions.create({ model: `${provider}/gemini-2.5-flash`, messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: pdfUrl, filename: 'r.pdf' } }, { type: 'text', text: 'sum' }] }] });
      assert.deepEqual(parts(provider)[0], { fileData: { mimeType: 'application/pdf', fileUri: pdfUrl } });
      await running.openai.chat.completions.create({ model: `${provider}/gemini-2.5-flash`, messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'https://files.example.test/export?id=7', filename: 'rows.csv' } }] }] });
      assert.deepEqual(parts(provider)[0], { fileData: { mimeType: 'text/csv', fileUri: 'https://files.example.test/export?id=7' } });
      await running.openai.chat.completions.create({ model: `${provider}/gemini-2.5-flash`, messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'gs://bucket/notes.txt' } }] }] });
      assert.deepEqual(parts(provider)[0], { fileData: { mimeType: 'text/plain', fileUri: 'gs://bucket/notes.txt' } });
    });
  }

  it('gem: inline files still go as inlineData (a data URL, or raw base64 typed by the filename)', async () => {
    await running.openai.chat.completions.create({ model: 'gem/gemini-2.5-flash', messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } }, { type: 'file', file: { file_data: 'bmFtZQo=', filename: 'a.csv' } }] }] });
    assert.deepEqual(parts('gem'), [{ inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } }, { inlineData: { mimeType: 'text/csv', data: 'bmFtZQo=' } }]);
  });

  it("openai: an Anthropic client's document by URL is a 400 naming the field, before any call", async () => {
    await assert.rejects(documentByUrl('oai/gpt-4o'), (error: unknown) => {
      assert.ok(error instanceof Anthropic.BadRequestError, String(error));
      assert.match(error.message, /messages\[0\]\.content\[0\]\.file\.file_data/);
      assert.match(error.message, /not by URL/);
      return true;
    });
    assert.equal(running.upstream.requests.length, 0);
  });

  it('openai: an inline document still goes up as file_data; an OpenAI-compatible service gets the URL as written', async () => {
    await running.anthropic.messages.create({ model: 'oai/gpt-4o', max_tokens: 20, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }] }] });
    const sent = lastBody(running.upstream, chatPaths.oai).messages as Array<{ content: Array<{ type: string; file?: { file_data: string } }> }>;
    assert.equal(sent[0].content.find((part) => part.type === 'file')?.file?.file_data, 'data:application/pdf;base64,JVBERi0=');
    running.upstream.requests.length = 0;
    await documentByUrl('compat/some-model');
    const forwarded = lastBody(running.upstream, chatPaths.oai).messages as Array<{ content: Array<{ type: string; file?: { file_data: string } }> }>;
    assert.equal(forwarded[0].content.find((part) => part.type === 'file')?.file?.file_data, pdfUrl);
  });

  it('bedrock still refuses a URL before any call (it cannot fetch one), naming the field', async () => {
    await assert.rejects(
      running.openai.chat.completions.create({ model: 'br/us.anthropic.claude-sonnet-4-5-20250929-v1:0', messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: pdfUrl, filename: 'r.pdf' } }] }] }),
      (error: unknown) => error instanceof BadRequestError && (error.error as { param?: string }).param === 'messages[0].content[0].file.file_data',
    );
    assert.equal(running.upstream.requests.length, 0);
  });
});
