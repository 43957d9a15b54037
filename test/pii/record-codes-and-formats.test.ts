import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertScalesLinearly, repeated } from '../helpers/assert-linear.ts';
import { found, scanner } from '../plugins/pii/pii-helpers.ts';

// The shapes of guard7 F4-F5 at their edges: which record words exempt an SSN layout and which do
// not, a stream's scan of a list's later numbers, slashed phones only after a cue, Basic credentials
// only when the base64 holds `user:password`; and each new pattern in linear time.

describe('pii: record codes and more value formats', () => {
  it('an SSN layout after a goods or ledger word, or later in its list, is no SSN; after a person word it still is', () => {
    assert.deepEqual(found('SKU list: 300-12-5546, 412-55-0198 and 187-23-4401'), []);
    assert.deepEqual(found('Product codes:\n300-12-5546\n412-55-0198'), []);
    assert.deepEqual(found('Invoice no. 523-45-6789 is overdue; ref 412-55-0198.'), []);
    assert.deepEqual(found('member ID 523-45-6789'), ['SSN:523-45-6789']);
    assert.deepEqual(found('SSNs: 523-45-6789, 412-55-0198'), ['SSN:523-45-6789', 'SSN:412-55-0198']);
    // A sentence between the list and the next number ends the list.
    assert.deepEqual(found('SKU list: 300-12-5546. The employee SSN is 412-55-0198.'), ['SSN:412-55-0198']);
  });

  it('a stream scanning from a later number of a list sees the goods word before it', () => {
    const text = 'SKU list: 300-12-5546, 412-55-0198, 187-23-4401';
    assert.deepEqual(scanner().scan(text, text.indexOf('187')), []);
  });

  it('a slashed phone only after a phone cue', () => {
    assert.deepEqual(found('Tel. 030/89761234'), ['PHONE:030/89761234']);
    assert.deepEqual(found('erreichbar unter 0711/123 45 67'), ['PHONE:0711/123 45 67']);
    assert.deepEqual(found('Az. 030/89761234'), []);
    assert.deepEqual(found('Bestellnummer 030/89761234'), []);
  });

  it('an Italian street with a dash before the postcode, and a second passport after "mine is"', () => {
    assert.deepEqual(found('consegna in Via Roma, 15 - 20121 Milano.'), ['ADDRESS:Via Roma, 15 - 20121 Milano']);
    assert.deepEqual(found("my wife's passport is YA4412873 and mine is YA4412874"), ['PASSPORT:YA4412873', 'PASSPORT:YA4412874']);
  });

  it('a DNI with dots, its check letter still checked', () => {
    assert.deepEqual(found('DNI 12.345.678-Z'), ['NATIONAL_ID:12.345.678-Z']);
    assert.deepEqual(found('DNI 12.345.678-A'), []);
  });

  it('HTTP Basic credentials only when the base64 decodes to user:password', () => {
    assert.deepEqual(found('Authorization: Basic bWVnYW46U3VwZXJTZWNyZXQhMjAyNg=='), ['SECRET:bWVnYW46U3VwZXJTZWNyZXQhMjAyNg==']);
    assert.deepEqual(found('curl -H "authorization: Basic YWRtaW46czNjcjN0LVBhc3M="'), ['SECRET:YWRtaW46czNjcjN0LVBhc3M=']);
    // Documentation's username:password, a word after "basic", base64 of no credentials.
    assert.deepEqual(found('Authorization: Basic dXNlcm5hbWU6cGFzc3dvcmQ='), []);
    assert.deepEqual(found('We use Basic authentication everywhere'), []);
    assert.deepEqual(found('Basic aGVsbG8gd29ybGQ='), []);
  });

  it('stays linear on listed codes, goods words, slashed numbers and Basic runs', () => {
    const scan = (text: string) => scanner().scan(text);
    for (const unit of ['300-12-5546, ', 'SKU list: 300-12-5546, ', 'lotlotlotlot 523-45-6789 ', 'Tel. 030/8976 1234 ', '0/0/0/0/', 'Basic bWVnYW46U3VwZXJTZWNyZXQhMjAyNg== ']) {
      assertScalesLinearly(scan, repeated(unit), JSON.stringify(unit));
    }
    assertScalesLinearly(scan, (size) => `Authorization: Basic ${'QUFB'.repeat(size / 4)}`, 'one long base64 run');
  });
});
