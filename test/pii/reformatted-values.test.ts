import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodedView } from '../../src/plugins/pii/encoded-view.ts';
import { MaskVault } from '../../src/plugins/pii/mask-vault.ts';
import { PiiPass } from '../../src/plugins/pii/pii-pass.ts';
import { scanner } from '../plugins/pii/pii-helpers.ts';

// A blind guardrail audit (guardrails-4, M1 and L2/L3) got values past the pii plugin by
// reformatting them lightly, each of which a model still reads as the value: a card in 8-8 groups,
// with mixed separators, over a line break or joined with `+`; an IBAN with dashes, in lower case or
// over a line; an SSN with slashes or dots, or read out after "my social is"; an e-mail address
// `%40`-encoded or wrapped after its `@`; a password after "pw"; a private key with no END line; an
// AWS key id split into string literals. And it found hard negatives flagged against the docs' own
// exemptions (a product SKU as a phone, a placeholder key as a secret) and a few cue words missing.

const allOn = scanner();

/** "LABEL:original span" for every detection. */
function spans(text: string): string[] {
  return allOn.scan(text).map((detection) => `${detection.label}:${text.slice(detection.start, detection.end)}`);
}

/** The spans of one label only. */
function only(label: string, text: string): string[] {
  return spans(text).filter((span) => span.startsWith(`${label}:`));
}

/** The text as the provider gets it with `request: mask`, and as the client gets it back. */
function maskAndRestore(text: string): { masked: string; restored: string } {
  const vault = new MaskVault();
  const masked = new PiiPass(allOn, () => 'mask', vault).apply(text);
  return { masked, restored: vault.restore(masked) };
}

/** [label, the text, the value the mask must replace whole]. */
const reformatted: Array<[string, string, string]> = [
  ['CREDIT_CARD', 'card 45395787 63621486 exp 09/27', '45395787 63621486'],
  ['CREDIT_CARD', 'pay with 4539-5787 6362-1486 please', '4539-5787 6362-1486'],
  ['CREDIT_CARD', 'pay with 4539 5787-6362 1486 please', '4539 5787-6362 1486'],
  ['CREDIT_CARD', 'card 4539 5787\n6362 1486 exp 09/27', '4539 5787\n6362 1486'],
  ['CREDIT_CARD', 'card 4539 5787 6362\r\n1486, thanks', '4539 5787 6362\r\n1486'],
  ['CREDIT_CARD', 'it is 4539+5787+6362+1486 ok', '4539+5787+6362+1486'],
  ['CREDIT_CARD', 'card 4539 5787636 21486 exp 09/27', '4539 5787636 21486'],
  ['CREDIT_CARD', 'card 45 39 57 87 63 62 14 86', '45 39 57 87 63 62 14 86'],
  ['CREDIT_CARD', 'Card number: 4 5 3 9 5 7 8 7 6 3 6 2 1 4 8 6 thanks', '4 5 3 9 5 7 8 7 6 3 6 2 1 4 8 6'],
  ['CREDIT_CARD', 'visa 453957 8763 621486', '453957 8763 621486'],
  ['CREDIT_CARD', 'declined again 5225 2479 5552 3837 04/26 is the site broken', '5225 2479 5552 3837'],
  ['CREDIT_CARD', 'the number 4539578763621486 12 items', '4539578763621486'],
  ['IBAN', 'IBAN DE89-3704-0044-0532-0130-00 please', 'DE89-3704-0044-0532-0130-00'],
  ['IBAN', 'iban de89 3704 0044 0532 0130 00 please', 'de89 3704 0044 0532 0130 00'],
  ['IBAN', 'iban gb82west12345698765432.', 'gb82west12345698765432'],
  ['IBAN', 'IBAN DE89 3704 0044\n0532 0130 00\nBIC COBADEFFXXX', 'DE89 3704 0044\n0532 0130 00'],
  ['SSN', 'SSN 523/45/6789 on file', '523/45/6789'],
  ['SSN', 'social: 523.45.6789 on file', '523.45.6789'],
  ['SSN', 'my social is five two three four five six seven eight nine ok', 'five two three four five six seven eight nine'],
  ['SSN', 'SSN is five two three four five six seven eight nine ok', 'five two three four five six seven eight nine'],
  ['SSN', 'my social is 523456789 ok', '523456789'],
  ['EMAIL', 'contact: marta.kowalczyk%40gmail.com today', 'marta.kowalczyk%40gmail.com'],
  ['EMAIL', 'contact: john%2Edoe%40example%2Ecom today', 'john%2Edoe%40example%2Ecom'],
  ['EMAIL', 'GET /search?email=olivia.brandt%40example.org&limit=20 HTTP/1.1', 'olivia.brandt%40example.org'],
  ['EMAIL', 'write to marta.kowalczyk@\ngmail.com soon', 'marta.kowalczyk@\ngmail.com'],
  ['CREDIT_CARD', 'card 4539%205787%206362%201486 ok', '4539%205787%206362%201486'],
  ['PHONE', 'phone=%2B34623418890&src=footer', '%2B34623418890'],
  ['SECRET', 'the pw for the vpn is Blau*Himmel42 ok', 'Blau*Himmel42'],
  ['SECRET', 'PW: Blau*Himmel42', 'Blau*Himmel42'],
  ['SECRET', 'the pwd for the vpn is Blau*Himmel42 ok', 'Blau*Himmel42'],
  ['SECRET', 'the passwd for the vpn is Blau*Himmel42 ok', 'Blau*Himmel42'],
  ['SECRET', 'the pass for the wifi is Blau*Himmel42 ok', 'Blau*Himmel42'],
  ['SECRET', 'the wifi pass is Blau*Himmel42 ok', 'Blau*Himmel42'],
  ['AWS_ACCESS_KEY', 'key = "AKIAQ2W3E4" + "R5T6Y7U2I3"', 'AKIAQ2W3E4" + "R5T6Y7U2I3'],
  ['AWS_ACCESS_KEY', "key = 'AKIAQ2W3E4' 'R5T6Y7U2I3'", "AKIAQ2W3E4' 'R5T6Y7U2I3"],
  ['AWS_ACCESS_KEY', '$key = "AKIAQ2W3" .\n  "E4R5T6Y7U2I3";', 'AKIAQ2W3" .\n  "E4R5T6Y7U2I3'],
];

