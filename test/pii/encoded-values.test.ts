import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodedView } from '../../src/plugins/pii/encoded-view.ts';
import { MaskVault } from '../../src/plugins/pii/mask-vault.ts';
import { PiiPass } from '../../src/plugins/pii/pii-pass.ts';
import { scanner } from '../plugins/pii/pii-helpers.ts';

// A blind audit of the pii plugin found values that reach the provider unmasked when they are
// written encoded: JSON/JavaScript escapes (`\u0034111 1111 1111 1111`, `john\u002edoe\u0040example.com`)
// and HTML character references (`4&#49;11 …`, `john&#46;doe&#64;example&period;com`) pasted as
// literal text, and cards grouped with `.`, `/` or `_`. A model reads all of them as the value.

const allOn = scanner();

/** "LABEL:original span" for every detection. */
function spans(text: string): string[] {
  return allOn.scan(text).map((detection) => `${detection.label}:${text.slice(detection.start, detection.end)}`);
}

/** The text as the provider gets it with `request: mask`, and as the client gets it back. */
function maskAndRestore(text: string): { masked: string; restored: string } {
  const vault = new MaskVault();
  const masked = new PiiPass(allOn, () => 'mask', vault).apply(text);
  return { masked, restored: vault.restore(masked) };
}

// [label, value as written]; each value is what the mask must replace whole.
const encoded: Array<[string, string]> = [
  ['CREDIT_CARD', String.raw`\u0034111 1111 1111 1111`],
  ['CREDIT_CARD', String.raw`\u0034\u0031\u0031\u0031\u0020\u0031111 1111 1111`],
  ['CREDIT_CARD', String.raw`\x34111-1111-1111-1111`],
  ['CREDIT_CARD', String.raw`\u{34}111 1111 1111 1111`],
  ['CREDIT_CARD', String.raw`\\u0034111 1111 1111 1111`],
  ['CREDIT_CARD', String.raw`4111\/1111\/1111\/1111`],
  ['EMAIL', String.raw`john\u002edoe\u0040example.com`],
  ['EMAIL', String.raw`john\u002Edoe\U00000040example\x2ecom`],
  ['SSN', String.raw`536\u002d22\u002d1234`],
  ['CREDIT_CARD', '4&#49;11 1111 1111 1111'],
  ['CREDIT_CARD', '&#x34;111 1111 1111 1111'],
  ['CREDIT_CARD', '&#X34;&#x31;11 1111 1111 1111'],
  ['CREDIT_CARD', '&#52&#49&#49&#49 1111 1111 1111'],
  ['CREDIT_CARD', '&#0052;111 1111 1111 1111'],
  ['CREDIT_CARD', '4111&nbsp;1111&nbsp;1111&nbsp;1111'],
  ['CREDIT_CARD', '4111&hyphen;1111&hyphen;1111&hyphen;1111'],
  ['CREDIT_CARD', '4&shy;111 1111 1111 1111'],
  ['EMAIL', 'john&#46;doe&#64;example&period;com'],
  ['EMAIL', 'john&commat;example&period;com'],
  ['EMAIL', 'john&#x40;example.com'],
  ['EMAIL', 'john&amp;#64;example.com'],
  ['PHONE', '+1&nbsp;415&nbsp;555&nbsp;2671'],
  ['SSN', '536&#45;22&#45;1234'],
];

