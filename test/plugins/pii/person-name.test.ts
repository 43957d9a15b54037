import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { found } from './pii-helpers.ts';
import { assertScalesLinearly, repeated } from '../../helpers/assert-linear.ts';

const persons = (text: string): string[] => found(text).filter((entry) => entry.startsWith('PERSON:'));

describe('pii person_name detector (heuristic, requests only by default)', () => {
  it('is on by default and off with entities.person_name: false', () => {
    assert.deepEqual(persons('My name is Daniel Okafor.'), ['PERSON:Daniel Okafor']);
    assert.deepEqual(found('My name is Daniel Okafor.', { entities: { person_name: false } }), []);
  });

  it('cue phrases in several languages: introductions, titles, greetings, closings, form fields', () => {
    assert.deepEqual(persons("Hi, I'm Rebecca Thornton and I need help."), ['PERSON:Rebecca Thornton']);
    assert.deepEqual(persons('Dear Mr. Halvorsen, we regret to inform you'), ['PERSON:Mr. Halvorsen']);
    assert.deepEqual(persons('Patient name: George Albright; GP: Dr. S. Kaur'), ['PERSON:George Albright', 'PERSON:Dr. S. Kaur']);
    assert.deepEqual(persons('Thanks for the update.\n\nBest,\nMichael Tran\nSenior Analyst'), ['PERSON:Michael Tran']);
    assert.deepEqual(persons('cc: Maria Gonzalez, Tom Fischer\nRe: vendor onboarding'), ['PERSON:Maria Gonzalez', 'PERSON:Tom Fischer']);
    assert.deepEqual(persons('Sehr geehrte Frau Weber,\n\nanbei die Unterlagen.'), ['PERSON:Frau Weber']);
    assert.deepEqual(persons('Hola, me llamo Javier Ruiz y necesito ayuda.'), ['PERSON:Javier Ruiz']);
    assert.deepEqual(persons("Bonjour, je m'appelle Camille Lefèvre."), ['PERSON:Camille Lefèvre']);
    assert.deepEqual(persons('Dear Ms. Van der Berg, your parcel'), ['PERSON:Ms. Van der Berg']);
    assert.deepEqual(persons('Name on card: VICTORIA HALE  Card number'), ['PERSON:VICTORIA HALE']);
    assert.deepEqual(persons('From: Andrea Rossi <andrea.rossi@studiolegale.it>').filter((entry) => entry.startsWith('PERSON')), ['PERSON:Andrea Rossi']);
  });

  it('a known given name followed by a surname, anywhere in a sentence', () => {
    assert.deepEqual(persons('Rewrite in passive voice: Oliver Grant signed the contract on Monday.'), ['PERSON:Oliver Grant']);
    assert.deepEqual(persons("INSERT INTO patients (name) VALUES ('Gloria Estevez');"), ['PERSON:Gloria Estevez']);
    assert.deepEqual(persons('employee_id,first_name,last_name\nE-1042,Brian,O\'Connell'), ["PERSON:Brian", "PERSON:O'Connell"]);
  });

  it('hard negatives: places, companies, products, headings, code, famous people in questions', () => {
    for (const text of [
      'What is the best time of year to visit Paris?',
      'Compare the Ford Focus and the Toyota Corolla for a first car.',
      'Is Johnson & Johnson a good dividend stock?',
      'How far is Washington from Baltimore by train?',
      'Who was Marie Curie and why did she win two Nobel prizes?',
      'Victoria Falls lies on the border between Zambia and Zimbabwe.',
      'We stayed at the Paris Hilton last year.',
      'Will Smith Street in the old town is closed today.',
      'Georgia Tech and Virginia Tech both have strong engineering programs.',
      'QUARTERLY BUSINESS REVIEW\nRevenue Growth Summary\nCustomer Success Highlights',
      'class UserAccountService { findByEmail(email: string) {} }',
      'Best regards,\nThe Support Team\nAcme Cloud Services',
      'Dear Customer,\n\nYour subscription renews on 1 July.',
      'Turn right on Main Street, continue past the church, then left onto Oak Avenue.',
    ]) {
      assert.deepEqual(persons(text), [], text);
    }
  });

  it('stays linear on capitalised words, given names, one long word and repeated salutations', () => {
    for (const unit of ['Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel ', 'Anna Maria Jose Luis Peter Paul Mary Jane ', 'A', 'Dear ']) {
      assertScalesLinearly(persons, repeated(unit), JSON.stringify(unit));
    }
  });
});
