import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { found } from './pii-helpers.ts';

const names = (text: string): string[] => found(text).filter((entry) => entry.startsWith('PERSON:')).map((entry) => entry.slice('PERSON:'.length));

describe('pii person_name: records, lists, surname-first, greetings, signatures and false friends', () => {
  it('CSV headers on a later line, JSON keys and XML elements', () => {
    assert.deepEqual(names('fixtures/customers.csv\nid,first,last,email\n1,Noa,Levi,noa@example.com'), ['Noa', 'Levi']);
    assert.deepEqual(names('student_id,surname,forename\nS1,Mensah,Efua'), ['Mensah', 'Efua']);
    assert.deepEqual(names('{"traveller":{"given":"Aroha","family":"Ngata"}}'), ['Aroha', 'Ngata']);
    assert.deepEqual(names('<contact>\n  <firstName>Mehdi</firstName>\n  <lastName>Benali</lastName>\n</contact>'), ['Mehdi', 'Benali']);
    assert.deepEqual(names('Field   Value\nCardholder       ROBERTO SILVA\nExpiry  11/26'), ['ROBERTO SILVA']);
    // Hard negatives: code identifiers, a CSV with no name column.
    assert.deepEqual(names('def __init__(self, given: str, family: str):\n    self.given = given'), []);
    assert.deepEqual(names('sku,colour,size\nA1,Rose,Medium'), []);
  });

  it('lower-case names after strong cues', () => {
    assert.deepEqual(names('Full name: dimitrios papadopoulos\nEmail: d@example.com'), ['dimitrios papadopoulos']);
    assert.deepEqual(names("label: mrs siobhan o'leary 12 kingfisher close"), ["siobhan o'leary"]);
    assert.deepEqual(names('a text to aunty ngozi thanking her'), ['ngozi']);
    // Hard negative: a lower-case value under a field that does not hold names.
    assert.deepEqual(names('[10:03] Customer: ok sorry'), []);
  });

  it('surname-first names after a field, at a line start or after a dash', () => {
    assert.deepEqual(names('Onboarding checklist — Okafor, Chinedu\n[x] Contract signed'), ['Okafor, Chinedu']);
    assert.deepEqual(names('Payslip\nSAMUELS, LEROY\nEmployee no. 88120'), ['SAMUELS, LEROY']);
    assert.deepEqual(names('Subject: Hollis, Wade\nSSN: 880781877'), ['Hollis, Wade']);
    assert.deepEqual(names('Pt: Hamilton, Rose  DOB 02/09/1956'), ['Hamilton, Rose']);
    // Hard negatives: places, mixed case, words that are not given names.
    assert.deepEqual(names('We ship to\nAustin, Texas\nPARIS, France'), []);
  });

  it('greetings, greeting lists, relation cues and list items', () => {
    assert.deepEqual(names('Good morning Fernando,\n\nJust a reminder'), ['Fernando']);
    assert.deepEqual(names('Hiya Gemma!! See you Saturday'), ['Gemma']);
    assert.deepEqual(names('Hi Kofi and Abena,\n\nCongratulations'), ['Kofi', 'Abena']);
    assert.deepEqual(names('btw my physio Rhiannon said to rest'), ['Rhiannon']);
    assert.deepEqual(names("a story using my kids' names: Mia, Theo and baby Rose."), ['Mia', 'Theo', 'Rose']);
    assert.deepEqual(names('Sign-up sheet\n1. Marisol Vega — (213) 555-0174 — Saturday AM'), ['Marisol Vega']);
    assert.deepEqual(names('Key holder list\nMain entrance — Patrick Doyle 07700 900312'), ['Patrick Doyle']);
    // Hard negatives: a list item with no number or address, greetings to groups.
    assert.deepEqual(names('Agenda\n1. Project Review — Saturday'), []);
    assert.deepEqual(names('Dear Subscriber,\n\nThis week'), []);
    assert.deepEqual(names('Dear Valued Member,'), []);
  });

  it('signatures: a closing word or a known given name alone on one of the last lines', () => {
    assert.deepEqual(names('Kan du skicka hyran? Hälsningar Linnea'), ['Linnea']);
    assert.deepEqual(names('Please change it after first login.\n\nOmar'), ['Omar']);
    assert.deepEqual(names('Personal email for the welcome pack.\n\nHannah (HR)'), ['Hannah']);
    // Hard negatives: a dash inside a line is not a signature; a closing line that is a heading.
    assert.deepEqual(names('Plan: Part D – Silver\nEffective: 01/01/2025'), []);
  });

  it('not public or fictional figures, companies, brands, assistants or places', () => {
    assert.deepEqual(names('In what year did Abraham Lincoln deliver the Gettysburg Address?'), []);
    assert.deepEqual(names('Act as Sherlock Holmes and deduce what my desk says about me.'), []);
    assert.deepEqual(names('Write a tribute paragraph about Serena Williams for a blog.'), []);
    assert.deepEqual(names('Summarize the plot of Pride and Prejudice, focusing on Elizabeth Bennet and Mr Darcy.'), []);
    assert.deepEqual(names('contact: Hiroshi Tanaka, company Sakura Robotics.'), ['Hiroshi Tanaka']);
    assert.deepEqual(names('Ask Alexa to set a timer and then tell Siri to remind me.'), []);
    assert.deepEqual(names('Should I buy Dr. Martens or Timberland boots?'), []);
    assert.deepEqual(names('Gift Aid declaration\nI want to Gift Aid my donation'), []);
    assert.deepEqual(names('Gostaria de atualizar meu endereço, moro no Rio de Janeiro agora.'), []);
  });
});

