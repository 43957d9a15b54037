import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bsnValid, codiceFiscaleValid, dniValid, nhsValid, ninoValid, nirValid, personalausweisValid } from '../../../src/plugins/pii/detectors/national-id.ts';
import { found } from './pii-helpers.ts';

describe('pii passport, driver licence and national ID detectors', () => {
  it('passport numbers after a passport cue (EN, DE, FR, ES)', () => {
    assert.deepEqual(found('My passport number is 548213907 and it expires in May.'), ['PASSPORT:548213907']);
    assert.deepEqual(found('Passport no. C01X00T47 (German), expires 2031.'), ['PASSPORT:C01X00T47']);
    assert.deepEqual(found('Reisepassnummer: C4J7R2K91, gültig bis 2029.'), ['PASSPORT:C4J7R2K91']);
    assert.deepEqual(found('Numéro de passeport : 19AB45821'), ['PASSPORT:19AB45821']);
    assert.deepEqual(found('Número de pasaporte: PAA123456.'), ['PASSPORT:PAA123456']);
  });

  it('driver licence numbers after a driver licence cue; not a software licence key', () => {
    assert.deepEqual(found("My driver's license number is D4418273 (California)."), ['DRIVERS_LICENSE:D4418273']);
    assert.deepEqual(found('DL# B2340987 — Nevada'), ['DRIVERS_LICENSE:B2340987']);
    assert.deepEqual(found("Driver's licence number MORGA753116SM9IJ (UK)"), ['DRIVERS_LICENSE:MORGA753116SM9IJ']);
    assert.deepEqual(found('Führerscheinnummer B072RRE2I55 – ausgestellt in München.'), ['DRIVERS_LICENSE:B072RRE2I55']);
    assert.deepEqual(found('Your license number ABCD-1234-EFGH-5678 activates the Pro edition.'), []);
  });

  it('national IDs: validated shapes after their cue words', () => {
    assert.deepEqual(found('NHS number 208 682 8896 — which GP practice?'), ['NATIONAL_ID:208 682 8896']);
    assert.deepEqual(found('My National Insurance number is ZC 56 40 41 A.'), ['NATIONAL_ID:ZC 56 40 41 A']);
    assert.deepEqual(found('Meine Personalausweisnummer ist LZ8Y0MXR79.'), ['NATIONAL_ID:LZ8Y0MXR79']);
    assert.deepEqual(found('DNI: 21259600X, NIE X9468058Q'), ['NATIONAL_ID:21259600X', 'NATIONAL_ID:X9468058Q']);
    assert.deepEqual(found('Codice fiscale: RSSMRA85T10A562S'), ['NATIONAL_ID:RSSMRA85T10A562S']);
    assert.deepEqual(found('N° de sécurité sociale : 2 57 12 47 237 510 50'), ['NATIONAL_ID:2 57 12 47 237 510 50']);
    assert.deepEqual(found('Mijn BSN is 414333779.'), ['NATIONAL_ID:414333779']);
  });

  it('national IDs: not without a cue, not with a wrong check digit', () => {
    assert.deepEqual(found('Order 414333779 shipped; ticket RSSMRA85T10A562S'), []);
    assert.ok(!found('NHS number 208 682 8897').some((entry) => entry.startsWith('NATIONAL_ID')));
    assert.equal(nhsValid('2086828896'), true);
    assert.equal(nhsValid('2086828897'), false);
    assert.equal(ninoValid('ZC564041A'), true);
    assert.equal(ninoValid('GB564041A'), false); // GB is not an allowed prefix
    assert.equal(ninoValid('DC564041A'), false); // D is not an allowed first letter
    assert.equal(personalausweisValid('LZ8Y0MXR79'), true);
    assert.equal(personalausweisValid('LZ8Y0MXR78'), false);
    assert.equal(dniValid('21259600X'), true);
    assert.equal(dniValid('21259600Y'), false);
    assert.equal(dniValid('X9468058Q'), true);
    assert.equal(codiceFiscaleValid('RSSMRA85T10A562S'), true);
    assert.equal(codiceFiscaleValid('RSSMRA85T10A562T'), false);
    assert.equal(nirValid('2 57 12 47 237 510 50'), true);
    assert.equal(nirValid('2 57 12 47 237 510 51'), false);
    assert.equal(bsnValid('414333779'), true);
    assert.equal(bsnValid('414333778'), false);
  });

  it('ID, passport and licence numbers under a CSV column that names them', () => {
    assert.deepEqual(found('nome;cpf\nJoão;529.982.247-25').filter((entry) => entry.startsWith('NATIONAL_ID:')), ['NATIONAL_ID:529.982.247-25']);
    assert.deepEqual(found('{"codice_fiscale":"RSSMRA85T10A562S"}').filter((entry) => entry.startsWith('NATIONAL_ID:')), ['NATIONAL_ID:RSSMRA85T10A562S']);
    assert.deepEqual(found('room,passport\n12,X4821907B').filter((entry) => entry.startsWith('PASSPORT:')), ['PASSPORT:X4821907B']);
    assert.deepEqual(found('driver,license_no\nSam,D4408127').filter((entry) => entry.startsWith('DRIVERS_LICENSE:')), ['DRIVERS_LICENSE:D4408127']);
    // Hard negatives: a software licence column, an unvalidated number under an ID column.
    assert.deepEqual(found('product,license_no\nEditor,AB12345678').filter((entry) => entry.startsWith('DRIVERS_LICENSE:')), []);
    assert.deepEqual(found('nome;cpf\nJoão;123.456.789-00').filter((entry) => entry.startsWith('NATIONAL_ID:')), []);
  });
});
