import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scannerFor } from '../../src/plugins/pii/index.ts';
import { MaskVault } from '../../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema, resolvePolicy } from '../../src/plugins/pii/pii-config.ts';
import { PiiPass } from '../../src/plugins/pii/pii-pass.ts';
import { HeldText } from '../../src/plugins/pii/stream-hold-back.ts';
import { assertScalesLinearly, repeated } from '../helpers/assert-linear.ts';
import { found, scanner } from '../plugins/pii/pii-helpers.ts';

// The blind guardrail audit guard8 (F6-F12), in our own wording, with each of its texts as one case:
// a driver's licence under a record key (`license_number=`) let through; with a wide phone country
// list, a batch number and a coordinate redacted as phones; a heading word after "Password" taken for
// the password; the URL of a documentation curl line taken for the password of `username:password`; a
// Spanish general-knowledge question whose famous name was redacted; a bracket that closes the sentence
// swallowed with an international phone; passports under a plural heading and a date of birth in
// brackets after its cue let through.

/** The audit's wide phone country list. */
const wideCountries = { entities: { phone: { countries: ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'AU', 'JP', 'BR', 'PL', 'SE', 'CA', 'IN', 'MX', 'PT', 'TR'] } } };

function redacted(text: string): string {
  const policy = resolvePolicy(piiConfigSchema.parse({ request: 'redact' }));
  return new PiiPass(scannerFor(policy, 'request'), (entity) => policy.actions.get(entity)?.request ?? 'off', new MaskVault()).apply(text);
}

const answerPolicy = resolvePolicy(piiConfigSchema.parse({ request: 'off', response: 'redact' }));
const answerPass = (): PiiPass => new PiiPass(scannerFor(answerPolicy, 'response'), (entity) => answerPolicy.actions.get(entity)?.response ?? 'off', new MaskVault());

/** What the client gets when the answer streams in chunks of `size` characters. */
function streamed(text: string, size: number): string {
  const held = new HeldText(answerPass(), null, false);
  let out = '';
  for (let index = 0; index < text.length; index += size) out += held.push(text.slice(index, index + size));
  return out + held.flush();
}

describe('pii: a licence number under a record key', () => {
  it('`license_number=`, `licence_no:`, `licenseNumber` and a JSON key name a licence', () => {
    assert.deepEqual(found('license_number=197 803 111&state=CA'), ['DRIVERS_LICENSE:197 803 111']);
    assert.deepEqual(found('license_number: D4829163'), ['DRIVERS_LICENSE:D4829163']);
    assert.deepEqual(found('{"license_number": "D4829163"}'), ['DRIVERS_LICENSE:D4829163']);
    assert.deepEqual(found('licenseNumber=B7730195'), ['DRIVERS_LICENSE:B7730195']);
    assert.deepEqual(found('GET /renew?licence_no=K1234567&issued=2019'), ['DRIVERS_LICENSE:K1234567']);
    assert.deepEqual(found('{"state": "TX", "licence_id": "X5519024"}'), ['DRIVERS_LICENSE:X5519024']);
  });

  it('not a software key under the same key, nor a software licence named in prose', () => {
    assert.deepEqual(found('license_key=7KQ2M-X9PLA-33RTW-8ZZ10'), []);
    assert.deepEqual(found('license_number=ABCD-1234-EFGH-5678'), []);
    assert.deepEqual(found('Please enter your license number: 4471-2290 for the software'), []);
  });
});

describe('pii: numbers a wide phone country list took for phones', () => {
  it('a batch, lot or build number after a year and a decimal coordinate are no phones', () => {
    assert.deepEqual(found('Batch 2025.11.997 passed QA.', wideCountries), []);
    assert.deepEqual(found('Coordinates: 51.79014, 13.75566 (city centre).', wideCountries), []);
    assert.deepEqual(found('Lot 2024.03.551 shipped on Monday.', wideCountries), []);
    assert.deepEqual(found('Lot 2022.08.412 recalled.', wideCountries), []);
    assert.deepEqual(found('Coordinates 48.13743, 11.57549 (Marienplatz)', wideCountries), []);
    assert.deepEqual(found('Reading: 21.53719 kPa', wideCountries), []);
  });

  it('Swedish numbers with their 0, dotted numbers after a cue and North American dotted numbers still are', () => {
    assert.deepEqual(found('Ring 070-123 45 67 efter lunch', wideCountries), ['PHONE:070-123 45 67']);
    assert.deepEqual(found('Tel: 08-123 456 78', wideCountries), ['PHONE:08-123 456 78']);
    assert.deepEqual(found('Tel. 030.1234567', wideCountries), ['PHONE:030.1234567']);
    assert.deepEqual(found('Call 212.943.1556 today'), ['PHONE:212.943.1556']);
  });
});

