import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { assertOpenAIError, postJson } from '../../prompt-api/chat-stand-in.ts';
import { compileBlockedTerms } from '../../../src/plugins/content-rules/blocked-terms.ts';

const keys = { free: 'tg-free-key', pro: 'tg-pro-key', vip: 'tg-vip-key', none: 'tg-none-key' };

function blocks(terms: string[], text: string): boolean {
  return compileBlockedTerms(terms)!.test(text);
}

describe('content-rules: blocked terms (unit)', () => {
  it('whole words only, any case', () => {
    assert.equal(blocks(['falcon'], 'Project FALCON is late'), true);
    assert.equal(blocks(['falcon'], 'falconry is a hobby'), false);
    assert.equal(blocks(['falcon'], 'the peregrine-falcon.'), true);
  });
  it('after Unicode normalization: accents, full-width letters, zero-width characters, ligatures', () => {
    assert.equal(blocks(['cafe noir'], 'Un CAFÉ   noir, merci'), true);
    assert.equal(blocks(['falcon'], 'ｆａｌｃｏｎ'), true);
    assert.equal(blocks(['falcon'], 'fal\u200Bcon'), true);
    assert.equal(blocks(['office'], 'the ﬃce... no: the oﬃce'), true);
    assert.equal(blocks(['naïve'], 'a naive plan'), true);
  });
  it('terms in scripts without spaces match inside text; regex characters are literal', () => {
    assert.equal(blocks(['机密'], '这是机密文件'), true);
    assert.equal(blocks(['c++'], 'I write C++ daily'), true);
    assert.equal(blocks(['a.b'], 'axb'), false);
    assert.equal(blocks(['über'], 'ÜBER alles'), true);
  });
  it('dashes and spaces that look alike are one: non-breaking hyphen, en dash, minus sign, full-width hyphen, no-break space', () => {
    for (const dash of ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\uFE63', '\uFF0D']) assert.equal(blocks(['internal-only'], `an internal${dash}only memo`), true, `U+${dash.codePointAt(0)!.toString(16)}`);
    assert.equal(blocks(['internal\u2011only'], 'an internal-only memo'), true, 'the term is folded the same way');
    for (const space of ['\u00A0', '\u2007', '\u202F', '\u3000']) assert.equal(blocks(['project falcon'], `project${space}falcon`), true);
    assert.equal(blocks(['ｉｎｔｅｒｎａｌ－ｏｎｌｙ'], 'internal-only'), true);
    assert.equal(blocks(['internal-only'], 'internal only'), true, 'a hyphen between words is a separator like any other');
  });
});

describe('content-rules through the real gateway', () => {
  let gw: RunningGateway;
  let client: OpenAI;
  const url = () => `${gw.baseURL}/chat/completions`;
  const chat = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'echo/x', messages: [{ role: 'user', content }], ...extra });

  before(async () => {
    gw = await startGateway(
      [
        'routes:',
        '  - match: { model: "echo/meta*" }',
        '    plugins:',
        '      content-rules:',
        '        required_metadata: [project, { header: x-cost-center, pattern: "cc-[0-9]+" }]',
        'plugins:',
        '  key-auth:',
        '    keys:',
        `      - { key: ${keys.free}, consumer: fred, metadata: { tier: free } }`,
        `      - { key: ${keys.pro}, consumer: paula, metadata: { tier: pro } }`,
        `      - { key: ${keys.vip}, consumer: victor, metadata: { tier: free } }`,
        `      - { key: ${keys.none}, consumer: nora }`,
        '  content-rules:',
        '    max_messages: 4',
        '    max_characters: 400',
        '    blocked_terms: ["project falcon", "internal-only"]',
        '    denied_models: ["echo/forbidden*"]',
        '    default_tier: free',
        '    tiers:',
        '      free: { allowed_models: ["echo/x", "echo/small*", "echo/meta*"], max_prompt_tokens: 40 }',
        '      pro: { max_characters: 2000 }',
        '    consumers:',
        '      victor: { max_prompt_tokens: 200, allowed_models: ["echo/*"] }',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: keys.free, maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
  });

  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  it('lets a conforming request through', async () => {
    const answer = await client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content: 'hello there' }] });
    assert.equal(answer.choices[0].message.content, 'hello there');
  });

  it('blocked term: 400 content_policy_violation naming the rule, never the term or the text', async () => {
    const result = await postJson(url(), chat('Status of PROJECT   Falcon?'), as(keys.pro));
    const message = assertOpenAIError(result, 400, 'invalid_request_error', 'content_policy_violation');
    assert.match(message, /'blocked_terms'/);
    assert.doesNotMatch(message, /falcon/i);
    // In a system message too (blocked_terms_roles: all), and not inside a longer word.
    assertOpenAIError(await postJson(url(), { model: 'echo/x', messages: [{ role: 'system', content: 'INTERNAL-ONLY notes' }, { role: 'user', content: 'hi' }] }, as(keys.pro)), 400, 'invalid_request_error', 'content_policy_violation');
    assert.equal((await postJson(url(), chat('project falconry club'), as(keys.pro))).status, 200);
  });

  it('SDK sees a 400 APIError with the code', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content: 'project falcon' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'content_policy_violation');
      return true;
    });
  });

  it('max_messages, max_characters and max_prompt_tokens per tier and consumer', async () => {
    const five = { model: 'echo/x', messages: Array.from({ length: 5 }, () => ({ role: 'user', content: 'x' })) };
    const messages = assertOpenAIError(await postJson(url(), five, as(keys.pro)), 400, 'invalid_request_error', 'content_policy_violation');
    assert.match(messages, /'max_messages': 5 messages, at most 4/);
    // free tier: 40 estimated tokens.
    const long = 'word '.repeat(60);
    assert.match(assertOpenAIError(await postJson(url(), chat(long), as(keys.free)), 400, 'invalid_request_error', 'content_policy_violation'), /'max_prompt_tokens'.*tier 'free'/);
    // victor is free-tier but his consumer rule allows 200 tokens; the top-level 400 characters still apply.
    assert.equal((await postJson(url(), chat(long), as(keys.vip))).status, 200);
    assert.match(assertOpenAIError(await postJson(url(), chat('y'.repeat(401)), as(keys.vip)), 400, 'invalid_request_error', 'content_policy_violation'), /'max_characters': 401 characters/);
    // pro: no token limit, 2000 characters; characters are code points (an emoji is one).
    assert.equal((await postJson(url(), chat('😀'.repeat(1500)), as(keys.pro))).status, 200);
    assert.match(assertOpenAIError(await postJson(url(), chat('😀'.repeat(2001)), as(keys.pro)), 400, 'invalid_request_error', 'content_policy_violation'), /2001 characters/);
  });

  it('allowed and denied models per tier: deny wins; callers without a tier get default_tier', async () => {
    assert.match(assertOpenAIError(await postJson(url(), { ...chat('hi'), model: 'echo/big' }, as(keys.free)), 400, 'invalid_request_error', 'content_policy_violation'), /'allowed_models'.*'echo\/big'.*tier 'free'/);
    assert.equal((await postJson(url(), { ...chat('hi'), model: 'echo/small-1' }, as(keys.free))).status, 200);
    assert.equal((await postJson(url(), { ...chat('hi'), model: 'echo/big' }, as(keys.pro))).status, 200);
    assert.equal((await postJson(url(), { ...chat('hi'), model: 'echo/big' }, as(keys.vip))).status, 200);
    const denied = await postJson(url(), { ...chat('hi'), model: 'echo/forbidden-1' }, as(keys.vip));
    assert.match(assertOpenAIError(denied, 400, 'invalid_request_error', 'content_policy_violation'), /'denied_models'/);
    assert.equal(denied.json.error.param, 'model');
    assertOpenAIError(await postJson(url(), { ...chat('hi'), model: 'echo/big' }, as(keys.none)), 400, 'invalid_request_error', 'content_policy_violation');
  });

  it('authentication runs first: no key is 401, not a content rule', async () => {
    const result = await postJson(url(), chat('project falcon'));
    assert.equal(result.status, 401);
  });

  it('required metadata: body metadata key, or a header matching a pattern', async () => {
    const missing = await postJson(url(), { ...chat('hi'), model: 'echo/meta', metadata: {} }, { ...as(keys.pro), 'x-cost-center': 'cc-1' });
    assert.match(assertOpenAIError(missing, 400, 'invalid_request_error', 'content_policy_violation'), /'required_metadata': metadata.project is required/);
    assert.equal(missing.json.error.param, 'metadata.project');
    const badHeader = await postJson(url(), { ...chat('hi'), model: 'echo/meta', metadata: { project: 'apollo' } }, { ...as(keys.pro), 'x-cost-center': 'marketing' });
    assert.match(assertOpenAIError(badHeader, 400, 'invalid_request_error', 'content_policy_violation'), /header x-cost-center does not have an accepted value/);
    assert.doesNotMatch(badHeader.json.error.message, /marketing/);
    const ok = await postJson(url(), { ...chat('hi'), model: 'echo/meta', metadata: { project: 'apollo' } }, { ...as(keys.pro), 'x-cost-center': 'cc-42' });
    assert.equal(ok.status, 200);
  });

  it('required metadata: a Responses request’s metadata counts', async () => {
    const responses = `${gw.baseURL}/responses`;
    const ok = await postJson(responses, { model: 'echo/meta', input: 'hi', metadata: { project: 'apollo' } }, { ...as(keys.pro), 'x-cost-center': 'cc-42' });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    assert.deepEqual(ok.json.metadata, { project: 'apollo' });
    const missing = await postJson(responses, { model: 'echo/meta', input: 'hi', metadata: { other: 'x' } }, { ...as(keys.pro), 'x-cost-center': 'cc-42' });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.error.param, 'metadata.project');
  });

  it('blocked terms are looked for in what the model reads: a message’s text parts together, joined as providers join them', async () => {
    const parts = (...texts: string[]) => ({ model: 'echo/x', messages: [{ role: 'user', content: texts.map((text) => ({ type: 'text', text })) }] });
    for (const split of [['see project ', 'falcon'], ['see proj', 'ect falcon'], ['see project', 'falcon'], ['an internal-', 'only memo']]) {
      const result = await postJson(url(), parts(...split), as(keys.pro));
      assert.match(assertOpenAIError(result, 400, 'invalid_request_error', 'content_policy_violation'), /'blocked_terms'/, JSON.stringify(split));
    }
    // Joining adds no word the parts do not make: no false positive, and separate messages stay separate.
    assert.equal((await postJson(url(), parts('project', 'falconry club'), as(keys.pro))).status, 200);
    assert.equal((await postJson(url(), { model: 'echo/x', messages: [{ role: 'user', content: 'see project' }, { role: 'assistant', content: 'falcon?' }, { role: 'user', content: 'no' }] }, as(keys.pro))).status, 200);
  });

  it('a non-breaking hyphen does not get past a blocked term', async () => {
    assertOpenAIError(await postJson(url(), chat('an internal\u2011only memo'), as(keys.pro)), 400, 'invalid_request_error', 'content_policy_violation');
  });

  it('a default_tier that is not a tier is refused at load', async () => {
    await assert.rejects(startGateway('plugins: { content-rules: { default_tier: gold } }'), (error: unknown) => /default_tier/.test(String((error as { problems?: string[] }).problems ?? error)));
  });
});

