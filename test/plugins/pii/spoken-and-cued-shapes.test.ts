import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spokenDigits } from '../../../src/plugins/pii/detectors/spoken-digits.ts';
import { assertScalesLinearly, repeated } from '../../helpers/assert-linear.ts';
import { found, scanner } from './pii-helpers.ts';

const only = (label: string, text: string): string[] => found(text).filter((entry) => entry.startsWith(`${label}:`));

describe('pii: spoken numbers and dates, cues with words between, SQL values, titles', () => {
  it('phones: a cue, an e-mail address and "or" before the number; more cue words; "nieuw nummer" is not a NIE', () => {
    assert.deepEqual(only('PHONE', 'You can reach me at warsame.abdi@posteo.example.org or on 020 7946 0870.'), ['PHONE:020 7946 0870']);
    assert.deepEqual(only('PHONE', 'Sie erreichen mich unter ute74@mail.example.com oder 030 23125 759.'), ['PHONE:030 23125 759']);
    assert.deepEqual(only('PHONE', 'vous pouvez me joindre au 06 39 98 40 17.'), ['PHONE:06 39 98 40 17']);
    assert.deepEqual(only('PHONE', 'U kunt ons bellen op 06-63249626.'), ['PHONE:06-63249626']);
    assert.deepEqual(only('PHONE', 'pieter heeft een nieuw nummer: 06-31029727'), ['PHONE:06-31029727']);
    assert.deepEqual(only('PHONE', 'il nuovo numero di riccardo è 347 2758614, salvalo'), ['PHONE:347 2758614']);
    // Hard negatives: an e-mail address with no phone cue before it; an NIE's digits.
    assert.deepEqual(only('PHONE', 'write to bob@example.com or 0201 4433 221'), []);
    assert.deepEqual(only('PHONE', 'NIE nummer: 06-31029727'), []);
  });

  it('passports and licences: a comma, "(old) number", an owner between the cue and the number; DVLA numbers in a text about a licence', () => {
    assert.deepEqual(only('PASSPORT', 'submitted with the wrong passport number, 883919083.'), ['PASSPORT:883919083']);
    assert.deepEqual(only('PASSPORT', 'renewing my passport, old number 728517321, do i need it'), ['PASSPORT:728517321']);
    assert.deepEqual(only('PASSPORT', 'Die Reisepassnummer von Marlene Zeller lautet CGLWF2561; das Visum'), ['PASSPORT:CGLWF2561']);
    assert.deepEqual(only('PASSPORT', 'mój paszport to EA2909242, ważny do 2030'), ['PASSPORT:EA2909242']);
    assert.deepEqual(only('PASSPORT', 'paspoortnummer BNREDC1L2, geboren in Leiden'), ['PASSPORT:BNREDC1L2']);
    assert.deepEqual(only('DRIVERS_LICENSE', "needs Maeve Tindall's driver's license number, 895 139 841, and a card"), ['DRIVERS_LICENSE:895 139 841']);
    assert.deepEqual(only('DRIVERS_LICENSE', 'Delivery driver applicant Aarav Bhattacharya listed his Texas license as 93907016 today'), ['DRIVERS_LICENSE:93907016']);
    assert.deepEqual(only('DRIVERS_LICENSE', 'liet haar rijbewijs zien, nummer 5333326747, en'), ['DRIVERS_LICENSE:5333326747']);
    assert.deepEqual(only('DRIVERS_LICENSE', "found danielle's driving licence in the car lol, GARRI753271DF9SY, i'll drop it round"), ['DRIVERS_LICENSE:GARRI753271DF9SY']);
    // Hard negatives: one digit in a word, a software licence "as", a DVLA shape with no real date, or with no licence in the text.
    assert.deepEqual(only('PASSPORT', 'passport: PENDING1'), []);
    assert.deepEqual(only('DRIVERS_LICENSE', 'we bought the license as ABC12345 last year'), []);
    assert.deepEqual(only('DRIVERS_LICENSE', 'licence check GARRI793271DF9SY'), []);
    assert.deepEqual(only('DRIVERS_LICENSE', 'build id GARRI753271DF9SY passed'), []);
  });

  it('SQL INSERT values under named columns: names, phones, dates of birth, national IDs', () => {
    assert.deepEqual(found("INSERT INTO clients (nom, courriel, tel) VALUES ('Gaëlle Le Goff', 'gaelle.legoff@example.org', '+33 6 39 98 17 64');"), [
      'PERSON:Gaëlle Le Goff',
      'EMAIL:gaelle.legoff@example.org',
      'PHONE:+33 6 39 98 17 64',
    ]);
    assert.deepEqual(only('PHONE', "INSERT INTO socios (nombre, iban, movil) VALUES ('Íñigo Etxeberria', 'ES0301281220573521184117', '688 301 922');"), ['PHONE:688 301 922']);
    assert.deepEqual(only('DATE_OF_BIRTH', "INSERT INTO customers (full_name, email, dob) VALUES ('Ana Souza', 'ana@example.com', '1991-02-03'), ('Li Wei', 'li@example.com', '1985-07-30');"), [
      'DATE_OF_BIRTH:1991-02-03',
      'DATE_OF_BIRTH:1985-07-30',
    ]);
    assert.deepEqual(only('NATIONAL_ID', "INSERT INTO anagrafica (nome, email, cf) VALUES ('Lorenzo Galli', 'lg@example.it', 'GLLLNZ88R27A944S');"), ['NATIONAL_ID:GLLLNZ88R27A944S']);
    assert.deepEqual(only('PERSON', "INSERT INTO kaiin (name, kana, tel) VALUES ('加藤 さくら', 'カトウ サクラ', '03-5689-2247');"), ['PERSON:加藤 さくら', 'PERSON:カトウ サクラ']);
    // Hard negatives: a bare "name" column of products, other dates, a phone-shaped SKU.
    assert.deepEqual(found("INSERT INTO products (name, price, sku) VALUES ('Widget Pro', 12.5, 'A-1'), ('Gadget Max', 3, 'B-2');"), []);
    assert.deepEqual(found("INSERT INTO orders (id, created, sku) VALUES (1, '2024-01-02', '555 123 4567');"), []);
  });

  it('numbers read out in calls: cards (Luhn) and SSNs (SSA rules) after their cue; dates of birth said aloud', () => {
    assert.equal(spokenDigits('oh seven double oh nine'), '07009');
    assert.deepEqual(only('CREDIT_CARD', 'my card number is four two zero three one five eight eight one two seven four two four eight seven expiry oh nine'), [
      'CREDIT_CARD:four two zero three one five eight eight one two seven four two four eight seven',
    ]);
    assert.deepEqual(only('SSN', 'my social security number is five two three four one eight eight oh six and'), ['SSN:five two three four one eight eight oh six']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'my date of birth is the fourteenth of february nineteen fifty two and'), ['DATE_OF_BIRTH:the fourteenth of february nineteen fifty two']);
    assert.deepEqual(only('DATE_OF_BIRTH', 'agent: and the date of birth caller: second of june eighty four'), ['DATE_OF_BIRTH:second of june eighty four']);
    // Hard negatives: digits that fail Luhn or the SSA rules; a birthday party's date.
    assert.deepEqual(only('CREDIT_CARD', 'card number is one two three four five six seven eight nine one two three four five six seven'), []);
    assert.deepEqual(only('SSN', 'social security number is nine one two three four one eight eight six'), []);
    assert.deepEqual(only('DATE_OF_BIRTH', 'my birthday party is on the fifth of may twenty twenty four'), []);
  });

  it('addresses: Polish "ul." with a flat and a 00-000 postcode, Spanish "C/"', () => {
    assert.deepEqual(only('ADDRESS', 'adres do wysyłki: ul. Marszałkowska 84/92 m. 15, 00-514 Warszawa, domofon'), ['ADDRESS:ul. Marszałkowska 84/92 m. 15, 00-514 Warszawa']);
    assert.deepEqual(only('ADDRESS', '"adres":"ul. Piotrkowska 120 lok. 4, 90-006 Łódź"'), ['ADDRESS:ul. Piotrkowska 120 lok. 4, 90-006 Łódź']);
    assert.deepEqual(only('ADDRESS', 'la dirección es C/ Alcalá 214, 3º B, 28028 Madrid, el portero'), ['ADDRESS:C/ Alcalá 214, 3º B, 28028 Madrid']);
    // Hard negatives: "c/" as "with", a page reference.
    assert.deepEqual(only('ADDRESS', 'ratio c/ 12, 3 items'), []);
    assert.deepEqual(only('ADDRESS', 'see ul 12.'), []);
  });

  it('names: lower-case titles of their languages, honorific suffixes, self-introductions and dictated commands', () => {
    assert.deepEqual(only('PERSON', 'il signor Lombardi ha pagato con la carta'), ['PERSON:signor Lombardi']);
    assert.deepEqual(only('PERSON', 'o senhor Barbosa ligou de novo'), ['PERSON:senhor Barbosa']);
    assert.deepEqual(only('PERSON', 'Kann jemand Herrn Yilmaz zurückrufen?'), ['PERSON:Herrn Yilmaz']);
    assert.deepEqual(only('PERSON', 'pan Szymański prosi o fakturę'), ['PERSON:pan Szymański']);
    assert.deepEqual(only('PERSON', 'el casero es don Ramón Villalba, su cuenta'), ['PERSON:don Ramón Villalba']);
    assert.deepEqual(only('PERSON', 'Gupta ji ka form bhejo'), ['PERSON:Gupta']);
    assert.deepEqual(only('PERSON', 'hej tu ola, mój nowy numer'), ['PERSON:ola']);
    assert.deepEqual(only('PERSON', 'goedemiddag u spreekt met wilma bakker ik bel over'), ['PERSON:wilma']);
    assert.deepEqual(only('PERSON', 'text sarah im running late be there in ten'), ['PERSON:sarah']);
    assert.deepEqual(only('PERSON', 'messaggio per luca arrivo alle otto'), ['PERSON:luca']);
    // Hard negatives: a frying pan, Don Quixote, an ambiguous name or a particle after a command.
    assert.deepEqual(only('PERSON', 'a cast iron pan Tefal makes'), []);
    assert.deepEqual(only('PERSON', 'reading don Quixote again'), []);
    assert.deepEqual(only('PERSON', 'call will when you can'), []);
    assert.deepEqual(only('PERSON', 'ruf mal frau dr meißner an'), []);
  });

  it('stays linear on SQL tuples, spoken digits, e-mail addresses before numbers and titles', () => {
    const scan = (text: string) => scanner().scan(text);
    assertScalesLinearly(scan, (size) => `INSERT INTO t (name, email, tel, dob) VALUES ${repeated("('Ana Souza', 'a@example.com', '688 301 922', '1991-02-03'), ")(size)}('x', 'y', 'z', 'w');`, 'sql');
    for (const unit of ['card number is four two one ', 'social security number is five two three ', 'date of birth is the second of june ', 'reach me at a@b.example or on 06 12 34 ', 'il signor Lombardi ', 'Gupta ji ']) {
      assertScalesLinearly(scan, repeated(unit), JSON.stringify(unit));
    }
  });
});