const truncatedKey =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aozN3tihPmljnnudb9G3HECdnH\nlWu2/a1gB9JW5TBQ+AVpum9Okx7KfqkfBKL9mcHgSVGZ+bm0bsIZ0x8ecoXIHlKR';

describe('pii: lightly reformatted values (unit)', () => {
  it('each form is found, and its span is the whole value as written', () => {
    for (const [label, text, value] of reformatted) assert.deepEqual(only(label, text), [`${label}:${value}`], text);
  });

  it('mask replaces the whole value (none of it reaches the provider) and restoration gives back the original', () => {
    for (const [label, text, value] of reformatted) {
      const { masked, restored } = maskAndRestore(text);
      assert.ok(masked.includes(`<${label}_1>`), `${text} → ${masked}`);
      assert.ok(!masked.includes(value), `${text} → ${masked}`);
      assert.equal(restored, text);
    }
  });

  it('cards: numbers that only look regrouped are not cards (a list, a failed check digit, no cue)', () => {
    const negatives = [
      // Irregular and 2-digit groups only right after a card cue.
      'ref 4539 5787636 21486 exp 09/27',
      'draw 45 39 57 87 63 62 14 86',
      'the card game scores were 45 39 57 87 63 62 14 86',
      // Three 8-digit numbers are a list, not a card in 8-8 (the first two are the card above).
      'orders 45395787 63621486 12345678',
      'orders 20240315 20240316',
      'tracking 94001118 99223344',
      // Mixed separators outside a card's layout; a failed Luhn check.
      '4539-57876 362-1486',
      '4539-5787 6362-1487',
      // Over a line break: one side a longer run (a list), two line breaks, or groups of eight.
      'ids 1234 4539 5787\n6362 1486',
      '4539\n5787\n6362\n1486',
      '45395787\n63621486',
      // Sums, versions, dates, prices.
      '1200+3400+5600+7800',
      'version 4.5.3.9 build 5787.6362.1486',
      'from 2024-01-15 to 2025-03-31, 12/05/2024',
      'total $4,539.57 or 8763.62 EUR',
    ];
    for (const text of negatives) assert.deepEqual(only('CREDIT_CARD', text), [], text);
    // A number on the line before a card leaves the card whole.
    assert.deepEqual(only('CREDIT_CARD', 'Invoice 2024\n4111 1111 1111 1111'), ['CREDIT_CARD:4111 1111 1111 1111']);
  });

  it('IBAN: a failed check, mixed case or a hex string is none', () => {
    for (const text of ['DE89-3704-0044-0532-0130-01', 'De89 3704 0044 0532 0130 00', 'dE89370400440532013000', 'sha de89370400440532013000ab91', 'iban de89 3704 0044\n\n0532 0130 00']) {
      assert.deepEqual(only('IBAN', text), [], text);
    }
  });

  it('SSN: nine digits with no cue, versions, dates and other words before spoken digits stay out', () => {
    for (const text of ['id 523456789 on file', 'version 523.45.6789.1', 'build 1.523.45.6789', 'on 12/05/2024 and 2024.05.12', 'social media is one two three four five six seven eight nine', '523/45-6789']) {
      assert.deepEqual(only('SSN', text), [], text);
    }
  });

  it('percent-escapes: only the punctuation of values is decoded, so a % in prose or a password is left alone', () => {
    assert.equal(encodedView('grew 8.4% to 41%, 100%25 sure, Saffron%50'), null);
    const view = encodedView('a%40b%2Ec%20d%2b%5F')!;
    assert.equal(view.text, 'a@b.c d+_');
    // Letters and digits are not decoded: a password holding such a sequence keeps it.
    assert.deepEqual(only('SECRET', 'my netflix password is Saffron%50 if you want'), ['SECRET:Saffron%50']);
    assert.deepEqual(only('EMAIL', 'marta%2Ekowalczyk%2540gmail.com (escaped twice)'), []);
  });

  it('e-mail over a line break: only right after the @, one line break', () => {
    for (const text of ['marta.kowalczyk@\n\ngmail.com', 'a matrix product x @\nweights.npy', 'marta.kowalczyk\n@gmail.com']) assert.deepEqual(only('EMAIL', text), [], text);
  });

  it('"pw" and "pass" count only before what names a value, and not a ticket\'s pass', () => {
    const negatives = [
      'Your boarding pass is attached: BA2490-17C',
      'my bus pass is 1234-5678-XY9',
      "I'll pass it to Maria on 2024-05-01T10:00",
      'pass the salt, then 12 more',
      'use pwgen for a password generator',
    ];
    for (const text of negatives) assert.deepEqual(only('SECRET', text), [], text);
  });

  it('private key with no END line: to the end of its base64 body, not the prose after it', () => {
    assert.deepEqual(spans(truncatedKey), [`PRIVATE_KEY:${truncatedKey}`]);
    const withProse = `${truncatedKey}\n\nwhy does ssh reject this?`;
    assert.deepEqual(spans(withProse), [`PRIVATE_KEY:${truncatedKey}`]);
    const encrypted = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,ABCDEF0123456789\n\nMIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0b\nlWu2/a1gB9JW5TBQ';
    assert.deepEqual(spans(`${encrypted}\nother: 1`), [`PRIVATE_KEY:${encrypted}`]);
    const escaped = String.raw`-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7`;
    assert.deepEqual(spans(`{"key":"${escaped}"}`), [`PRIVATE_KEY:${escaped}`]);
    // The BEGIN line alone, quoted in prose, is no key; a whole block is still read to its END.
    assert.deepEqual(spans('a file starting with -----BEGIN RSA PRIVATE KEY----- is a key\nok'), []);
    const whole = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----';
    assert.deepEqual(spans(`${whole}\nok`), [`PRIVATE_KEY:${whole}`]);
  });

  it('AWS key ids: split pieces must make one whole key id; lower case is no key id', () => {
    for (const text of ['key = "AKIAQ2W3E4" + "R5T6"', 'x = "AKIAQ2W3E4" + name', 'aws key akiaq2w3e4r5t6y7u2i3', 'k = "AKIAQ2W3E4" + \'R5T6Y7U2I3\'']) {
      assert.deepEqual(only('AWS_ACCESS_KEY', text), [], text);
    }
  });

  it('hard negatives the docs exempt: a product SKU is no phone, a placeholder key is no secret', () => {
    for (const text of ['Replacement part SKU 276-650-6191', 'SKU: 415-263-8841', 'Artikelnummer 415 263 8841']) assert.deepEqual(only('PHONE', text), [], text);
    for (const text of ['STRIPE_SECRET_KEY=sk_test_your_key_here', 'OPENAI_API_KEY=sk-insert-key-here', 'token=ghp_your_github_token', 'API_KEY=abc123_xxxx']) {
      assert.deepEqual(spans(text), [], text);
    }
    // A real key and a password with such a word inside still count.
    assert.deepEqual(only('SECRET', 'secret: Kx9_put_here_8'), ['SECRET:Kx9_put_here_8']);
    assert.deepEqual(only('PHONE', 'call me at 415-263-8841'), ['PHONE:415-263-8841']);
  });

  it('cue words and shapes the audit found missing', () => {
    assert.deepEqual(only('PERSON', 'Cardholder DAVID KOWALCZYK called about the charge.'), ['PERSON:DAVID KOWALCZYK']);
    assert.deepEqual(only('PERSON', 'The cardholder DAVID KOWALCZYK VISA ending 1486 disputes it.'), ['PERSON:DAVID KOWALCZYK']);
    assert.deepEqual(only('PERSON', 'Cardholder VISA PLATINUM benefits apply.'), []);
    assert.deepEqual(only('PERSON', '<client><prenom>Camille</prenom><nom>Lefebvre</nom></client>'), ['PERSON:Camille', 'PERSON:Lefebvre']);
    assert.deepEqual(only('PERSON', 'Hej! Jag heter Laura och jag bor i Malmö.'), ['PERSON:Laura']);
    assert.deepEqual(only('PHONE', 'Bel me op 06-52017458 als er iets is.'), ['PHONE:06-52017458']);
    assert.deepEqual(only('ADDRESS', 'Ik woon Am Mühlbach 116, 20095 Hamburg.'), ['ADDRESS:Am Mühlbach 116, 20095 Hamburg']);
    // A German prefix and a capitalised word are prose without a house number, postcode and city.
    for (const text of ['Am Montag 14 Uhr in Hamburg', 'Im Jahr 2019, 12345 Menschen', 'Am Mühlbach 116 wohnt niemand']) assert.deepEqual(only('ADDRESS', text), [], text);
  });
});
