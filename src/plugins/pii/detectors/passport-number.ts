import { regexDetector, type Detector } from './detector.ts';

// "passport no.", "Reisepassnummer", "numéro de passeport", "número de pasaporte", "passaporto", "paspoort"…
const cue = `(?:passport|pasaporte|passeport|reisepass|passnummer|pass-nr\\.?|passaporto|paspoort|passaporte)(?:[ \\t]*(?:number|no\\.?|nr\\.?|num(?:ber|éro|ero)?|n[º°o]\\.?|#|id))?(?:nummer)?`;
const joiner = `(?:["']?[ \\t]*(?:is|es|est|ist|è|é|:|=|#|-)){0,2}[ \\t]*["']?`;

/** Letters and digits of a passport number: upper case, at least three digits, not one repeated character. */
export function passportShape(value: string): boolean {
  return value === value.toUpperCase() && (value.match(/\d/g)?.length ?? 0) >= 3 && !/^(.)\1+$/.test(value);
}

/**
 * Passport numbers (label PASSPORT): 6-9 letters and digits right after a passport cue word in
 * English, German, French, Spanish, Italian, Dutch or Portuguese. No check digit is printed in the
 * number itself (the MRZ has one), so the cue is what makes it a passport number.
 */
export function passportNumberDetector(): Detector {
  return regexDetector({
    entity: 'passport_number',
    label: 'PASSPORT',
    specificity: 48,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])${cue}${joiner}([A-Z0-9]{6,9})(?![\\p{L}\\p{N}])`, 'giu'),
    mayContain: (text) => /pas|reisep/i.test(text),
    validate: passportShape,
  });
}