describe('pii: what comes after a password word', () => {
  it('a heading word and its colon is no password', () => {
    assert.deepEqual(found('Password requirements: at least 12 characters, one digit, one symbol.'), []);
    assert.deepEqual(found('Password guidelines: use a passphrase of four words.'), []);
    assert.deepEqual(found('Password complexity: mixed case and a number.'), []);
    assert.deepEqual(found('Password restrictions: no reuse of the last five.'), []);
    assert.deepEqual(found('password: Tr0ub4dor&3x'), ['SECRET:Tr0ub4dor&3x']);
  });

  it('the URL after a documentation `user:password` is no password; a real one after a URL still is', () => {
    assert.deepEqual(found('Docs: curl -u username:password https://api.example.com/v1/status'), []);
    assert.deepEqual(found('curl -u admin:password https://intranet.example.org/health'), []);
    assert.deepEqual(found('wget --user=user --password=password https://files.example.com/a.zip'), []);
    assert.deepEqual(found('user:password=Hunter2!xyz'), ['SECRET:Hunter2!xyz']);
    assert.deepEqual(found('The password for the portal https://portal.example.com is Gr33n!Tea42'), ['SECRET:Gr33n!Tea42']);
  });
});

describe('pii: general-knowledge questions in other languages', () => {
  it('a famous name in a question that opens with ¿ or with a where/when/why word is left', () => {
    assert.deepEqual(found('¿Quién fue Frida Kahlo y cuál es su obra más conocida?'), []);
    assert.deepEqual(found('¿Por qué es famosa Frida Kahlo?'), []);
    assert.deepEqual(found('Où est né Victor Hugo ?'), []);
    assert.deepEqual(found('Perché è famosa Maria Montessori?'), []);
    assert.deepEqual(found('Wo wurde Albert Einstein geboren?'), []);
  });

  it('someone the asker knows is still a person', () => {
    assert.deepEqual(found('¿Quién es Lucía Fernández? Es mi vecina, su email es lucia.f@example.com'), ['PERSON:Lucía Fernández', 'EMAIL:lucia.f@example.com']);
    assert.deepEqual(found('Quando è nata mia sorella Giulia Bianchi?'), ['PERSON:Giulia Bianchi']);
  });
});

describe('pii: brackets around a phone number', () => {
  it('a bracket that closes or opens the sentence stays in the text', () => {
    assert.equal(redacted('Call +1 212 943 1556) now'), 'Call [PHONE]) now');
    assert.equal(redacted('(sofia@example.org, +1 212 943 1556) reported the leak'), '([EMAIL], [PHONE]) reported the leak');
    assert.equal(redacted('The desk (ring +44 20 7946 0958) is staffed until six.'), 'The desk (ring [PHONE]) is staffed until six.');
    assert.equal(redacted('(212 943 1556 is the desk line'), '([PHONE] is the desk line');
  });

  it('a number\'s own brackets are part of it', () => {
    assert.equal(redacted('Call (212) 943-1556 now'), 'Call [PHONE] now');
    assert.equal(redacted('My number: +44 (0)20 7946 0958.'), 'My number: [PHONE].');
  });
});

