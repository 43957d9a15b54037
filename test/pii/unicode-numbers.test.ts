import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import OpenAI from 'openai';
import { MaskVault } from '../../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema, resolvePolicy } from '../../src/plugins/pii/pii-config.ts';
import { scannerFor } from '../../src/plugins/pii/index.ts';
import { PiiPass } from '../../src/plugins/pii/pii-pass.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

// A security audit found that numbers written with other decimal digits than ASCII (full-width
// ４１１１, Arabic-Indic ٤١١١, Persian ۴۱۱۱, Devanagari ४१११…) or grouped with Unicode spaces and
// dashes (no-break, narrow no-break, thin, figure space; hyphen, minus sign, full-width hyphen)
// passed the pii plugin unredacted. The detectors now read such numbers as ASCII and the original
// span is what gets replaced: the rest of the text reaches the provider byte for byte.

/** `text` with its ASCII digits written in the script whose zero is `zero`. */
function inDigits(text: string, zero: number): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCodePoint(zero + Number(digit)));
}

const scripts: Record<string, number> = {
  'full-width': 0xff10,
  'Arabic-Indic': 0x660,
  'extended Arabic-Indic (Persian, Urdu)': 0x6f0,
  Devanagari: 0x966,
  Bengali: 0x9e6,
  Thai: 0xe50,
  'mathematical bold (outside the BMP)': 0x1d7ce,
};

const spaces: Record<string, string> = {
  'no-break space': '\u00a0',
  'narrow no-break space': '\u202f',
  'thin space': '\u2009',
  'figure space': '\u2007',
  'en space': '\u2002',
  'ideographic space': '\u3000',
};

const dashes: Record<string, string> = {
  hyphen: '\u2010',
  'non-breaking hyphen': '\u2011',
  'figure dash': '\u2012',
  'en dash': '\u2013',
  'minus sign': '\u2212',
  'full-width hyphen-minus': '\uff0d',
};

function lastUserText(body: { messages: Array<{ role: string; content: unknown }> }): string {
  const last = [...body.messages].reverse().find((message) => message.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
}

function chunk(delta: object, finish: string | null = null) {
  return { id: 'chatcmpl-u', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
}

describe('pii: numbers in any decimal digits and grouped with Unicode spaces and dashes, through the gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;
  /** What the stand-in answers: null echoes the last user message. */
  let upstreamAnswer: string | null = null;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const body = request.json as { stream?: boolean; messages: Array<{ role: string; content: unknown }> };
      const answer = upstreamAnswer ?? lastUserText(body);
      if (body.stream) {
        // Pieces of five characters (whole code points, as a provider's UTF-8 never splits one), so
        // numbers are cut in the middle of their groups.
        const characters = [...answer];
        const pieces: string[] = [];
        for (let index = 0; index < characters.length; index += 5) pieces.push(characters.slice(index, index + 5).join(''));
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(sseBody([chunk({ role: 'assistant', content: '' }), ...pieces.map((piece) => chunk({ content: piece })), chunk({}, 'stop'), '[DONE]']));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-u',
          object: 'chat.completion',
          created: 1700000000,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
    gw = await startGateway(
      [
        'providers:',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "upstream/masked" }',
        '    model: upstream/m',
        '    plugins: { pii: { request: mask, response: off } }',
        'plugins:',
        '  pii: { request: redact, response: redact }',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  /** The last user message as the provider received it. */
  async function forwarded(content: string): Promise<string> {
    upstream.requests.length = 0;
    upstreamAnswer = 'ok';
    await client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content }] });
    upstreamAnswer = null;
    return lastUserText(upstream.requests[0].json as { messages: Array<{ role: string; content: unknown }> });
  }

  it('redacts cards, phones, SSNs, IBANs and IP addresses written in the digits of other scripts', async () => {
    for (const [script, zero] of Object.entries(scripts)) {
      const digits = (text: string) => inDigits(text, zero);
      const prompt = `Card ${digits('4111 1111 1111 1111')}, phone ${digits('+44 20 7946 0958')}, SSN ${digits('536-22-1234')}, IBAN DE${digits('89 3704 0044 0532 0130 00')}, server ${digits('10.0.4.17')} is down.`;
      assert.equal(await forwarded(prompt), 'Card [CREDIT_CARD], phone [PHONE], SSN [SSN], IBAN [IBAN], server [IP_ADDRESS] is down.', script);
    }
  });

  it('redacts card and phone numbers grouped with Unicode spaces and dashes', async () => {
    for (const [name, separator] of Object.entries({ ...spaces, ...dashes })) {
      const prompt = `Card 4111${separator}1111${separator}1111${separator}1111 and call +44${separator}20${separator}7946${separator}0958 today.`;
      assert.equal(await forwarded(prompt), 'Card [CREDIT_CARD] and call [PHONE] today.', name);
    }
    assert.equal(await forwarded('IBAN GB82\u00a0WEST\u00a01234\u00a05698\u00a07654\u00a032, SSN 536\u201122\u20111234.'), 'IBAN [IBAN], SSN [SSN].');
    assert.equal(await forwarded('電話：０３－１２３４－５６７８ までお願いします'), '電話：[PHONE] までお願いします');
  });

  it('replaces exactly the original span: the text around it is forwarded unchanged', async () => {
    // Astral digits and a zero-width space before the value shift the offsets the detectors see.
    const prompt = 'Réf. 𝟏𝟐𝟑 — «\u00a0merci\u00a0»\u202f! Carte 4\u200b111\u00a01111\u00a01111\u00a01111, tél.\u00a0: ٠٢٠ ٧٩٤٦ ٠٩٥٨ ; voilà 𝟒𝟓.';
    assert.equal(await forwarded(prompt), 'Réf. 𝟏𝟐𝟑 — «\u00a0merci\u00a0»\u202f! Carte [CREDIT_CARD], tél.\u00a0: [PHONE] ; voilà 𝟒𝟓.');
    // Prose with Unicode spaces and dashes but no number to find is not rewritten at all.
    const prose = 'Prix\u00a0: voir plus bas — merci\u202f! Ὅμηρος – Ἰλιάς, ٣ أبواب.';
    assert.equal(await forwarded(prose), prose);
  });

  it('still validates what it reads: a number in full-width digits that fails Luhn is no card', async () => {
    const prompt = `Order ${inDigits('4111 1111 1111 1112', 0xff10)} shipped.`;
    assert.equal(await forwarded(prompt), prompt);
  });

  it('mask: the provider sees a placeholder, the client gets the original digits back exactly', async () => {
    upstream.requests.length = 0;
    upstreamAnswer = null;
    const prompt = `Card ${inDigits('4111 1111 1111 1111', 0x660)} or 5500\u202f0000\u202f0000\u202f0004, please.`;
    const completion = await client.chat.completions.create({ model: 'upstream/masked', messages: [{ role: 'user', content: prompt }] });
    assert.equal(lastUserText(upstream.requests[0].json as { messages: Array<{ role: string; content: unknown }> }), 'Card <CREDIT_CARD_1> or <CREDIT_CARD_2>, please.');
    assert.equal(completion.choices[0].message.content, prompt);
  });

  it('response redaction finds them in answers too, streamed in pieces or not', async () => {
    upstreamAnswer = `Your card ${inDigits('4111 1111 1111 1111', 0xff10)} is on file; call ${inDigits('+44 20 7946 0958', 0x6f0)} or +44\u202f20\u202f7946\u202f0958.`;
    const expected = 'Your card [CREDIT_CARD] is on file; call [PHONE] or [PHONE].';
    const completion = await client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content: 'what is on file?' }] });
    assert.equal(completion.choices[0].message.content, expected);
    const stream = await client.chat.completions.create({ model: 'upstream/m', stream: true, messages: [{ role: 'user', content: 'what is on file?' }] });
    let streamed = '';
    for await (const part of stream) streamed += part.choices[0]?.delta?.content ?? '';
    assert.equal(streamed, expected);
    upstreamAnswer = null;
  });
});

