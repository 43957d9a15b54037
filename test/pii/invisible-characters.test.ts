import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { piiConfigSchema, resolvePolicy } from '../../src/plugins/pii/pii-config.ts';
import { scannerFor } from '../../src/plugins/pii/index.ts';
import { isInvisible, numberView } from '../../src/plugins/pii/number-view.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';

// A blind audit (guardrails-surfaces F7) found that invisible characters inside a value pass
// `block`: `jane.d\u200Boe@exa\u200Bmple.com` (and with U+200C/D, U+2060, U+FEFF, U+00AD, U+180E,
// U+2061, U+034F, U+FE0F), and cards with U+2061, U+034F, U+180E or U+FE0F after each digit. A
// model reads them as the plain value; the detectors now read the text without them and the
// whole original span, the invisible characters in it included, is what gets replaced.

const invisibles: Record<string, string> = {
  'U+200B zero-width space': '\u200b',
  'U+200C zero-width non-joiner': '\u200c',
  'U+200D zero-width joiner': '\u200d',
  'U+2060 word joiner': '\u2060',
  'U+FEFF zero-width no-break space': '\ufeff',
  'U+00AD soft hyphen': '\u00ad',
  'U+180E Mongolian vowel separator': '\u180e',
  'U+2061 function application': '\u2061',
  'U+034F combining grapheme joiner': '\u034f',
  'U+FE0F variation selector 16': '\ufe0f',
  'U+200E left-to-right mark': '\u200e',
  'U+202E right-to-left override': '\u202e',
  'U+E0100 variation selector 17 (outside the BMP)': '\u{e0100}',
  'U+E0041 tag latin capital letter A (outside the BMP)': '\u{e0041}',
};

const email = (mark: string) => `jane.d${mark}oe@exa${mark}mple.com`;
/** A Visa test number with the mark after every digit (the last one's included: it is part of the value). */
const card = (mark: string) => [...'4111 1111 1111 1111'].map((character) => (character === ' ' ? ' ' : character + mark)).join('');

describe('pii: invisible characters (unit)', () => {
  it('the table of invisible characters is \\p{Cf} and \\p{Default_Ignorable_Code_Point}, as the engine knows them', () => {
    const engine = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
    for (let code = 0x80; code < 0x110000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      if (isInvisible(code) !== engine.test(String.fromCodePoint(code))) assert.fail(`U+${code.toString(16).toUpperCase()}`);
    }
  });

  it('email and card numbers are found through them, spans cover the whole original value', () => {
    const scanner = scannerFor(resolvePolicy(piiConfigSchema.parse({ request: 'redact' })), 'request');
    for (const [name, mark] of Object.entries(invisibles)) {
      for (const [label, value] of [['EMAIL', email(mark)], ['CREDIT_CARD', card(mark)]]) {
        const text = `Réf 𝟏 — send it to ${value} today`;
        const found = scanner.scan(text);
        assert.deepEqual(
          found.map((detection) => [detection.label, text.slice(detection.start, detection.end)]),
          [[label, value]],
          name,
        );
      }
    }
  });

  it('a text with no invisible character gets no view (ASCII text is not read character by character)', () => {
    assert.equal(numberView('jane.doe@example.com 4111 1111 1111 1111'), null);
    assert.equal(numberView('café crème, no digits'), null);
    assert.notEqual(numberView('caf\u200Be'), null);
  });
});

describe('pii: invisible characters inside values, through the gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    // Echoes the last user message, so a masked value's restoration shows in the answer.
    upstream = await startStandIn((request, response) => {
      const body = request.json as { messages: Array<{ content: string }> };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion('m', body.messages.at(-1)!.content, { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 })));
    });
    gw = await startGateway(
      [
        'providers:',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "block" }',
        '    model: upstream/m',
        '    plugins: { pii: { request: block } }',
        '  - match: { model: "mask" }',
        '    model: upstream/m',
        '    plugins: { pii: { request: mask, response: off } }',
        '  - match: { model: "redact" }',
        '    model: upstream/m',
        '    plugins: { pii: { request: redact } }',
      ].join('\n'),
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function send(model: string, content: string): Promise<{ status: number; body: { error?: { code?: string; message?: string }; choices?: Array<{ message: { content: string } }> } }> {
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });
    return { status: response.status, body: (await response.json()) as never };
  }

  it('block: an e-mail or a card with an invisible character inside never reaches the provider', async () => {
    for (const [name, mark] of Object.entries(invisibles)) {
      for (const [type, text] of [['EMAIL', `mail ${email(mark)}`], ['CREDIT_CARD', `card ${card(mark)}`]]) {
        const received = upstream.requests.length;
        const result = await send('block', text);
        assert.equal(result.status, 400, `${name}: ${type}`);
        assert.equal(result.body.error?.code, 'pii_detected');
        assert.match(result.body.error?.message ?? '', new RegExp(type));
        assert.equal(upstream.requests.length, received, `${name}: ${type} reached the provider`);
      }
    }
  });

  it('mask and redact replace the whole original span, invisible characters included; mask restores it exactly', async () => {
    for (const [name, mark] of Object.entries(invisibles)) {
      const text = `mail ${email(mark)} or card ${card(mark)} — thanks`;
      const masked = await send('mask', text);
      assert.equal(masked.status, 200);
      assert.equal((upstream.requests.at(-1)!.json as { messages: Array<{ content: string }> }).messages[0].content, 'mail <EMAIL_1> or card <CREDIT_CARD_1> — thanks', name);
      assert.equal(masked.body.choices?.[0].message.content, text, `${name}: restored`);
      assert.equal((await send('redact', text)).status, 200);
      assert.equal((upstream.requests.at(-1)!.json as { messages: Array<{ content: string }> }).messages[0].content, 'mail [EMAIL] or card [CREDIT_CARD] — thanks', name);
    }
  });

  it('text around a value keeps its invisible characters, byte for byte', async () => {
    const text = '\u200bHi\u00ad there \u2764\ufe0f, mail \u2060jane.doe@example.com\u2060 please';
    await send('redact', text);
    assert.equal((upstream.requests.at(-1)!.json as { messages: Array<{ content: string }> }).messages[0].content, '\u200bHi\u00ad there \u2764\ufe0f, mail \u2060[EMAIL] please');
  });
});
