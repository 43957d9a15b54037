import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startRedactingGateway, type RedactingGateway } from './redacting-gateway.ts';

// What reaches the provider after request-side redaction: numbers in the cells of CSV rows and
// comma lists, national IDs under a snake_case column, passports in brackets, what many phone
// countries must not take for phones, and the edges of an address or a log line's password.

const countries = '[US, GB, DE, FR, ES, IT, NL, IN, AU, BR, JP, CA]';

describe('pii: cells, brackets and log lines, as the provider receives them', () => {
  let gateway: RedactingGateway;

  before(async () => {
    gateway = await startRedactingGateway({ default: '{}', countries: `{ entities: { phone: { countries: ${countries} } } }` });
  });
  after(() => gateway.close());

  /** The user message as the provider received it. */
  const forwarded = (content: string, model = 'default') => gateway.forwarded(model, content);

  it('a card right after a comma: a CSV cell, the second of a list, a cell with no header', async () => {
    assert.equal(await forwarded('txn,card_number,amount\n7731,5555555555554444,19.99\n7732,4012888888881881,5.00'), 'txn,card_number,amount\n7731,[CREDIT_CARD],19.99\n7732,[CREDIT_CARD],5.00');
    assert.equal(await forwarded('refund both: 4012888888881881,5105105105105100 today'), 'refund both: [CREDIT_CARD],[CREDIT_CARD] today');
    assert.equal(await forwarded('row x,378282246310005'), 'row x,[CREDIT_CARD]');
    // A decimal comma is not a cell: "12,4111…" alone is a number with sixteen decimals.
    assert.equal(await forwarded('the ratio came out as 12,4111111111111111 exactly'), 'the ratio came out as 12,4111111111111111 exactly');
  });

  it('every separator a CSV, TSV or log line uses, for cards, phones, IBANs and SSNs', async () => {
    const values: Array<[string, string]> = [
      ['CREDIT_CARD', '5555555555554444'],
      ['PHONE', '(415) 263-8841'],
      ['IBAN', 'GB82WEST12345698765432'],
      ['SSN', '536-22-1457'],
    ];
    for (const separator of [',', ';', '\t', '|', ', ', ' | ']) {
      for (const [label, value] of values) {
        const row = `8812${separator}${value}${separator}42.00`;
        assert.equal(await forwarded(row), `8812${separator}[${label}]${separator}42.00`, JSON.stringify(row));
      }
    }
  });

  it('national IDs under a column that names them, snake_case or in a row with a comma in a cell', async () => {
    assert.equal(await forwarded('id,visit,nhs_no\n1,2025-01-04,943 476 5919'), 'id,visit,nhs_no\n1,2025-01-04,[NATIONAL_ID]');
    assert.equal(await forwarded('klant;bsn_nummer\n7;111222333'), 'klant;bsn_nummer\n7;[NATIONAL_ID]');
    assert.equal(await forwarded('id,visit,date_of_birth,nhs_no\n2,2025-01-04,March 3, 1961,943 476 5919'), 'id,visit,date_of_birth,nhs_no\n2,2025-01-04,[DATE_OF_BIRTH],[NATIONAL_ID]');
  });

  it('a passport number in brackets after the cue, and the next person’s after it', async () => {
    assert.equal(await forwarded("the embassy wants my passport (K4829163) and my husband's (P7731942) scanned"), "the embassy wants my passport ([PASSPORT]) and my husband's ([PASSPORT]) scanned");
    assert.equal(await forwarded("the embassy wants my passport (K4829163) and my husband's (P7731942) scanned", 'countries'), "the embassy wants my passport ([PASSPORT]) and my husband's ([PASSPORT]) scanned");
  });

  it('with many phone countries: draws, versions and meeting ids are not phones; national numbers still are', async () => {
    for (const text of ['The draw tonight came out 5 19 23 31 40 8, no winner.', 'Changelog 2025.07.118: fixed the cache.', 'Zoom meeting ID: 912 3456 7812', 'The webinar id is 731 4420 9915, passcode in the invite.']) {
      assert.equal(await forwarded(text, 'countries'), text);
    }
    for (const phone of ['020 7946 0958', '06 12 34 56 78', '(02) 9374 4000', '03-3224-5000', '(415) 263-8841', '0151 23456789']) {
      assert.equal(await forwarded(`Office line ${phone}, weekdays.`, 'countries'), 'Office line [PHONE], weekdays.', phone);
    }
  });

  it('an address ends at its city’s full stop; a Quebec address is whole; an sshd client address is an IP address', async () => {
    assert.equal(await forwarded('I live at Calle de Serrano 41, 28001 Madrid. The parcel never came.'), 'I live at [ADDRESS]. The parcel never came.');
    assert.equal(await forwarded('Mon adresse: 4410 Rue Saint-Denis, Montréal, QC H2J 2L1 merci'), 'Mon adresse: [ADDRESS] merci');
    assert.equal(
      await forwarded('Mar 02 07:41:19 db-2 sshd[812]: Failed password for invalid user oracle from 176.203.48.95 port 40022 ssh2'),
      'Mar 02 07:41:19 db-2 sshd[812]: Failed password for invalid user oracle from [IP_ADDRESS] port 40022 ssh2',
    );
  });
});
