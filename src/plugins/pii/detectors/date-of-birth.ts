import { regexDetector, type Detector } from './detector.ts';

const months = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const date = `(?:\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${months})\\.?,?\\s+\\d{4}|(?:${months})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;
const cues = 'date\\s+of\\s+birth|birth\\s*date|birthday|d\\.?o\\.?b\\.?|born(?:\\s+on)?|geburtsdatum|geboren(?:\\s+am)?|fecha\\s+de\\s+nacimiento|naci(?:do|da)\\s+el|date\\s+de\\s+naissance|n[ée]e?\\s+le|data\\s+di\\s+nascita|nat[oa]\\s+il|data\\s+de\\s+nascimento';

/** A plausible birth date: a real month/day and a year from 1900 to this year. */
function plausible(value: string): boolean {
  const year = value.match(/\d{4}/)?.[0];
  if (year !== undefined && (Number(year) < 1900 || Number(year) > new Date().getFullYear())) return false;
  const numbers = value.match(/\d+/g)?.map(Number) ?? [];
  if (/^\d{4}-/.test(value)) return numbers[1] >= 1 && numbers[1] <= 12 && numbers[2] >= 1 && numbers[2] <= 31;
  if (/^\d{1,2}[/.-]/.test(value)) return numbers[0] >= 1 && numbers[0] <= 31 && numbers[1] >= 1 && numbers[1] <= 31 && (numbers[0] <= 12 || numbers[1] <= 12);
  return numbers.some((number) => number >= 1 && number <= 31);
}

/** Dates of birth: a date right after a birth cue word (English, German, Spanish, French, Italian, Portuguese). */
export function dateOfBirthDetector(): Detector {
  return regexDetector({
    entity: 'date_of_birth',
    label: 'DATE_OF_BIRTH',
    specificity: 45,
    pattern: new RegExp(`(?<![\\p{L}])(?:${cues})\\s*(?:is|was|:|-|=)?\\s*(${date})(?![\\p{L}\\p{N}])`, 'giu'),
    validate: plausible,
  });
}
