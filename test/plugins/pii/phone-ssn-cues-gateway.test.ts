import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRedactingGateway, type RedactingGateway } from './redacting-gateway.ts';

// What reaches the provider after request-side redaction: German national numbers (money, meeting
// ids and batch numbers are not phones), SSNs after the ways people name them, and international
// numbers after words like "Accountant" or "Customer".

describe('pii phones and SSNs, as the provider receives them', () => {
  let gateway: RedactingGateway;

  before(async () => {
    gateway = await startRedactingGateway({ german: '{ request: redact, entities: { phone: { countries: [DE] } } }', default: '{}' });
  });
  after(() => gateway.close());

  /** The user message as the provider received it. */
  const forwarded = (model: string, content: string) => gateway.forwarded(model, content);

  it('phone countries [DE]: money, a Zoom meeting id and a batch number are not phones', async () => {
    for (const text of ['Account balance: 34719.54 USD as of 1/7/2025', 'The meeting ID is 845 2290 1176 (Zoom).', 'Batch 20240315-0042 passed QA.', 'Kontostand 12746,71 EUR', 'Ticket 4471 2290 117 closed']) {
      assert.equal(await forwarded('german', text), text);
    }
  });

  it('phone countries [DE]: German numbers still are, national with 0 and an area code, or +49', async () => {
    assert.equal(await forwarded('german', 'Zentrale 030 12345678, Mobil 0151 23456789.'), 'Zentrale [PHONE], Mobil [PHONE].');
    assert.equal(await forwarded('german', 'Büro (089) 123 456 ab 9 Uhr, Sitz +49 30 1234567'), 'Büro [PHONE] ab 9 Uhr, Sitz [PHONE]');
    assert.equal(await forwarded('german', 'wir sind unter 0221 9876543 erreichbar'), 'wir sind unter [PHONE] erreichbar');
  });

  it('SSN cues: "my ssn is", "Tax ID (SSN)", and dashes of any kind', async () => {
    assert.equal(await forwarded('default', 'my ssn is 523456789'), 'my ssn is [SSN]');
    assert.equal(await forwarded('default', 'Tax ID (SSN) 254016146 on the W-2'), 'Tax ID (SSN) [SSN] on the W-2');
    assert.equal(await forwarded('default', 'ssn 523–45–6789'), 'ssn [SSN]');
    assert.equal(await forwarded('default', 'Order 523456789 shipped'), 'Order 523456789 shipped');
  });

  it('an international number with its + country code is a phone whatever word comes before it', async () => {
    assert.equal(await forwarded('default', 'Tom Baker\nSenior Accountant, +1 415 263 8841'), '[PERSON]\nSenior Accountant, [PHONE]');
    assert.equal(await forwarded('default', 'Customer +1 415 263 8841 called twice'), 'Customer [PHONE] called twice');
    assert.equal(await forwarded('default', 'Cheers\nTom Baker\nSenior Accountant\n+44 161 496 0712'), 'Cheers\n[PERSON]\nSenior Accountant\n[PHONE]');
    // National digit runs after such words are still the account's or the order's number.
    assert.equal(await forwarded('default', 'Customer number 4152638841 called twice'), 'Customer number 4152638841 called twice');
  });
});
