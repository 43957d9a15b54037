/** One match of a detector: the span [start, end) of the text that holds the sensitive value. */
export interface Detection {
  /** Config key of the entity type, e.g. `email`. */
  entity: string;
  /** Placeholder label, e.g. `EMAIL` (so `[EMAIL]`, `<EMAIL_1>`). */
  label: string;
  start: number;
  end: number;
  /** Wins overlaps against lower values (a JWT inside a `token=` value is a JWT). */
  specificity: number;
  /**
   * Left out only by a whole-text exemption that more text may still lift ("Who lives at …?" with
   * no one speaking of themselves yet): not a detection, but a stream holds it (whole-text.ts).
   */
  provisional?: boolean;
}

/**
 * The index after the character at `index`: past both halves of a surrogate pair. A zero-length
 * match must move on by this, not by 1: a `u` regex started inside a pair begins again at the
 * pair's start, so `lastIndex++` before an astral letter (𝐀, U+1D400) found the same match for ever.
 */
export function indexAfter(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return index + (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1);
}

/** A detector finds candidates (usually a regex) and keeps only those its validator accepts. */
export interface Detector {
  readonly entity: string;
  readonly label: string;
  readonly specificity: number;
  /**
   * Appends the detections in `text` to `found`. Matches that start before `from` need not be
   * looked for: a stream passes the text it has already sent, so that what reads a whole record
   * or the whole text (a CSV header, an SQL column list, a question at the start) sees it, while
   * the search covers only the new part (stream-hold-back.ts).
   */
  find(text: string, found: Detection[], from?: number): void;
}

export interface RegexDetectorSpec {
  entity: string;
  label: string;
  specificity: number;
  /** Must have the `g` flag. When it has a capture group 1, that group (ending the match) is the value. */
  pattern: RegExp;
  /** Cheap test that skips the regex on texts that cannot match (e.g. no '@' for email); it reads the text from `from` on, so what it looks for must be part of the match. */
  mayContain?: (text: string) => boolean;
  /** Use the whole match even when the pattern has groups (config patterns). */
  wholeMatch?: boolean;
  /**
   * How many characters to cut from the value's start and end before it is validated: what the
   * pattern may take but the value does not hold (a phone's bracket that closes the sentence around it).
   */
  trim?: (value: string) => readonly [number, number];
  /** Rejects candidates; gets the value, the whole text and the value's start. */
  validate?: (value: string, text: string, start: number) => boolean;
  /**
   * For a pattern that matches its cue before the value ("born on 14 May 1987"): how far before
   * `from` the search starts, so a value at or after `from` whose cue stands before it is still
   * found (a match whose value starts before `from` is not reported).
   */
  lookBack?: number;
}

/** A detector from a regex and a validator: the common shape of most built-in detectors. */
export function regexDetector(spec: RegexDetectorSpec): Detector {
  const { entity, label, specificity, pattern, mayContain, trim, validate, wholeMatch, lookBack = 0 } = spec;
  return {
    entity,
    label,
    specificity,
    find(text, found, from = 0) {
      const searchFrom = Math.max(0, from - lookBack);
      if (mayContain && !mayContain(searchFrom === 0 ? text : text.slice(searchFrom))) return;
      pattern.lastIndex = searchFrom;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        const whole = match[0];
        if (whole.length === 0) {
          pattern.lastIndex = indexAfter(text, match.index);
          continue;
        }
        let value = wholeMatch ? whole : (match[1] ?? whole);
        // Value groups always end the match, so the start follows from the lengths.
        let start = match.index + whole.length - value.length;
        if (trim) {
          const [head, tail] = trim(value);
          start += head;
          value = value.slice(head, value.length - tail);
          if (value.length === 0) continue;
        }
        if (start < from) continue;
        if (validate && !validate(value, text, start)) continue;
        found.push({ entity, label, start, end: start + value.length, specificity });
      }
    },
  };
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const share = count / value.length;
    bits -= share * Math.log2(share);
  }
  return bits;
}

/** How many of: lowercase, uppercase, digit, other — appear in the value. */
export function characterClasses(value: string): number {
  return Number(/[a-z]/.test(value)) + Number(/[A-Z]/.test(value)) + Number(/\d/.test(value)) + Number(/[^A-Za-z0-9]/.test(value));
}
