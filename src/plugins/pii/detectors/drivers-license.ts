import { regexDetector, type Detection, type Detector } from './detector.ts';
import { visitNamedColumns } from './table-columns.ts';
import { wantsProvisional, wholeTextHas } from './whole-text.ts';

const licenseColumn = /^(?:(?:drivers?|driving)[ _-]?)?(?:licen[cs]e|dl)(?:[ _-]?(?:no|nr|number|num|id))?$|^(?:führerschein|rijbewijs)(?:nummer|nr)?$/i;

// The cue must say "driver"/"driving" (or DL, Führerschein, permis de conduire…): "license number"
// alone is as often a software licence; it counts when "driver" was said just before.
const cue = `(?:driver['’]?s?[ \\t_-]+licen[cs]e|driving[ \\t_-]+licen[cs]e|licen[cs]e|DL|führerschein|permis[ \\t]+de[ \\t]+conduire|permiso[ \\t]+de[ \\t]+conducir|carn[ée]t[ \\t]+de[ \\t]+conducir|patente(?:[ \\t]+di[ \\t]+guida)?|rijbewijs|carta[ \\t]+de[ \\t]+condução|carteira[ \\t]+de[ \\t]+motorista|CNH)(?:[ \\t_-]*(?:number|no\\.?|nr\\.?|num(?:ber|éro|ero)?|n[º°o]\\.?|#|id))?(?:nummer|-nr\\.?)?`;
// "is", ":", "=" and the like; also a short sentence naming the number ("license. The number was N0143279").
// A comma and "number"/"as" too ("driver's license number, 895 139 841", "his Texas license as 93907016",
// "haar rijbewijs zien, nummer 5333326747": one verb may stand before the comma).
const joiner = `(?:[ \\t]+\\p{Ll}{2,8}(?=[ \\t]*,[ \\t]*(?:number|nummer|numéro|número|numero)))?(?:["']?[ \\t]*(?:is|was|as|es|est|ist|número|numero|nummer|number|:|=|#|-|,|\\.[ \\t]+the[ \\t]+number[ \\t]+(?:is|was))){0,3}[ \\t]*["']?`;
/** A text that speaks of a licence (where a DVLA number counts anywhere) or has a licence column. */
const licenceWord = /licen|\bdl\b|führer|rijbewijs/i;
/** A UK (DVLA) licence number: surname (5, padded with 9), decade, month (+5 for women), day, year, initials, check, two letters. */
const dvla = /^[A-Z9]{5}\d[0156]\d[0-3]\d\d[A-Z9]{2}\d[A-Z]{2}$/;
/** A DVLA-shaped token anywhere in a text that speaks of a licence ("found her driving licence in the car, GARRI753271DF9SY"). */
const dvlaAnywhere = /(?<![\p{L}\p{N}])[A-Z9]{5}\d[0156]\d[0-3]\d\d[A-Z9]{2}\d[A-Z]{2}(?![\p{L}\p{N}])/gu;
/**
 * The cue as a record key, `license_number=`, `"licence_no": `, `licenseNumber:`: a field of a record
 * (a form, a query string, JSON), not a sentence about some licence. Prose ("the license number is …")
 * still needs "driver" near it.
 */
const licenceKey = /(?:^|[^\p{L}\p{N}_])licen[cs]e(?:[_-]|(?<=e)(?=[NI]))(?:number|num|no|nr|id)["']?[ \t]*[:=][ \t]*["']?$/iu;
/** A software licence key's layout: four or more groups of 4-6 letters and digits ("7KQ2M-X9PLA-…"). */
const softwareKey = /^[A-Z0-9]{4,6}(?:-[A-Z0-9]{4,6}){3,}$/;
/** A US state format with dashes: one letter then digit groups ("W052-275-44-311-4", "D123-4567-8901"). */
const stateDashed = /^[A-Z]\d{3}(?:-\d{1,4}){2,4}$/;

/** The birth date a DVLA number carries: month 01-12 (51-62 for women), day 01-31. */
function dvlaDate(value: string): boolean {
  const month = Number(value.slice(6, 8)) % 50;
  const day = Number(value.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Letters, digits and dashes, upper case, at least four digits (two in a longer mix: Washington's "WDL5CWCE6URB"). */
export function licenseShape(value: string): boolean {
  const digits = value.match(/\d/g)?.length ?? 0;
  return value === value.toUpperCase() && (digits >= 4 || (digits >= 2 && value.length >= 10 && /[A-Z]/.test(value)));
}

/**
 * Driver's licence numbers (label DRIVERS_LICENSE): 6-20 letters, digits and dashes after a
 * driver's licence cue (EN, DE, FR, ES, IT, NL, PT), also as a record key (`license_number=`). Formats differ per state and country and
 * carry no common check digit, so the cue is what makes it a licence number.
 */
export function driversLicenseDetector(): Detector {
  const cued = regexDetector({
    entity: 'drivers_license',
    label: 'DRIVERS_LICENSE',
    specificity: 47,
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])${cue}${joiner}([A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9]|\\d{3}[ ]\\d{3}[ ]\\d{3})(?![\\p{L}\\p{N}_])`, 'giu'),
    mayContain: (text) => /licen|DL|führer|permis|conduc|patente|rijbewijs|condu|CNH/i.test(text),
    validate(value, text, start) {
      if (!licenseShape(value)) return false;
      const before = text.slice(Math.max(0, start - 60), start);
      // A bare "license number" counts only after "driver"/"driving"/"DL" nearby, or when the value
      // has a licence's own layout (DVLA, a US state's dashed format).
      if (dvla.test(value) || stateDashed.test(value)) return true;
      // As a record key (guard8 audit, F6): the field says what the value is, unless it has a software key's layout.
      if (licenceKey.test(before)) return !softwareKey.test(value);
      return !/(?:^|[^\p{L}])licen[cs]e(?:[^\p{L}\p{N}]+|(?:number|no|nr|id|is|was|as)(?!\p{L}))*$/iu.test(before) || /driv|\bDL\b/i.test(text.slice(Math.max(0, start - 90), start));
    },
  });
  return {
    entity: 'drivers_license',
    label: 'DRIVERS_LICENSE',
    specificity: 47,
    find(text: string, found: Detection[], from = 0) {
      cued.find(text, found, from);
      // A DVLA number counts in a text that speaks of a licence; a stream that has not come to the word yet holds it.
      const speaksOfLicence = wholeTextHas(text, licenceWord);
      if (!speaksOfLicence && !wantsProvisional()) return;
      dvlaAnywhere.lastIndex = from;
      for (let match = dvlaAnywhere.exec(text); match !== null; match = dvlaAnywhere.exec(text)) {
        if (dvlaDate(match[0])) found.push({ entity: 'drivers_license', label: 'DRIVERS_LICENSE', start: match.index, end: match.index + match[0].length, specificity: 47, provisional: !speaksOfLicence });
      }
      if (!speaksOfLicence) return;
      // A CSV column of licence numbers ("driver,state,license_no"): a column named like a software
      // licence counts only when another column says "driver".
      visitNamedColumns(
        text,
        licenseColumn,
        (start, end) => {
          const value = text.slice(start, end);
          if (/^(?:[A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9]|\d{3} \d{3} \d{3})$/.test(value) && licenseShape(value) && /driv|\bdl\b|führer|rijbewijs/i.test(text.slice(0, text.indexOf('\n')))) found.push({ entity: 'drivers_license', label: 'DRIVERS_LICENSE', start, end, specificity: 47 });
        },
        from,
      );
    },
  };
}
