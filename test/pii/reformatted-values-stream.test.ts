import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scannerFor } from '../../src/plugins/pii/index.ts';
import { MaskVault } from '../../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema, resolvePolicy } from '../../src/plugins/pii/pii-config.ts';
import { PiiPass } from '../../src/plugins/pii/pii-pass.ts';
import { HeldText } from '../../src/plugins/pii/stream-hold-back.ts';

// A streamed answer must get what the non-streamed one gets (`response: redact`). The blind audit
// (guardrails-4, L1) found one that did not: in "Upgrading from 1.14.46.199 to 2.0.69.1310 …" the
// later four-part number, no address, makes the first a version too, but the stream had sent the
// first as an IP address before the second came. The reformatted values of
// reformatted-values.test.ts must stream as they are found whole.

const policy = resolvePolicy(piiConfigSchema.parse({ request: 'off', response: 'redact' }));
const responseScanner = scannerFor(policy, 'response');
const pass = (): PiiPass => new PiiPass(responseScanner, (entity) => policy.actions.get(entity)?.response ?? 'off', new MaskVault());

/** What the client gets when the answer streams in chunks of `size` characters. */
function streamed(text: string, size: number): string {
  const held = new HeldText(pass(), null, false);
  let out = '';
  for (let index = 0; index < text.length; index += size) out += held.push(text.slice(index, index + size));
  return out + held.flush();
}

const answers = [
  'Upgrading from 1.14.46.199 to 2.0.69.1310 broke the plugin loader.',
  'Upgrading from 1.14.46.199 to 2.0.69.1310 broke the plugin loader, and 203.0.113.9 went down.',
  'The server at 203.0.113.9 restarted after the upgrade; logs show 3 timeouts.',
  'Servers:\n203.0.113.9\n198.51.100.23 (standby)\nRelease 10.4.2.1900 ships today.',
  'Reach me at marta.kowalczyk@\ngmail.com tomorrow.',
  'card 4539 5787\n6362 1486 exp 09/27',
  'card 45395787 63621486 and 4539-5787 6362-1486 and 4539+5787+6362+1486, thanks',
  'card 45 39 57 87 63 62 14 86 ok',
  'IBAN DE89 3704 0044\n0532 0130 00 ok, and iban de89-3704-0044-0532-0130-00',
  'SSN 523/45/6789 and my social is five two three four five six seven eight nine ok',
  '{"vorname":"Miriam","adresse":"Am Kirchberg 5a, 83022 Rosenheim","telefon":"+49 89 99998 305"}',
  'contact: marta.kowalczyk%40gmail.com ok',
  'the pw for the vpn is Blau*Himmel42 ok',
  'key = "AKIAQ2W3E4" + "R5T6Y7U2I3"\nprint(key)',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aozN3tihPmljnnudb9G3HECdnH\nlWu2/a1gB9JW5TBQ+AVpum9Okx7KfqkfBKL9mcHgSVGZ+bm0bsIZ0x8ecoXIHlKR\n\nwhy?',
];

describe('pii: reformatted values and versions beside an address, streamed', () => {
  it('a version upgraded to after an address-shaped version: the stream leaves both alone, as the whole answer does', () => {
    const text = answers[0];
    assert.equal(pass().apply(text), text);
    for (const size of [1, 3, 7]) assert.equal(streamed(text, size), text, `chunks of ${size}`);
  });

  it('every answer streams as it is redacted whole, in chunks of 1, 3, 5 and 7 characters', () => {
    for (const text of answers) {
      const whole = pass().apply(text);
      for (const size of [1, 3, 5, 7]) assert.equal(streamed(text, size), whole, `${JSON.stringify(text)} in chunks of ${size}`);
    }
    assert.equal(pass().apply(answers[2]), 'The server at [IP_ADDRESS] restarted after the upgrade; logs show 3 timeouts.');
  });

  it('an address is held until its line has shown whether a version follows, then redacted; nothing of it leaves before', () => {
    const held = new HeldText(pass(), null, false);
    let out = held.push('The server at 203.0.113.9 restarted after ');
    assert.equal(out, 'The server at ');
    out += held.push('the upgrade and everything since then has been fine.\n');
    assert.equal(out, 'The server at [IP_ADDRESS] restarted after the upgrade and everything since then has been fine.\n');
    assert.equal(held.flush(), '');
  });

  it('an address wrapped after its @ is held until its domain has come', () => {
    const held = new HeldText(pass(), null, false);
    const out = held.push('write to marta.kowalczyk@\n');
    assert.ok(!out.includes('marta'), out);
    assert.equal(out + held.push('gmail.com soon') + held.flush(), 'write to [EMAIL] soon');
  });
});