describe('pii: every script of decimal digits', () => {
  it('finds a card written in each run of ten digits Unicode has (category Nd), with its exact span', () => {
    const scanner = scannerFor(resolvePolicy(piiConfigSchema.parse({ request: 'redact' })), 'request');
    let planes = '';
    for (let code = 0x80; code <= 0x10ffff; code++) if (code < 0xd800 || code > 0xdfff) planes += String.fromCodePoint(code);
    const zeros: number[] = [];
    let previous = -2;
    let runStart = -1;
    for (const match of planes.matchAll(/\p{Nd}/gu)) {
      const code = match[0].codePointAt(0)!;
      if (code !== previous + 1) runStart = code;
      // Runs of ten; some scripts' runs lie back to back (mathematical digits: five runs in one).
      if ((code - runStart) % 10 === 0) zeros.push(code);
      previous = code;
    }
    assert.ok(zeros.length >= 70, `${zeros.length} runs of digits`);
    for (const zero of zeros) {
      const card = inDigits('4111 1111 1111 1111', zero);
      const text = `pay with ${card} today`;
      const found = scanner.scan(text).map((detection) => `${detection.label}:${text.slice(detection.start, detection.end)}`);
      assert.deepEqual(found, [`CREDIT_CARD:${card}`], `digits from U+${zero.toString(16).toUpperCase()}`);
    }
  });
});

describe('pii: the same text in other digits is redacted the same', () => {
  const policy = resolvePolicy(piiConfigSchema.parse({ request: 'redact' }));
  const scanner = scannerFor(policy, 'request');
  const redact = (text: string) => new PiiPass(scanner, () => 'redact', new MaskVault()).apply(text);
  const pieces = [
    'card 4111 1111 1111 1111',
    'call +44 20 7946 0958',
    'SSN 536-22-1234',
    'IBAN DE89 3704 0044 0532 0130 00',
    'host 10.0.4.17',
    'born 1984-06-02',
    'order 2024-118832',
    'version 1.24.3',
    'Ana López',
    '« voilà »',
    'τιμή 12',
    '42',
    'x',
  ];
  const zeros = [0xff10, 0x660, 0x6f0, 0x966, 0xe50, 0x1d7ce, 0x1e950, 0x104a0];

  it('digits of any script (inside the BMP or not) give the ASCII text\'s redaction, with the digits left as written', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom(' ', ', ', '. ', '\n', ' — '), { minLength: 8, maxLength: 8 }), fc.constantFrom(...zeros), (chosen, separators, zero) => {
        const ascii = chosen.map((piece, index) => piece + separators[index]).join('');
        const written = inDigits(ascii, zero);
        const back = redact(written).replace(/\p{Nd}/gu, (digit) => String((digit.codePointAt(0)! - zero) % 10));
        assert.equal(back, redact(ascii));
      }),
      { numRuns: 300 },
    );
  });
});
