import { regexDetector, type Detector } from './detector.ts';

// The cue must say "driver"/"driving" (or DL, Führerschein, permis de conduire…): "license number"
// alone is as often a software licence; it counts when "driver" was said just before.
const cue = `(?:driver['’]?s?[ \\t]+licen[cs]e|driving[ \\t]+licen[cs]e|licen[cs]e|DL|führerschein|permis[ \\t]+de[ \\t]+conduire|permiso[ \\t]+de[ \\t]+conducir|carn[ée]t[ \\t]+de[ \\t]+conducir|patente(?:[ \\t]+di[ \\t]+guida)?|rijbewijs|carta[ \\t]+de[ \\t]+condução|carteira[ \\t]+de[ \\t]+motorista|CNH)(?:[ \\t]*(?:number|no\\.?|nr\\.?|num(?:ber|éro|ero)?|n[º°o]\\.?|#|id))?(?:nummer|-nr\\.?)?`;
const joiner = `(?:["']?[ \\t]*(?:is|es|est|ist|número|numero|:|=|#|-)){0,3}[ \\t]*["']?`;

/** Letters, digits and dashes, upper case, at least four digits. */
export function licenseShape(value: string): boolean {
  return value === value.toUpperCase() && (value.match(/\d/g)?.length ?? 0) >= 4;
}

/**
 * Driver's licence numbers (label DRIVERS_LICENSE): 6-20 letters, digits and dashes after a
 * driver's licence cue (EN, DE, FR, ES, IT, NL, PT). Formats differ per state and country and
 * carry no common check digit, so the cue is what makes it a licence number.
 */
export function driversLicenseDetector(): Detector {
  return regexDetector({
    entity: 'drivers_license',
    label: 'DRIVERS_LICENSE',
    specificity: 47,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])${cue}${joiner}([A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9])(?![\\p{L}\\p{N}])`, 'giu'),
    mayContain: (text) => /licen|DL|führer|permis|conduc|patente|rijbewijs|condu|CNH/i.test(text),
    validate(value, text, start) {
      if (!licenseShape(value)) return false;
      const before = text.slice(Math.max(0, start - 60), start);
      // A bare "license number" counts only after "driver"/"driving"/"DL" nearby.
      return !/(?:^|[^\p{L}])licen[cs]e[^\p{L}]*(?:number|no\.?|nr\.?|#|id)?[^\p{L}\p{N}]*$/iu.test(before) || /driv|\bDL\b/i.test(before);
    },
  });
}
