import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { anthropicMessage } from '../../helpers/anthropic-bodies.ts';
import { chatCompletion } from '../../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { assertScalesLinearly, repeated } from '../../helpers/assert-linear.ts';
import { compileBlockedTerms, joinReadApart, joinReadTogether } from '../../../src/plugins/content-rules/blocked-terms.ts';

/**
 * Blocked terms against what a blind audit (guardrails-4, M2 and H1) got past them under
 * `blocked_terms: ["project falcon", "internal-only"]`: markup between or inside words, other
 * joiners, look-alike letters, and surfaces that were not searched (tool definitions in all three
 * client formats, a message's name, a response format's schema, an assistant's refusal, thinking).
 * Each refusal is the documented 400 and nothing reaches the provider; ordinary text still passes.
 */
function reply(request: RecordedRequest, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  if (request.path.endsWith('/chat/completions')) response.end(JSON.stringify(chatCompletion('gpt-4o-mini', 'ok')));
  else response.end(JSON.stringify(anthropicMessage('ok', { input_tokens: 3, output_tokens: 1 })));
}

describe('content-rules: the blocked-term matching rule (unit)', () => {
  const blocks = (terms: string[], text: string): boolean => compileBlockedTerms(terms)!.test(text);

  it("a term's words match with any run of separators between them, or none; a sentence end parts them", () => {
    for (const text of ['project falcon', 'project  --  falcon', 'project::falcon', 'project 🦅 falcon', 'project\nfalcon', 'project, falcon', 'projectfalcon', 'my_project_falcon_notes']) assert.equal(blocks(['project falcon'], text), true, text);
    for (const text of ['project. Falcon', 'project! falcon', 'project? falcon', 'project; falcon', 'project 7 falcon', 'project x falcon']) assert.equal(blocks(['project falcon'], text), false, text);
    // Punctuation inside a term is a separator too; at its ends it is literal.
    assert.equal(blocks(['node.js'], 'I use nodejs'), true);
    assert.equal(blocks(['.env'], 'env vars'), false);
    assert.equal(blocks(['.env'], 'the .env file'), true);
    assert.equal(blocks(['c++'], 'c'), false);
  });

  it('a word boundary at each end: no match inside a longer word', () => {
    for (const text of ['projection falcon', 'project falconry', 'subprojectfalcon', 'projectfalconer', 'project falcon9']) assert.equal(blocks(['project falcon'], text), false, text);
    assert.equal(blocks(['falcon'], 'word**falcon'), true, 'markup ends a word');
  });

  it('markup is skipped inside and between words; a tag’s own text is still read', () => {
    for (const text of ['fal**con', '~~fal~~con', 'f`alc`on', 'fal<span class="x">con</span>', 'fal\u0007con', 'fal&shy;con', '&#102;alcon']) assert.equal(blocks(['falcon'], text), true, text);
    assert.equal(blocks(['project falcon'], '<div title="project falcon">x</div>'), true);
  });

  it('look-alike letters inside Latin words are read as Latin (capitals too); real Russian and Greek terms still match', () => {
    assert.equal(blocks(['project falcon'], 'PR\u041EJECT FALC\u039FN'), true);
    assert.equal(blocks(['секрет'], 'это секрет, project'), true);
    assert.equal(blocks(['секрет'], 'prоject секрет'), true, 'a mixed word elsewhere does not hide a Russian term');
    assert.equal(blocks(['project'], 'проект'), false);
  });

  it('texts read together join as either providers join them; texts read apart never make a term', () => {
    assert.equal(blocks(['project falcon'], joinReadTogether(['see proj', 'ect falcon'])), true);
    assert.equal(blocks(['project falcon'], joinReadTogether(['see project', 'falcon'])), true);
    assert.equal(blocks(['falcon'], joinReadTogether(['falcon', 'ry'])), true, 'Gemini reads a line break there');
    assert.equal(blocks(['project falcon'], joinReadTogether(['project', 'falconry'])), false);
    assert.equal(blocks(['project falcon'], joinReadApart(['project', 'falcon'])), false);
    assert.equal(blocks(['falcon'], joinReadApart(['a', 'falcon', 'b'])), true);
  });

  it('runs in linear time on inputs made to make it backtrack', () => {
    const blocked = compileBlockedTerms(['project falcon', 'internal-only', 'c++ code'])!;
    const scan = (text: string) => blocked.test(text);
    for (const unit of ['project ' + '*'.repeat(40), 'p*r*o*j*e*c*t*', 'project.-.-', '<b' + 'a'.repeat(60), 'pr\u043Eject ', 'internal;', '&#', 'c+']) assertScalesLinearly(scan, repeated(unit), JSON.stringify(unit));
  });
});