describe('pii person_name: salutations and shops are not people', () => {
  it('"Sehr geehrte Damen und Herren" and a coffee shop named like a person', () => {
    assert.deepEqual(found('Sehr geehrte Damen und Herren, anbei meine Bewerbung.').filter((entry) => entry.startsWith('PERSON:')), []);
    assert.deepEqual(found('Part-time barista at Costa Coffee in Leeds, 20 hours a week.').filter((entry) => entry.startsWith('PERSON:')), []);
  });

  it('display names of chat exports: WhatsApp, IRC, Teams/Slack headers; not relations, handles or services', () => {
    assert.deepEqual(names('[03/09/2025, 18:04:33] Ingrid Halvorsen: who brings the cake?\n[03/09/2025, 18:06:10] Mum: me'), ['Ingrid Halvorsen']);
    assert.deepEqual(names('5/6/25, 8:15 PM - Tomasz: on my way'), ['Tomasz']);
    assert.deepEqual(names('[2025-01-12 09:01] <henrik> anyone up?\n[2025-01-12 09:02] <frostbyte_42> yes'), ['henrik']);
    assert.deepEqual(names('Lindqvist, Maja 14:22\nCan someone check the invoice?'), ['Lindqvist, Maja']);
    assert.deepEqual(names('Aiko Tanabe 9:05 AM\nmorning all'), ['Aiko Tanabe']);
    assert.deepEqual(names('[07:40] Coach Bernadette: warm-up at 8'), ['Bernadette']);
    assert.deepEqual(names('[2025/02/03 20:11] 佐々木 美咲: 了解です'), ['佐々木 美咲']);
    // Hard negatives: services, a log level, a time in a sentence.
    assert.deepEqual(names('[12:00] Build Server: deploy finished\n[12:01] CI Bot: all green'), []);
    assert.deepEqual(names('Warning 12:03\ndisk almost full'), []);
    assert.deepEqual(names('The standup moved to 10:30\nbring notes'), []);
  });

  it('record keys and columns in more languages and in CJK scripts', () => {
    assert.deepEqual(names('{"vorname":"Henrike","nachname":"Adelsberger"}'), ['Henrike', 'Adelsberger']);
    assert.deepEqual(names('{"imie":"Zofia","nazwisko":"Wiśniewska-Nowak"}'), ['Zofia', 'Wiśniewska-Nowak']);
    assert.deepEqual(names('{"shimei":"高橋 誠","furigana":"タカハシ マコト"}'), ['高橋 誠', 'タカハシ マコト']);
    assert.deepEqual(names('氏名,部署\n森田 花子,経理'), ['森田 花子']);
    assert.deepEqual(names('Guest,Room\nAnneke Smit,112'), ['Anneke Smit']);
    // Hard negative: a key that only ends like a name key.
    assert.deepEqual(names('{"kundennachname_hash":"a1b2c3"}'), []);
  });

  it('words that are not names after a weak cue: "sono nata", "its mine", weekdays', () => {
    assert.deepEqual(names('sono nata a Bologna nel 1990'), []);
    assert.deepEqual(names("that bag? its mine, thanks"), []);
    assert.deepEqual(names('Date:   Thu Mar 6 10:00:00 2025 +0100'), []);
  });
});
