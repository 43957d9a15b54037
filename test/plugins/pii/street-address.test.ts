import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { found } from './pii-helpers.ts';
import { assertScalesLinearly, repeated } from '../../helpers/assert-linear.ts';

const addresses = (text: string): string[] => found(text).filter((entry) => entry.startsWith('ADDRESS:'));

describe('pii street_address detector', () => {
  it('English: number, street, type, then unit, city, state and ZIP or UK postcode when they follow', () => {
    assert.deepEqual(addresses('I live at 4127 Maple Grove Drive, Columbus, OH 43215 and'), ['ADDRESS:4127 Maple Grove Drive, Columbus, OH 43215']);
    assert.deepEqual(addresses('New: 1550 Oak Street, Apt 3B, San Francisco, CA 94117'), ['ADDRESS:1550 Oak Street, Apt 3B, San Francisco, CA 94117']);
    assert.deepEqual(addresses('residing at 88 Westbourne Terrace, London W2 6QA, hereby'), ['ADDRESS:88 Westbourne Terrace, London W2 6QA']);
    assert.deepEqual(addresses('at 350 W 42nd St, New York, NY 10036 —'), ['ADDRESS:350 W 42nd St, New York, NY 10036']);
    assert.deepEqual(addresses('"line1": "615 Magnolia Ave, Apt 2", "city"'), ['ADDRESS:615 Magnolia Ave, Apt 2']);
    assert.deepEqual(addresses('Book a taxi from 15 Kingsway, Manchester M19 2LL to the airport'), ['ADDRESS:15 Kingsway, Manchester M19 2LL']);
  });

  it('German, Dutch and Nordic street names with the number after, and the postcode and city', () => {
    assert.deepEqual(addresses('Anschrift: Hauptstraße 27, 69117 Heidelberg\nTelefon'), ['ADDRESS:Hauptstraße 27, 69117 Heidelberg']);
    assert.deepEqual(addresses('Adres: Prinsengracht 263, 1016 GV Amsterdam'), ['ADDRESS:Prinsengracht 263, 1016 GV Amsterdam']);
    assert.deepEqual(addresses('Lieferadresse: Sabine Wolf, Am Lindenhof 3a, 04109 Leipzig'), ['ADDRESS:Am Lindenhof 3a, 04109 Leipzig']);
  });

  it('Spanish, French, Italian and Portuguese street types', () => {
    assert.deepEqual(addresses('Dirección: Calle de Alcalá 120, 28009 Madrid'), ['ADDRESS:Calle de Alcalá 120, 28009 Madrid']);
    assert.deepEqual(addresses('Cordialement,\nAntoine\n14 rue des Lilas, 69003 Lyon'), ['ADDRESS:14 rue des Lilas, 69003 Lyon']);
    assert.deepEqual(addresses('Indirizzo: Via Garibaldi 15, 20121 Milano'), ['ADDRESS:Via Garibaldi 15, 20121 Milano']);
    assert.deepEqual(addresses('Morada: Rua Augusta 95, 1100-048 Lisboa'), ['ADDRESS:Rua Augusta 95, 1100-048 Lisboa']);
  });

  it('hard negatives: directions without a house number, highways, order numbers, versions, rooms', () => {
    for (const text of [
      'Turn right on Main Street, continue past the church, then left onto Oak Avenue.',
      'The parade goes down Fifth Avenue from 44th Street to 79th Street on Sunday.',
      'Plan a road trip along Highway 1 with three stops.',
      'Take Route 9 north, exit at Elm Road and follow signs for the hospital.',
      'Gire a la derecha en la Calle Mayor y siga recto hasta la Plaza de España.',
      'Order #4829-3310-77 shipped on 2024-06-12 via UPS, tracking 1Z999AA10123456784.',
      'Room 1204, Building C, Level 12 — the printer is next to the kitchen.',
      'Upgraded node from 20.11.1 to 22.3.0; 16 weeks paid leave; 12 regions.',
    ]) {
      assert.deepEqual(addresses(text), [], text);
    }
  });

  it('stays linear on capitalised words and digits', () => {
    for (const unit of ['12 Alpha Bravo Charlie Delta ', 'Hauptstrassestrasse', '1 ']) assertScalesLinearly(addresses, repeated(unit), JSON.stringify(unit));
  });
});
