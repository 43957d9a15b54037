import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { BadRequestError } from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { anthropicMessage } from './checking-anthropic-stand-in.ts';

/**
 * Files (`input_file` of the Responses API, `file` parts of chat) to Claude: Anthropic's document
 * block takes a base64 source for PDFs only (`Base64PDFSource.media_type: "application/pdf"`) and
 * plain text as a `text` source (`PlainTextSource: {type: "text", media_type: "text/plain",
 * data}`), so a text file goes as its decoded text, and a type Claude does not read is refused by
 * the gateway with a 400 naming the part, before any call (the blind Responses audit's F8). The
 * stand-in holds the gateway to those two source shapes. Bedrock (Converse's document formats) and
 * Gemini (inlineData with the file's MIME type) take the same files as they came.
 */

type Document = { type: string; source?: { type?: string; media_type?: string; data?: unknown }; title?: string };

/** Anthropic's 400 for a document source it does not take, or null. */
function documentRefusal(body: { messages: Array<{ content: string | Document[] }> }): string | null {
  for (const [index, message] of body.messages.entries()) {
    for (const block of typeof message.content === 'string' ? [] : message.content) {
      if (block.type !== 'document') continue;
      const source = block.source ?? {};
      if (source.type === 'base64' && source.media_type !== 'application/pdf') return `messages.${index}.content.0.document.source.base64.media_type: Input should be 'application/pdf'`;
      if (source.type === 'text' && (source.media_type !== 'text/plain' || typeof source.data !== 'string')) return `messages.${index}.content.0.document.source.text: media_type should be 'text/plain', data a string`;
    }
  }
  return null;
}

function dataUrl(mediaType: string, text: string): string {
  return `data:${mediaType};base64,${Buffer.from(text, 'utf8').toString('base64')}`;
}

const csv = 'name,age\nAda,36\n';
const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('files to Claude: text as a text document, PDF as base64, other types a 400 from the gateway (Responses and chat clients)', () => {
  let anthropic: StandIn;
  let bedrock: StandIn;
  let gemini: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    anthropic = await startStandIn((request: RecordedRequest, response: ServerResponse) => {
      const refusal = documentRefusal(request.json as Parameters<typeof documentRefusal>[0]);
      response.writeHead(refusal === null ? 200 : 400, { 'content-type': 'application/json' });
      response.end(JSON.stringify(refusal === null ? anthropicMessage('Read it.', 'claude-sonnet-4-5') : { type: 'error', error: { type: 'invalid_request_error', message: refusal } }));
    });
    bedrock = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: 'Read it.' }] } }, stopReason: 'end_turn', usage: { inputTokens: 9, outputTokens: 3, totalTokens: 12 }, metrics: { latencyMs: 50 } }));
    });
    gemini = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'Read it.' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 3, totalTokenCount: 12 } }));
    });
    gateway = await startGateway('{}', {
      ANTHROPIC_API_KEY: 'anthropic-upstream-key',
      ANTHROPIC_BASE_URL: anthropic.url,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_REGION: 'us-east-1',
      BEDROCK_BASE_URL: bedrock.url,
      GEMINI_API_KEY: 'gemini-upstream-key',
      GEMINI_BASE_URL: gemini.url,
    });
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    anthropic.requests.length = 0;
    bedrock.requests.length = 0;
    gemini.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await anthropic.close();
    await bedrock.close();
    await gemini.close();
  });

  const askAbout = (model: string, fileData: string, filename: string) =>
    client.responses.create({ model, input: [{ role: 'user', content: [{ type: 'input_text', text: 'Summarise the file.' }, { type: 'input_file', file_data: fileData, filename }] }] });

  /** The document block the stand-in got. */
  function sentDocument(): Document {
    const [message] = (anthropic.requests.at(-1)?.json as { messages: Array<{ content: Document[] }> }).messages;
    return message.content.find((block) => block.type === 'document')!;
  }

  for (const [mediaType, text, filename] of [
    ['text/plain', 'Ada Lovelace wrote the first program.\n', 'notes.txt'],
    ['text/csv', csv, 'people.csv'],
    ['text/markdown', '# Notes\n\n- café ☕\n', 'notes.md'],
    ['application/json', '{"name":"Ada","age":36}', 'person.json'],
  ]) {
    it(`Responses input_file ${mediaType}: a text document holding the decoded text`, async () => {
      const answer = await askAbout('anthropic/claude-sonnet-4-5', dataUrl(`${mediaType};charset=utf-8`, text), filename);
      assert.equal(answer.output_text, 'Read it.');
      assert.deepEqual(sentDocument(), { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, title: filename });
    });
  }

  it('a PDF still goes as a base64 document', async () => {
    const pdf = 'JVBERi0xLjQKJcfsj6IKMSAwIG9iago8PD4+CmVuZG9iagp0cmFpbGVyCjw8Pj4KJSVFT0YK';
    await askAbout('anthropic/claude-sonnet-4-5', `data:application/pdf;base64,${pdf}`, 'paper.pdf');
    assert.deepEqual(sentDocument(), { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf }, title: 'paper.pdf' });
  });

  it('a chat client\'s file part (a percent-encoded text data URL too) goes the same way', async () => {
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise.' }, { type: 'file', file: { file_data: 'data:text/plain,caf%C3%A9%20au%20lait', filename: 'order.txt' } }] }] });
    assert.deepEqual(sentDocument(), { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'café au lait' }, title: 'order.txt' });
  });

  it('a DOCX is refused by the gateway with 400 naming the part and what Claude reads, before any call', async () => {
    await assert.rejects(askAbout('anthropic/claude-sonnet-4-5', dataUrl(docx, 'PK\u0003\u0004'), 'report.docx'), (error: unknown) => {
      assert.ok(error instanceof BadRequestError);
      const body = error.error as { param?: string; message?: string };
      assert.equal(body.param, 'messages[0].content[1].file.file_data');
      assert.match(String(body.message), /PDF \(application\/pdf\) and text \(text\/\*, application\/json/);
      assert.match(String(body.message), new RegExp(docx.replace(/\./g, '\\.')));
      return true;
    });
    assert.equal(anthropic.requests.length, 0);
  });

  it('Bedrock takes the same files as Converse documents in their own formats (txt, csv, md, docx)', async () => {
    for (const [mediaType, format] of [['text/plain', 'txt'], ['text/csv', 'csv'], ['text/markdown', 'md'], [docx, 'docx']]) {
      await askAbout('bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0', dataUrl(mediaType, csv), 'people.file');
      const [message] = (bedrock.requests.at(-1)?.json as { messages: Array<{ content: Array<{ document?: { format: string; source: { bytes: string } } }> }> }).messages;
      const document = message.content.find((block) => block.document !== undefined)?.document;
      assert.deepEqual(document?.format, format);
      assert.equal(Buffer.from(String(document?.source.bytes), 'base64').toString('utf8'), csv);
    }
  });

  it('Gemini takes a text file as inlineData with its MIME type', async () => {
    await askAbout('gemini/gemini-2.5-flash', dataUrl('text/csv', csv), 'people.csv');
    const contents = (gemini.requests.at(-1)?.json as { contents: Array<{ parts: Array<{ inlineData?: { mimeType: string; data: string } }> }> }).contents;
    const inline = contents[0].parts.find((part) => part.inlineData !== undefined)?.inlineData;
    assert.equal(inline?.mimeType, 'text/csv');
    assert.equal(Buffer.from(String(inline?.data), 'base64').toString('utf8'), csv);
  });
});