// Patterns and globs an operator wrote are matched against what a client sends (a header, the
// model name): neither may take the gateway's thread for long, whatever the pattern.
describe('content-rules: operator patterns against client input run in linear time', () => {
  let gw: RunningGateway;

  before(async () => {
    gw = await startGateway(
      [
        'plugins:',
        '  content-rules:',
        '    required_metadata: [{ header: x-cost-center, pattern: "cc-([a-z0-9]+-?)+" }]',
        '    denied_models: ["*-*-*-*-preview"]',
      ].join('\n'),
    );
  });
  after(async () => {
    await gw.close();
  });

  async function timed(model: string, costCenter: string): Promise<{ status: number; ms: number }> {
    const started = performance.now();
    const result = await postJson(`${gw.baseURL}/chat/completions`, { model, messages: [{ role: 'user', content: 'hi' }] }, { 'x-cost-center': costCenter });
    return { status: result.status, ms: performance.now() - started };
  }

  // Backtracking: `cc-([a-z0-9]+-?)+` against cc-aaa…a! doubles its time per character (seconds at 28).
  it('required_metadata: a pathological header value is refused at once', async () => {
    const refused = await timed('echo/x', `cc-${'a'.repeat(29)}!`);
    assert.equal(refused.status, 400);
    assert.ok(refused.ms < 1500, `took ${refused.ms.toFixed(0)} ms`);
    assert.equal((await timed('echo/x', 'cc-emea-42')).status, 200);
  });

  // As a RegExp, `^.*-.*-.*-.*-preview$` takes seconds on a name of 250 dashes (model names are at most 256 characters).
  it('denied_models globs: a pathological model name is matched at once', async () => {
    const allowed = await timed(`echo/${'-'.repeat(250)}`, 'cc-1');
    assert.equal(allowed.status, 200);
    assert.ok(allowed.ms < 1500, `took ${allowed.ms.toFixed(0)} ms`);
    assert.equal((await timed('echo/a-b-c-d-preview', 'cc-1')).status, 400);
  });

  it('a pattern RE2 cannot run is refused at load, naming its place in the config', async () => {
    const problems = (error: unknown) => String((error as { problems?: string[] }).problems ?? error);
    await assert.rejects(startGateway('plugins: { content-rules: { required_metadata: [{ header: x-a, pattern: "(?!test)[a-z]+" }] } }'), (error) => /plugins\.content-rules\.required_metadata\[0\]\.pattern: uses lookahead.*RE2/s.test(problems(error)));
    await assert.rejects(startGateway('plugins: { content-rules: { required_metadata: [x, { header: x-a, pattern: "(a)\\\\1" }] } }'), (error) => /required_metadata\[1\]\.pattern: uses a backreference/.test(problems(error)));
    await assert.rejects(startGateway('plugins: { content-rules: { required_metadata: [{ header: x-a, pattern: "a(" }] } }'), (error) => /required_metadata\[0\]\.pattern: is not a valid regular expression/.test(problems(error)));
  });
});
