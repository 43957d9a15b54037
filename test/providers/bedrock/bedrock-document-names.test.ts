import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { chatPaths, lastBody, startMultiProviderGateway, type MultiProviderGateway } from '../multi-provider-stand-in.ts';

/**
 * Converse's DocumentBlock.name: alphanumerics, single whitespace, hyphens, parentheses and square
 * brackets; "Minimum length of 1. Maximum length of 200" (AWS API reference, DocumentBlock); and no
 * name twice anywhere in `messages` ("ValidationException: Messages can't contain duplicate document
 * names"). Converse is stateless, so a chat's whole history goes up every turn: a file attached twice
 * broke every later turn, and a long filename every call (the multimodal audit's finding 3). Names
 * are now made unique across the request (`-2`, `-3`, … in the order the documents come, so a turn's
 * names stay the same in every later turn) and cut to 200 characters.
 */

const model = 'br/us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const pdf = 'data:application/pdf;base64,JVBERi0xLjQK';

/** What Converse accepts as a name, besides uniqueness. */
function acceptedByConverse(name: string): boolean {
  return name.length >= 1 && name.length <= 200 && /^[A-Za-z0-9\s\-()[\]]+$/.test(name) && !/\s\s/.test(name);
}

describe('Bedrock document names: unique across the request and at most 200 characters (Converse refuses both)', () => {
  let running: MultiProviderGateway;
  before(async () => {
    running = await startMultiProviderGateway();
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
  });
  after(() => running.close());

  const file = (filename: string | undefined) => ({ type: 'file' as const, file: filename === undefined ? { file_data: pdf } : { file_data: pdf, filename } });

  /** Sends `messages` through the openai SDK and returns the document names Bedrock got, in order. */
  async function namesSent(messages: ChatCompletionMessageParam[]): Promise<string[]> {
    await running.openai.chat.completions.create({ model, messages });
    const turns = lastBody(running.upstream, chatPaths.br).messages as Array<{ content: Array<{ document?: { name: string } }> }>;
    const names = turns.flatMap((turn) => turn.content.flatMap((block) => (block.document ? [block.document.name] : [])));
    for (const name of names) assert.ok(acceptedByConverse(name), `'${name}' breaks Converse's name rule`);
    assert.equal(new Set(names.map((name) => name.toLowerCase())).size, names.length, `duplicate names: ${JSON.stringify(names)}`);
    return names;
  }

  it('the same file attached again in a later turn gets -2, and keeps every name as the chat goes on', async () => {
    const turn1: ChatCompletionMessageParam[] = [
      { role: 'user', content: [file('report.pdf'), { type: 'text', text: 'Summarise.' }] },
      { role: 'assistant', content: 'A summary.' },
      { role: 'user', content: [file('report.pdf'), { type: 'text', text: 'The fixed one.' }] },
    ];
    assert.deepEqual(await namesSent(turn1), ['report', 'report-2']);
    // The next turn replays the history as it was, so its documents keep their names.
    const turn2: ChatCompletionMessageParam[] = [...turn1, { role: 'assistant', content: 'Noted.' }, { role: 'user', content: [file('report.pdf'), file(undefined), { type: 'text', text: 'Again.' }] }];
    assert.deepEqual(await namesSent(turn2), ['report', 'report-2', 'report-3', 'document-4']);
  });

  it('two parts of one message, and names the cleaning makes equal, are told apart', async () => {
    assert.deepEqual(await namesSent([{ role: 'user', content: [file('report.pdf'), file('report.pdf'), { type: 'text', text: 'Compare.' }] }]), ['report', 'report-2']);
    assert.deepEqual(await namesSent([{ role: 'user', content: [file('a_b.pdf'), file('a.b.pdf'), file('A_B.pdf'), { type: 'text', text: 'Compare.' }] }]), ['a-b', 'a-b-2', 'A-B-3']);
    // A name a client chose that a suffix would make: the next free one.
    assert.deepEqual(await namesSent([{ role: 'user', content: [file('x.pdf'), file('x-2.pdf'), file('x.pdf'), { type: 'text', text: 'Compare.' }] }]), ['x', 'x-2', 'x-3']);
    // Untitled documents as before (document-<n>), distinct from a file of that name.
    assert.deepEqual(await namesSent([{ role: 'user', content: [file('document-2.pdf'), file(undefined), { type: 'text', text: 'Compare.' }] }]), ['document-2', 'document-2-2']);
  });

  it('a name over 200 characters is cut to 200, its suffix kept within them', async () => {
    const long = `${'quarterly export '.repeat(15)}final.pdf`;
    const names = await namesSent([{ role: 'user', content: [file(long), file(long), { type: 'text', text: 'Compare.' }] }]);
    assert.equal(names[0].length <= 200, true);
    assert.equal(names[0], long.replace(/\.pdf$/, '').slice(0, 200).trimEnd());
    assert.equal(names[1].length <= 200, true);
    assert.match(names[1], /-2$/);
    assert.equal(names[1].slice(0, -2), long.slice(0, 198).trimEnd());
  });

  it('an Anthropic client\'s documents (titled, in a tool result and the turns) get the same names', async () => {
    const document = (title: string) => ({ type: 'document' as const, source: { type: 'base64' as const, media_type: 'application/pdf' as const, data: 'JVBERi0xLjQK' }, title });
    await running.anthropic.messages.create({
      model,
      max_tokens: 20,
      messages: [
        { role: 'user', content: [document('report.pdf'), { type: 'text', text: 'Read it.' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'fetch', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'fetched' }, document('report.pdf')] }, { type: 'text', text: 'And this one.' }] },
      ],
      tools: [{ name: 'fetch', input_schema: { type: 'object' } }],
    });
    const turns = lastBody(running.upstream, chatPaths.br).messages as Array<{ content: Array<Record<string, unknown>> }>;
    const names = JSON.stringify(turns).match(/"name":"report[^"]*"/g);
    assert.deepEqual(names, ['"name":"report"', '"name":"report-2"']);
  });
});