const terms = 'content-rules: { blocked_terms: ["project falcon", "internal-only"] }';
const emptyObject = { type: 'object', properties: {} } as const;

describe('content-rules: blocked terms against evasions and on every surface the model reads', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;

  before(async () => {
    upstream = await startStandIn(reply);
    const route = (name: string, model: string, plugins: string) => [`  - match: { model: "${name}" }`, `    model: ${model}`, `    plugins: { ${plugins} }`];
    gateway = await startGateway(
      [
        'providers:',
        `  oai: { type: openai-compatible, api_key: oai-key, base_url: "${upstream.url}/v1" }`,
        `  claude: { type: anthropic, api_key: ant-key, base_url: "${upstream.url}" }`,
        'routes:',
        ...route('cr', 'oai/gpt-4o-mini', terms),
        ...route('a-cr', 'claude/claude-sonnet-4-5', terms),
        ...route('cr-user', 'oai/gpt-4o-mini', 'content-rules: { blocked_terms: ["project falcon"], blocked_terms_roles: user }'),
      ].join('\n'),
    );
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  /** The documented refusal: 400 naming the rule (OpenAI's shape with its code, or Anthropic's), never the term; nothing forwarded. */
  async function refused(call: Promise<unknown>, label: string): Promise<void> {
    const error = await call.then(
      () => assert.fail(`${label}: the request was forwarded`),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof OpenAI.APIError || error instanceof Anthropic.APIError, `${label}: ${String(error)}`);
    assert.equal(error.status, 400, label);
    const body = error.error as { error?: { type?: string; code?: string; message?: string }; type?: string; code?: string; message?: string };
    // The OpenAI SDK hands over the `error` object; the Anthropic SDK the whole body.
    const detail = error instanceof OpenAI.APIError ? (body as { type?: string; code?: string; message?: string }) : body.error!;
    assert.equal(detail.type, 'invalid_request_error', label);
    if (error instanceof OpenAI.APIError) assert.equal(detail.code, 'content_policy_violation', label);
    assert.match(detail.message ?? '', /content rule 'blocked_terms'/, label);
    assert.doesNotMatch(detail.message ?? '', /falcon|internal/i, label);
    assert.equal(upstream.requests.length, 0, `${label}: nothing reaches the provider`);
  }

  async function passes(call: Promise<unknown>, label: string): Promise<void> {
    upstream.requests.length = 0;
    await call.catch((error: unknown) => assert.fail(`${label}: refused (${String(error)})`));
    assert.equal(upstream.requests.length, 1, `${label}: reaches the provider`);
  }

  const chat = (content: string, model = 'cr') => openai.chat.completions.create({ model, messages: [{ role: 'user', content }] });

  describe('evasions of a term in a user message (chat, OpenAI SDK)', () => {
    const evasions: Array<[string, string]> = [
      ['markdown bold around a word', 'status of project **falcon**?'],
      ['markdown bold inside words', 'status of proj**ect fal**con?'],
      ['markdown italic, strike-through and code', 'status of _project_ ~~falcon~~ and `project` `falcon`'],
      ['an HTML tag around a word', 'status of project <b>falcon</b>?'],
      ['an HTML tag inside a word', 'status of proj<i>ect</i> falcon?'],
      ['a hyphen', 'status of project-falcon?'],
      ['an underscore', 'status of project_falcon?'],
      ['a dot', 'status of project.falcon?'],
      ['a slash', 'status of project/falcon?'],
      ['no separator', 'status of projectfalcon?'],
      ['a space for the hyphen of internal-only', 'an internal only memo'],
      ['internal-only written as one word', 'an internalonly memo'],
      ['a Cyrillic о inside a Latin word', 'status of pr\u043Eject falcon?'],
      ['a Greek ο inside a Latin word', 'status of project falc\u03BFn?'],
      ['a character reference for the space', 'status of project&nbsp;falcon?'],
    ];
    for (const [label, text] of evasions) {
      it(`refuses ${label}`, async () => {
        await refused(chat(text), label);
      });
    }
  });

  describe('ordinary text still passes', () => {
    const ordinary: Array<[string, string]> = [
      ['longer words that start with the terms', 'The projection of falconry into the internal-onlyness debate.'],
      ['a term inside a longer word', 'See subprojectfalcon and projectfalconer in the log.'],
      ['the words in two sentences', 'We closed the project. Falcon season starts next week.'],
      ['the words apart', 'The project about the falcon is internal; only the team knows.'],
      ['ordinary markdown and HTML', '# Notes\n\n**Project** status: _green_. Use `npm test`, see <a href="https://example.org">the docs</a> &amp; ~~old~~ links.\n\n- internal use only\n- falcons are birds'],
      ['Russian and Greek prose', 'Привет, это обычный текст о проекте. Καλημέρα, αυτό είναι ένα κείμενο.'],
    ];
    for (const [label, text] of ordinary) {
      it(`passes ${label}`, async () => {
        await passes(chat(text), label);
      });
    }
  });

  describe('tool definitions in all three client formats', () => {
    const parameters = (property: Record<string, unknown>, name = 'query') => ({ type: 'object', properties: { [name]: { type: 'string', ...property } } });
    const chatTools = (fn: { name: string; description?: string; parameters?: Record<string, unknown> }) =>
      openai.chat.completions.create({ model: 'cr', messages: [{ role: 'user', content: 'What is the weather?' }], tools: [{ type: 'function', function: fn }] });

    it('chat: a function description, name, parameter description, enum, default and property name', async () => {
      await refused(chatTools({ name: 'lookup', description: 'Looks up Project Falcon records.', parameters: emptyObject }), 'description');
      await refused(chatTools({ name: 'project_falcon_lookup', parameters: emptyObject }), 'name');
      await refused(chatTools({ name: 'lookup', parameters: parameters({ description: 'An internal-only code.' }) }), 'parameter description');
      await refused(chatTools({ name: 'lookup', parameters: parameters({ enum: ['apollo', 'project falcon'] }) }), 'enum value');
      await refused(chatTools({ name: 'lookup', parameters: parameters({ default: 'project **falcon**' }) }), 'default value');
      await refused(chatTools({ name: 'lookup', parameters: parameters({}, 'project_falcon_id') }), 'property name');
    });

    it('chat: an OpenAI custom tool and a legacy `functions` entry, read as pii and prompt-guard read them', async () => {
      const create = (extra: Record<string, unknown>) =>
        openai.chat.completions.create({ model: 'cr', messages: [{ role: 'user', content: 'What is the weather?' }], ...extra } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
      await refused(create({ tools: [{ type: 'custom', custom: { name: 'lookup', description: 'Looks up Project Falcon records.' } }] }), 'custom tool description');
      await refused(create({ functions: [{ name: 'lookup', description: 'Looks up Project Falcon records.', parameters: emptyObject }] }), 'legacy functions description');
    });

    it('chat: an ordinary tool passes, and strings of a schema are read apart (no term across two)', async () => {
      await passes(chatTools({ name: 'get_weather', description: 'Weather for a city.', parameters: parameters({ description: 'The city.', enum: ['project', 'falcon'] }) }), 'ordinary tool');
    });

    it('Messages: a tool description and a parameter description (Anthropic passthrough and translated route)', async () => {
      const create = (model: string, tool: Anthropic.Tool) => anthropic.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'What is the weather?' }], tools: [tool] });
      await refused(create('a-cr', { name: 'lookup', description: 'Looks up Project Falcon records.', input_schema: { type: 'object' } }), 'Messages tool description (passthrough)');
      await refused(create('cr', { name: 'lookup', description: 'Looks up Project Falcon records.', input_schema: { type: 'object' } }), 'Messages tool description (translated)');
      await refused(create('a-cr', { name: 'lookup', input_schema: { type: 'object', properties: { code: { type: 'string', description: 'An internal-only code.' } } } }), 'Messages parameter description');
      await passes(create('a-cr', { name: 'get_weather', description: 'Weather for a city.', input_schema: { type: 'object' } }), 'Messages ordinary tool');
    });

    it('Responses: a function tool description and a parameter enum', async () => {
      const create = (tool: OpenAI.Responses.FunctionTool) => openai.responses.create({ model: 'cr', input: 'What is the weather?', tools: [tool] });
      await refused(create({ type: 'function', name: 'lookup', description: 'Looks up Project Falcon records.', parameters: emptyObject, strict: false }), 'Responses tool description');
      await refused(create({ type: 'function', name: 'lookup', parameters: parameters({ enum: ['project/falcon'] }), strict: false }), 'Responses parameter enum');
      await passes(create({ type: 'function', name: 'get_weather', description: 'Weather for a city.', parameters: emptyObject, strict: false }), 'Responses ordinary tool');
    });

    it('under blocked_terms_roles: user, tool definitions are the developer’s and are not searched', async () => {
      await passes(openai.chat.completions.create({ model: 'cr-user', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'lookup', description: 'Project Falcon records.' } }] }), 'roles: user');
    });
  });

  describe('other surfaces of a request', () => {
    it('a message’s name', async () => {
      await refused(openai.chat.completions.create({ model: 'cr', messages: [{ role: 'user', name: 'project_falcon', content: 'hi' }] }), 'message name');
    });

    it('a json_schema response format (chat, Responses and Messages)', async () => {
      const schema = { type: 'object', properties: { status: { type: 'string', description: 'Status of Project Falcon.' } }, required: ['status'], additionalProperties: false };
      await refused(openai.chat.completions.create({ model: 'cr', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_schema', json_schema: { name: 'status', schema } } }), 'chat response_format');
      await refused(openai.responses.create({ model: 'cr', input: 'hi', text: { format: { type: 'json_schema', name: 'status', schema } } }), 'Responses text.format');
      await refused(anthropic.messages.create({ model: 'a-cr', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], output_config: { format: { type: 'json_schema', schema } } } as never), 'Messages output_config.format');
    });

    it('an assistant’s refusal in the history', async () => {
      await refused(
        openai.chat.completions.create({ model: 'cr', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, refusal: 'I cannot discuss Project Falcon.' }, { role: 'user', content: 'go on' }] }),
        'refusal',
      );
    });

    it('a thinking block in Messages history (Anthropic passthrough)', async () => {
      const messages = [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'The user means project falcon.', signature: 'sig' }, { type: 'text', text: 'ok' }] },
        { role: 'user', content: 'go on' },
      ] as Anthropic.MessageParam[];
      await refused(anthropic.messages.create({ model: 'a-cr', max_tokens: 50, messages }), 'thinking');
    });

    it('a text file sent as application/octet-stream is binary to the gateway: forwarded unread (documented)', async () => {
      const fileData = `data:application/octet-stream;base64,${Buffer.from('Notes on project falcon').toString('base64')}`;
      await passes(openai.chat.completions.create({ model: 'cr', messages: [{ role: 'user', content: [{ type: 'text', text: 'read' }, { type: 'file', file: { filename: 'a.txt', file_data: fileData } }] }] }), 'octet-stream file');
    });
  });
});