describe('pii: passports under a plural heading, a date of birth in brackets', () => {
  it('"our passports: mine is …" and the next owner\'s', () => {
    assert.deepEqual(found("Hi,\nour passports: mine is K3736277 and my husband's (P7731942).\nThanks"), ['PASSPORT:K3736277', 'PASSPORT:P7731942']);
    assert.deepEqual(found("Our passports — mine is 502918374, my daughter's is X8812405."), ['PASSPORT:502918374', 'PASSPORT:X8812405']);
    assert.deepEqual(found("Passports: my wife's: C2T91LK07, mine: C7Y45PL20"), ['PASSPORT:C2T91LK07', 'PASSPORT:C7Y45PL20']);
    assert.deepEqual(found('Nuestros pasaportes: el mío es PAB123456 y el de mi marido (XDC778812).'), ['PASSPORT:PAB123456', 'PASSPORT:XDC778812']);
    assert.deepEqual(found('We lost our passports: what should we do?'), []);
    assert.deepEqual(found('my passport (936001644) and a booking ref (ABC12345)'), ['PASSPORT:936001644']);
  });

  it('a date in brackets right after the birth cue, words before it', () => {
    assert.deepEqual(found('Please confirm your date of birth (we have 5 July 1992) and your address.'), ['DATE_OF_BIRTH:5 July 1992']);
    assert.deepEqual(found('DOB (on file: 1988-02-11)'), ['DATE_OF_BIRTH:1988-02-11']);
    assert.deepEqual(found('Could you check the date of birth (our records say 12/04/1985)?'), ['DATE_OF_BIRTH:12/04/1985']);
    assert.deepEqual(found('Geburtsdatum (laut Ausweis 14.02.1975)'), ['DATE_OF_BIRTH:14.02.1975']);
    // An example of the format is no one's.
    assert.deepEqual(found('date of birth (format: 1990-01-31)'), []);
    assert.deepEqual(found('Date of birth (e.g. 3 May 1990)'), []);
  });

  it('each streams as it is redacted whole, in chunks of 1, 3 and 7 characters', () => {
    for (const text of [
      'Please confirm your date of birth (we have 5 July 1992) and your address.',
      "our passports: mine is K3736277 and my husband's (P7731942).",
      '(sofia@example.org, +1 212 943 1556) reported the leak',
      'Docs: curl -u username:password https://api.example.com/v1/status',
    ]) {
      const whole = answerPass().apply(text);
      for (const size of [1, 3, 7]) assert.equal(streamed(text, size), whole, `${JSON.stringify(text)} in chunks of ${size}`);
    }
  });

  it('stays linear on bracketed birth dates, plural headings, record keys and password words before URLs', () => {
    const scan = (text: string) => scanner().scan(text);
    for (const unit of ['date of birth (we have ', 'date of birth (a b c d e 5 July 1992 ', 'passports: mine is ', "our passports: mine is K3736277 and my husband's (", 'license_number=', 'password https://a.example.com ', 'user:password ', '+1 212 943 1556) (']) {
      assertScalesLinearly(scan, repeated(unit), JSON.stringify(unit));
    }
  });
});

// The regression sweep after guard8: a placeholder `username:password` before a URL with a path
// still lost the path ("https://api.example.com/[SECRET]"), and curl's real `-u user:password` was
// not read at all.
describe('pii: curl -u credentials', () => {
  const scanSecrets = (text: string) => {
    const scanner = scannerFor(resolvePolicy(piiConfigSchema.parse({ request: 'redact' })), 'request');
    return scanner.scan(text).filter((detection) => detection.label === 'SECRET').map((detection) => text.slice(detection.start, detection.end));
  };
  it('a placeholder pair leaves the address and its path whole', () => {
    assert.deepEqual(scanSecrets('curl -u username:password https://api.example.com/v1/items'), []);
    assert.deepEqual(scanSecrets('Try: curl -s -u user:pass https://status.example.org/v2/health/checks'), []);
    assert.deepEqual(scanSecrets('curl --user=svc:$TOKEN https://a.example.com/x/y1'), []);
  });
  it('a real password after -u or --user is a secret, the user name and the address are not', () => {
    assert.deepEqual(scanSecrets('curl -u admin:S3cr3tPass! https://api.example.com/v1/items'), ['S3cr3tPass!']);
    assert.deepEqual(scanSecrets("curl -X POST -u 'deploy:Xk9#mQ2v' https://ci.example.com/api/run"), ['Xk9#mQ2v']);
    assert.deepEqual(scanSecrets('curl --user ops:Tr0ub4dor-88 -H "Accept: application/json" https://x.example.com/'), ['Tr0ub4dor-88']);
  });
});
