import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ibanValid } from '../../../src/plugins/pii/detectors/iban.ts';
import { knownIssuer, luhnValid } from '../../../src/plugins/pii/detectors/payment-card.ts';
import { ssnValid } from '../../../src/plugins/pii/detectors/ssn.ts';
import { found } from './pii-helpers.ts';

function labels(text: string): string[] {
  return found(text).map((entry) => entry.slice(0, entry.indexOf(':')));
}

describe('pii detectors', () => {
  it('email: addresses, including Unicode local parts and subdomains; not handles or malformed ones', () => {
    assert.deepEqual(found('write to john.doe+tag@example.co.uk today'), ['EMAIL:john.doe+tag@example.co.uk']);
    assert.deepEqual(found('josé.núñez@correo.es'), ['EMAIL:josé.núñez@correo.es']);
    assert.deepEqual(found('follow @tollgate and see user@localhost or a..b@example.com or .a@example.com'), []);
  });

  it('phone: international numbers of several countries and US national formats', () => {
    assert.deepEqual(found('call +44 20 7946 0958 now'), ['PHONE:+44 20 7946 0958']);
    assert.deepEqual(found('Berlin: +49 30 901820'), ['PHONE:+49 30 901820']);
    assert.deepEqual(found('Paris 0033 1 42 68 53 00'), ['PHONE:0033 1 42 68 53 00']);
    assert.deepEqual(found('mobile +86 138 0013 8000'), ['PHONE:+86 138 0013 8000']);
    assert.deepEqual(found('office (415) 555-2671 or 415.555.2671'), ['PHONE:(415) 555-2671', 'PHONE:415.555.2671']);
  });

  it('phone: not plain digit runs, dates, versions or invalid numbers', () => {
    assert.deepEqual(found('order 41555526710 shipped, invoice 2024011510'), []);
    assert.deepEqual(found('meeting on 2024-01-15 10:30 and 15/01/2024'), []);
    assert.deepEqual(found('+1 555 0100 000'), []);
    assert.deepEqual(found('numbers 123 456 7890'), []);
  });

  it('phone: a plain digit run counts after a phone cue word', () => {
    assert.deepEqual(found('phone: 4155552671'), ['PHONE:4155552671']);
  });

  it('phone: national formats of configured countries', () => {
    assert.deepEqual(found('ring 020 7946 0958', { entities: { phone: { countries: ['GB'] } } }), ['PHONE:020 7946 0958']);
    assert.deepEqual(found('office 020 7946 0958'), []);
  });

  it('phone: after a cue word, any country\'s national format of a phone\'s length', () => {
    assert.deepEqual(found('call me at 07700 900461 tomorrow'), ['PHONE:07700 900461']);
    assert.deepEqual(found('Telefon: 0341 5550 2817.'), ['PHONE:0341 5550 2817']);
    assert.deepEqual(found('Joignable au 06 55 50 12 98.'), ['PHONE:06 55 50 12 98']);
    assert.deepEqual(found('Ni når mig på 070-555 12 34 eller'), ['PHONE:070-555 12 34']);
    assert.deepEqual(found('Phone: 0491 570 156'), ['PHONE:0491 570 156']);
  });

  it('phone: international numbers in ranges kept for fiction are possible, so they count', () => {
    assert.deepEqual(found('my phone number is +44 7700 900118, please'), ['PHONE:+44 7700 900118']);
    assert.deepEqual(found('"phone": "+44 7700 900234"'), ['PHONE:+44 7700 900234']);
  });

  it('phone: not order or invoice numbers, money or versions after a cue', () => {
    assert.deepEqual(found('Bestellung Nr. 2024-118832 wurde versendet.'), []);
    assert.deepEqual(found('order number: 5510-2889-11'), []);
    assert.deepEqual(found('call about the refund of $1 250 000.00'), []);
    assert.deepEqual(found('contact support about version 10.2.3'), []);
    assert.deepEqual(found('phone: 2024-03-05'), []);
  });

  it('payment cards: Luhn-valid numbers with a known issuer, grouped or not', () => {
    assert.deepEqual(found('visa 4111 1111 1111 1111'), ['CREDIT_CARD:4111 1111 1111 1111']);
    assert.deepEqual(found('mc 5555-5555-5555-4444'), ['CREDIT_CARD:5555-5555-5555-4444']);
    assert.deepEqual(found('amex 3782 822463 10005'), ['CREDIT_CARD:3782 822463 10005']);
    assert.deepEqual(found('discover 6011111111111117'), ['CREDIT_CARD:6011111111111117']);
    assert.deepEqual(found('mc2 2223003122003222'), ['CREDIT_CARD:2223003122003222']);
  });

  it('payment cards: not a wrong check digit, an unknown issuer, odd grouping or mixed separators', () => {
    assert.deepEqual(labels('4111 1111 1111 1112'), []);
    assert.deepEqual(labels('0000 0000 0000 0000'), []); // Luhn-valid, no issuer
    assert.deepEqual(labels('9111111111111111'), []);
    assert.deepEqual(labels('41 11 11 11 11 11 11 11'), []);
    // Spaces and hyphens mixed only in a card's own layout (4-4-4-4 is one: test/pii/reformatted-values.test.ts).
    assert.deepEqual(labels('4111-11111 111-1111'), []);
    assert.equal(luhnValid('79927398713'), true);
    assert.equal(luhnValid('79927398710'), false);
    assert.equal(knownIssuer('378282246310005'), true);
    assert.equal(knownIssuer('37828224631000'), false); // Amex is 15 digits
  });

  it('IBAN: mod-97 and country length, compact or in groups, words after it trimmed', () => {
    assert.deepEqual(found('pay DE89 3704 0044 0532 0130 00 please'), ['IBAN:DE89 3704 0044 0532 0130 00']);
    assert.deepEqual(found('GB82WEST12345698765432'), ['IBAN:GB82WEST12345698765432']);
    assert.deepEqual(found('FR14 2004 1010 0505 0001 3M02 606 IS MINE'), ['IBAN:FR14 2004 1010 0505 0001 3M02 606']);
    assert.deepEqual(found('GB82WEST12345698765433 and DE89370400440532013001 and XX89370400440532013000'), []);
    assert.equal(ibanValid('NO9386011117947'), true);
    assert.equal(ibanValid('NO938601111794'), false);
  });

  it('SSN: area/group/serial rules', () => {
    assert.deepEqual(found('ssn 536-22-1234'), ['SSN:536-22-1234']);
    assert.deepEqual(found('SSN: 536221234'), ['SSN:536221234']);
    assert.deepEqual(labels('000-12-3456 666-12-3456 900-12-3456 536-00-1234 536-22-0000 078-05-1120'), []);
    assert.deepEqual(labels('id 536221234'), []); // nine digits without a cue
    assert.equal(ssnValid('899', '99', '9999'), true);
    assert.equal(ssnValid('666', '12', '3456'), false);
  });

  it('IP addresses: v4 and v6; not versions, times, MAC addresses or out-of-range octets', () => {
    assert.deepEqual(found('from 192.168.1.20 and 2001:db8::8a2e:370:7334'), ['IP_ADDRESS:192.168.1.20', 'IP_ADDRESS:2001:db8::8a2e:370:7334']);
    assert.deepEqual(found('fe80:0:0:0:200:f8ff:fe21:67cf'), ['IP_ADDRESS:fe80:0:0:0:200:f8ff:fe21:67cf']);
    assert.deepEqual(labels('version 1.2.3.4, at 10:30:45, mac 00:1A:2B:3C:4D:5E, 256.1.1.1, ::1, std::vector'), []);
  });

  it('secrets: AWS key ids and secret keys', () => {
    assert.deepEqual(found('AKIAIOSFODNN7EXAMPLE'), ['AWS_ACCESS_KEY:AKIAIOSFODNN7EXAMPLE']);
    assert.deepEqual(found('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), ['AWS_SECRET_KEY:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
    assert.deepEqual(labels('AKIA is the prefix; AKIAIOSFODNN7EXAMPL is too short'), []);
  });

  it('secrets: PEM private keys, JWTs and provider tokens', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx5\n-----END RSA PRIVATE KEY-----';
    assert.deepEqual(found(`key:\n${pem}\nthanks`), [`PRIVATE_KEY:${pem}`]);
    assert.deepEqual(labels('-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----'), []);
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    assert.deepEqual(found(`Authorization: Bearer ${jwt}`), [`JWT:${jwt}`]);
    assert.deepEqual(labels('eyJub3RhIjoiand0In0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc'), []); // header has no alg
    assert.deepEqual(found('sk-proj-4fJ8kL2mN9pQ7rS3tU6vW1xY5zA0bC'), ['API_KEY:sk-proj-4fJ8kL2mN9pQ7rS3tU6vW1xY5zA0bC']);
    assert.deepEqual(found('ghp_1234567890abcdefghijABCDEFGHIJ123456'), ['API_KEY:ghp_1234567890abcdefghijABCDEFGHIJ123456']);
    assert.deepEqual(found('xoxb-123456789012-abcdefghij'), ['API_KEY:xoxb-123456789012-abcdefghij']);
    assert.deepEqual(labels('use sk-learn-compatible-estimators here'), []);
  });

  it('secrets: high-entropy values after key-like words; not placeholders or plain words', () => {
    assert.deepEqual(found('password: Tr0ub4dor&3x!'), ['SECRET:Tr0ub4dor&3x!']);
    assert.deepEqual(found('"client_secret": "q8Zr-2mXv_91LpQe"'), ['SECRET:q8Zr-2mXv_91LpQe']);
    assert.deepEqual(labels('password is incorrect, api_key=YOUR_API_KEY, token: ${GITHUB_TOKEN}, secret=<redacted>'), []);
  });

  it('dates of birth: after cue words, several formats and languages; not other dates', () => {
    assert.deepEqual(found('date of birth: 12/03/1985'), ['DATE_OF_BIRTH:12/03/1985']);
    assert.deepEqual(found('I was born on March 3, 1990.'), ['DATE_OF_BIRTH:March 3, 1990']);
    assert.deepEqual(found('DOB 1985-02-11'), ['DATE_OF_BIRTH:1985-02-11']);
    assert.deepEqual(found('geboren am 3.4.1975'), ['DATE_OF_BIRTH:3.4.1975']);
    assert.deepEqual(found('fecha de nacimiento: 7 de'), []);
    assert.deepEqual(labels('the invoice date is 12/03/1985; born in 1990; DOB 13/13/1985'), []);
  });

  it('custom patterns from config, with their own names', () => {
    assert.deepEqual(found('employee E-123456 and E-12345', { custom: [{ name: 'EMPLOYEE_ID', pattern: 'E-\\d{6}' }] }), ['EMPLOYEE_ID:E-123456']);
    assert.deepEqual(found('ticket ab-12', { custom: [{ name: 'TICKET', pattern: '(ab)-(\\d+)', flags: 'i' }] }), ['TICKET:ab-12']);
  });

  it('email: addresses written out or bracketed; not "at" and "dot" in a sentence', () => {
    assert.deepEqual(found('reach me at olu dot bankole at example dot org tonight'), ['EMAIL:olu dot bankole at example dot org']);
    assert.deepEqual(found('mail k_varga [at] example [dot] net'), ['EMAIL:k_varga [at] example [dot] net']);
    assert.deepEqual(found('meet me at noon dot com is a joke'), []);
    assert.deepEqual(found('look at this dot product of vectors'), []);
  });

  it('ip_address: loopback, unspecified and version numbers are not addresses', () => {
    assert.deepEqual(found('listening on 0.0.0.0:8080, health on 127.0.0.1:9000, peer 198.51.100.23'), ['IP_ADDRESS:198.51.100.23']);
    assert.deepEqual(found('firmware 2.0.1.7 broke it, roll back to 2.0.1.5'), []);
    assert.deepEqual(found('updated firefox to 128.0.3.1 yesterday'), []);
    assert.deepEqual(found('edge router at 203.0.113.77 is down'), ['IP_ADDRESS:203.0.113.77']);
  });

  it('phone: numbers read out in words after a cue or "plus"; more cue words; CSV phone columns', () => {
    assert.deepEqual(found('you can call me back on oh two oh seven nine four six oh one two three cheers'), ['PHONE:oh two oh seven nine four six oh one two three']);
    assert.deepEqual(found('meine nummer ist null eins sieben drei zwei acht acht vier null eins'), ['PHONE:null eins sieben drei zwei acht acht vier null eins']);
    assert.deepEqual(found('message from plus three three six double one two three four five six'), ['PHONE:plus three three six double one two three four five six']);
    assert.deepEqual(found('salut mon num c 06 12 34 56 78'), ['PHONE:06 12 34 56 78']);
    assert.deepEqual(found('naam;telefoon\nPiet;020 555 1234'), ['PERSON:Piet', 'PHONE:020 555 1234']);
    // Hard negatives: counting without a cue, a social security number read out (an SSN, not a phone), a browser version.
    assert.deepEqual(found('count along: one two three four five six seven eight'), []);
    assert.deepEqual(labels('my social security number is four one two three three eight eight one nine'), ['SSN']);
    assert.deepEqual(found('upgraded chrome to 126.0.6478.114 and it works'), []);
  });

  it('secret: placeholders in example configs; a password given in reply in a chat export', () => {
    assert.deepEqual(found('DATABASE_URL=mysql://USER:PASSWORD@HOST:3306/DB\nSECRET_KEY=change-me\nTOKEN=replace_me'), []);
    assert.deepEqual(found('[18:02] <ines> whats the guest wifi password\n[18:03] <bruno> Lagoa#Azul2025 ask before sharing').filter((entry) => entry.startsWith('SECRET:')), ['SECRET:Lagoa#Azul2025']);
    // Hard negative: the reply is words, not a password.
    assert.deepEqual(found('[18:02] Ines: whats the guest wifi password\n[18:03] Bruno: ask-at-reception please').filter((entry) => entry.startsWith('SECRET:')), []);
  });
});
