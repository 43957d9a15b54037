import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { chatCompletion } from '../../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { assertScalesLinearly, repeated } from '../../helpers/assert-linear.ts';
import { compileBlockedTerms } from '../../../src/plugins/content-rules/blocked-terms.ts';

/**
 * Blocked terms written so the model still reads them, from a blind audit (guardrails-5: F6, F7)
 * and the gaps earlier audits left documented: JSON `\u` escapes in tool-call arguments (Python's
 * `ensure_ascii`), URL-encoded separators, one short upside-down word, leetspeak, letter-spaced
 * words and base64. Each refusal is the documented 400 with nothing forwarded; the auditor's
 * documented exclusions and ordinary text with digits, initials, phonetic symbols and base64 pass.
 */
function reply(_request: RecordedRequest, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(chatCompletion('gpt-4o-mini', 'ok')));
}

const terms = ['project falcon', 'internal-only', 'bluebird', 'zephyr-9', 'café royal'];
const base64 = (text: string) => Buffer.from(text).toString('base64');
/** Python's `json.dumps` default: every character past ASCII as a `\uXXXX` escape. */
const asciiJson = (value: unknown) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe('content-rules: escaped, encoded, turned, leetspeak and spelled-out terms (unit)', () => {
  const blocked = compileBlockedTerms(terms)!;

  it('runs in linear time on inputs made to make the new readings backtrack', () => {
    const scan = (text: string) => blocked.test(text);
    const units = ['p r o j e c t ', 'p.r.o.j.', 'b l u e b i r ', 'pr0j3c7 ', 'b1u3b1', '1 1 ', 'cHJvamVj', 'project\\u0020', 'project%20', 'pɹıqǝ', 'i-n-t-e-r-n-a-l - '];
    for (const unit of units) assertScalesLinearly(scan, repeated(unit), JSON.stringify(unit));
  });
});