describe('pii: escaped and HTML-encoded values (unit)', () => {
  it('each form is found, and its span is the whole original sequence', () => {
    for (const [label, value] of encoded) assert.deepEqual(spans(`please use ${value} for the order`), [`${label}:${value}`], value);
  });

  it('a value inside a pasted JSON document or a page', () => {
    const json = String.raw`{"customer":{"card":"\u0034111 1111 1111 1111","mail":"john\u002edoe\u0040example.com"}}`;
    assert.deepEqual(spans(json), [String.raw`CREDIT_CARD:\u0034111 1111 1111 1111`, String.raw`EMAIL:john\u002edoe\u0040example.com`]);
    const html = '<td>Card</td><td>4&#49;11&nbsp;1111&nbsp;1111&nbsp;1111</td><td>john&#46;doe&#64;example&period;com</td>';
    assert.deepEqual(spans(html), ['CREDIT_CARD:4&#49;11&nbsp;1111&nbsp;1111&nbsp;1111', 'EMAIL:john&#46;doe&#64;example&period;com']);
  });

  it('mask replaces the whole sequence (nothing of the value is left) and restoration gives back the original exactly', () => {
    for (const [label, value] of encoded) {
      const text = `mine: ${value}, thanks`;
      const { masked, restored } = maskAndRestore(text);
      assert.equal(masked, `mine: <${label}_1>, thanks`, value);
      assert.equal(restored, text, value);
    }
  });

  it('cards grouped with dots, slashes or underscores (Luhn-valid, a card layout, one separator)', () => {
    for (const card of ['4111.1111.1111.1111', '4111/1111/1111/1111', '4111_1111_1111_1111', '5555.5555.5555.4444', '3782.822463.10005', '3782/822463/10005']) {
      assert.deepEqual(spans(`card ${card}.`), [`CREDIT_CARD:${card}`], card);
      const { masked, restored } = maskAndRestore(`pay with ${card} please`);
      assert.equal(masked, 'pay with <CREDIT_CARD_1> please');
      assert.equal(restored, `pay with ${card} please`);
    }
    // A 19-digit Visa in 4-4-4-4-3.
    assert.deepEqual(spans('card 4000.0000.0000.0000.006'), ['CREDIT_CARD:4000.0000.0000.0000.006']);
    // Through the number view too: full-width digits and dots.
    assert.deepEqual(spans('card ４１１１．１１１１．１１１１．１１１１'), ['CREDIT_CARD:４１１１．１１１１．１１１１．１１１１']);
  });

  it('no card in dates, versions, IP addresses, prices, decimals or look-alikes', () => {
    const negatives = [
      'released 2024/01/01, patched 01/02/2024 and 2024/01/01/0930',
      'version 1.2.3.4 and build 4111.1111',
      'from 192.168.100.200 and 10.0.0.1 via 255.255.255.0',
      'total $4,111.11 or 1.234.567,89 € or 4111.11 USD',
      'pi is 3.1415.9265.3589.7932',
      'luhn fails: 4111.1111.1111.1112, no issuer: 1234.5678.9012.3452',
      'five groups: 4111.1111.1111.1111.5, glued: 1.4111.1111.1111.1111, 4111.1111.1111.1111.12345',
      'mixed separators: 4111.1111/1111.1111 and 4111_1111.1111_1111',
      'groups not a card layout: 41.1111.1111.1111.11, 411111.1111.111111, 4111.11111.1111.111',
      'a path /srv/2024/0101/1200/0000 and a timestamp 2024_0101_1200_0000',
    ];
    for (const text of negatives) assert.deepEqual(spans(text).filter((span) => span.startsWith('CREDIT_CARD')), [], text);
  });

  it('ordinary HTML and code with escapes stay as they were: nothing found, nothing changed', () => {
    const texts = [
      '<p>Tom &amp; Jerry &lt;3 &copy; 2024 &mdash; R&D, AT&T &amp;c</p>',
      'Q&amp;A: the price is &pound;12.50 &ndash; or &#36;15.99 &#8212; see &sect;4.1',
      String.raw`console.log("line\n\ttab \u00e9t\u00e9 \x1b[31mred\x1b[0m C:\\Users\\x\\y");`,
      String.raw`const re = /\d{3}-\d{2}-\d{4}/; // \u2014 an SSN pattern`,
    ];
    for (const text of texts) {
      assert.deepEqual(spans(text), [], text);
      assert.equal(maskAndRestore(text).masked, text);
    }
  });

  it('the decoded view: only recognised sequences change; none is built without a backslash or an ampersand', () => {
    assert.equal(encodedView('jane.doe@example.com 4111 1111 1111 1111'), null);
    assert.equal(encodedView(String.raw`a\n b\t c\\d &copy; &unknown; &#0; \u{110000} &#x110000;`), null);
    const text = String.raw`x\u0034&#x31;&amp;&#49;\\x31&commat;y`;
    const view = encodedView(text)!;
    assert.equal(view.text, 'x41&11@y');
    // Each character of the view maps back to the start of its sequence; an end to the end of it.
    assert.equal(text.slice(view.startOf(1), view.endOf(2)), String.raw`\u0034`);
    assert.equal(text.slice(view.startOf(6), view.endOf(7)), '&commat;');
    assert.equal(view.endOf(view.text.length), text.length);
  });

  it('a long run of backslashes or references is read in linear time', () => {
    const time = (text: string): number => {
      const started = performance.now();
      allOn.scan(text);
      return performance.now() - started;
    };
    time('\\'.repeat(1000) + 'q');
    const small = time('\\'.repeat(20_000) + 'q');
    const large = time('\\'.repeat(80_000) + 'q');
    assert.ok(large < small * 12 + 50, `${small.toFixed(1)} ms → ${large.toFixed(1)} ms`);
    const ampersands = time('&amp;'.repeat(20_000) + '&#');
    assert.ok(ampersands < 2000, `${ampersands.toFixed(1)} ms`);
  });

  it('a stream scan (from > 0) decodes from `from` on and keeps the text before it', () => {
    const text = String.raw`earlier &#64; \u0040 text; now card \u0034111 1111 1111 1111 ok`;
    const from = text.indexOf('now');
    const view = encodedView(text, from)!;
    assert.equal(view.text.slice(0, from), text.slice(0, from));
    const found = allOn.scan(text, from);
    assert.deepEqual(
      found.map((detection) => text.slice(detection.start, detection.end)),
      [String.raw`\u0034111 1111 1111 1111`],
    );
  });
});