describe('content-rules: terms the model reads through escapes, encodings and spellings', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let openai: OpenAI;

  before(async () => {
    upstream = await startStandIn(reply);
    gateway = await startGateway(
      [
        'providers:',
        `  oai: { type: openai-compatible, api_key: oai-key, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "cr" }',
        '    model: oai/gpt-4o-mini',
        `    plugins: { content-rules: { blocked_terms: ${JSON.stringify(terms)} } }`,
      ].join('\n'),
    );
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  /** The documented refusal: 400 `content_policy_violation` naming the rule, never the term; nothing forwarded. */
  async function refused(call: Promise<unknown>, label: string): Promise<void> {
    const error = await call.then(
      () => assert.fail(`${label}: the request was forwarded`),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof OpenAI.APIError, `${label}: ${String(error)}`);
    assert.equal(error.status, 400, label);
    const detail = error.error as { type?: string; code?: string; message?: string };
    assert.equal(detail.type, 'invalid_request_error', label);
    assert.equal(detail.code, 'content_policy_violation', label);
    assert.match(detail.message ?? '', /content rule 'blocked_terms'/, label);
    assert.doesNotMatch(detail.message ?? '', /falcon|bluebird|internal|zephyr|caf/i, label);
    assert.equal(upstream.requests.length, 0, `${label}: nothing reaches the provider`);
  }

  async function passes(call: Promise<unknown>, label: string): Promise<void> {
    upstream.requests.length = 0;
    await call.catch((error: unknown) => assert.fail(`${label}: refused (${String(error)})`));
    assert.equal(upstream.requests.length, 1, `${label}: reaches the provider`);
  }

  const chat = (content: string) => openai.chat.completions.create({ model: 'cr', messages: [{ role: 'user', content }] });
  /** An assistant's tool call in the history with these arguments, and its result. */
  const toolCall = (argumentsText: string) =>
    openai.chat.completions.create({
      model: 'cr',
      messages: [
        { role: 'user', content: 'look it up' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: argumentsText } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'none' },
      ],
    });

  it('F6: tool-call arguments are read value by value after JSON parsing: `\\u` escapes, Python ensure_ascii', async () => {
    await refused(toolCall('{"q":"project \\u0066alcon"}'), 'a \\u escape of a letter');
    await refused(toolCall(asciiJson({ q: 'a table at the café royal' })), 'an accented term from ensure_ascii JSON');
    await refused(toolCall('{"filters":{"tags":["x","blue\\u0062ird"]}}'), 'a nested value');
    await refused(toolCall('{"query":"project\\nfalcon"}'), 'a JSON line break between the words');
    await passes(toolCall('{"q":"project","r":"falcon"}'), 'two values are read apart, as tool definitions are');
    await passes(toolCall(asciiJson({ q: 'un café, s\u2019il vous plaît' })), 'ordinary ensure_ascii JSON');
  });

  it('F6: URL-encoded separators are read as pii reads them (%20, %2D, %5F); a digit or a longer word still parts', async () => {
    await refused(chat('see /wiki/project%20falcon'), '%20');
    await refused(chat('see /wiki/project%2Dfalcon and /wiki/x'), '%2D');
    await refused(chat('GET /docs?page=internal%5Fonly'), '%5F');
    await passes(chat('see /wiki/project%207%20falcon and /wiki/project%20falconry'), 'a digit between the words, a longer word');
  });

  it('F7: a single short upside-down word is read; phonetic symbols in ordinary text pass', async () => {
    await refused(chat('pɹıqǝnlq'), 'bluebird turned');
    await refused(chat('the memo is pɹıqǝnlq, ok?'), 'bluebird turned, in a sentence');
    await passes(chat('In IPA, "red" is /ɹɛd/, "but" is /bʌt/ and "about" is /əˈbaʊt/.'), 'IPA transcriptions');
  });

  it('leetspeak: digits and symbols for a term’s letters; numbers, codes and colours pass', async () => {
    await refused(chat('status of pr0j3ct f4lc0n?'), 'pr0j3ct f4lc0n');
    await refused(chat('the bl_u_e_b1rd memo'), 'bl_u_e_b1rd');
    await refused(chat('an 1nt3rn4l-0nly doc'), '1nt3rn4l-0nly');
    await refused(chat('z3phyr-9 launch'), 'z3phyr-9');
    await passes(chat('Ship 4 units by 7pm: GPT-4o, h264 at 1080p, colour #b1ebd1, build 8e1d3, see RFC 9110.'), 'numbers, codes and colours');
  });

  it('letter-spaced words: the same gap between every two letters; a longer spelling and initials pass', async () => {
    await refused(chat('p r o j e c t  f a l c o n'), 'spaces');
    await refused(chat('is b.l.u.e.b.i.r.d ready?'), 'dots');
    await refused(chat('i-n-t-e-r-n-a-l o-n-l-y'), 'hyphens');
    await refused(chat('see p r o j e c t falcon'), 'one word spelled out');
    await passes(chat('b l u e b i r d s, and s u b p r o j e c t  f a l c o n'), 'a longer spelling');
    await passes(chat('J. R. R. Tolkien wrote it; compare a, b, c and x + y + z, I/O and A/B tests.'), 'initials and lists');
  });

  it('base64: a token on its own that decodes to text with a term; other base64 and CamelCase names pass', async () => {
    await refused(chat(`decode: ${base64('project falcon')}`), 'a standalone token');
    await refused(chat(`config value="${base64('the bluebird launch plan')}"`), 'a quoted token');
    await refused(toolCall(JSON.stringify({ blob: base64('notes: internal-only') })), 'a token in tool-call arguments');
    await passes(chat(`decode ${base64('hello world, nothing to see')} and call getElementById or PowerShell`), 'other base64, CamelCase');
  });

  it('the auditor’s documented exclusions still pass', async () => {
    const create = (body: Record<string, unknown>) => openai.chat.completions.create({ model: 'cr', ...body } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
    const user = (content: string) => [{ role: 'user', content }];
    await passes(create({ messages: user('I enjoy falconry and project management') }), 'falconry');
    await passes(create({ messages: user('the projection falcon model') }), 'projection falcon');
    await passes(create({ messages: user('bluebirds are pretty') }), 'plural');
    await passes(create({ messages: user('project falcons') }), 'plural of a phrase');
    await passes(create({ messages: user('We closed the project. Falcon season starts.') }), 'sentence break');
    await passes(create({ messages: [{ role: 'user', content: 'project' }, { role: 'user', content: 'falcon' }] }), 'separate user messages');
    await passes(create({ messages: [{ role: 'user', content: [{ type: 'text', text: 'summarize' }, { type: 'file', file: { filename: 'a.txt', file_data: `data:application/octet-stream;base64,${base64('bluebird')}` } }] }] }), 'octet-stream file');
    await passes(create({ messages: user('hi'), prediction: { type: 'content', content: 'bluebird' } }), 'prediction');
    await passes(create({ messages: user('hi'), metadata: { x: 'bluebird' }, store: true }), 'metadata');
  });
});
