import type { Detection } from './detectors/detector.ts';
import { openPrivateKeyBlock } from './detectors/secrets.ts';
import { StreamScope } from './detectors/whole-text.ts';
import type { MaskVault } from './mask-vault.ts';
import { codePointBefore, digitValue } from './number-view.ts';
import type { PiiPass } from './pii-pass.ts';
import { cueContext, resolveOverlaps } from './scan-text.ts';
import { openTailFinders } from './stream-open-tails.ts';
import { isSpace, openTailLimit, type OpenTailFinder } from './stream-word-runs.ts';

/*
 * Each scan searches the new text and `cueContext` (scan-text.ts) of the text already sent, so cue
 * words ("password:") reach values in later chunks. The detectors read all the text sent (up to
 * `documentLimit`) for what rests on a whole record or the whole text: a CSV header, an SQL column
 * list, a question at the start.
 */
/** At most this much of the text sent is kept for the scans to read; past it, the oldest lines are let go. */
const documentLimit = 32768;
/**
 * A match a whole-text exemption leaves out for now (a question at the start and no first-person
 * word yet, whole-text.ts) is held until more text decides it, at most this far back from the end;
 * past that it is taken as a match (the same answer as the non-streamed one as soon as someone
 * speaks of themselves later on; a redaction too many when no one does).
 */
const provisionalLimit = 256;
/** How far back a run of number-like words is held (the longest spaced entity: an IBAN in groups). */
const numericRunLimit = 64;
/** A single unbroken token (a JWT, tool arguments without spaces) is held at most this long. */
const openTokenLimit = 8192;
/** An unterminated private key block is held at most this long. */
const privateKeyLimit = 32768;

const monthWord = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?$/i;

/**
 * Words that can be part of an entity that spans spaces: card and phone groups, IBAN groups, dates;
 * in digits of any script and full-width forms too (the scanner reads them as ASCII, number-view.ts).
 */
function entityCapable(word: string): boolean {
  return (
    /[\p{Nd}+()＋（）]/u.test(word) || /^[A-Z0-9Ａ-Ｚ]{1,4}$/u.test(word) || /^[-./\u2010-\u2015\u2212\uFE58\uFE63－．／]$/u.test(word) || monthWord.test(word)
  );
}

/** A character an entity's first group can hold: a letter or digit (of any script), or '+', '(' and ')' of a phone number. */
function isEntityCharacter(code: number): boolean {
  if (code < 0x80) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 43 || code === 40 || code === 41;
  return (code >= 0xff01 && code <= 0xff5e) || digitValue(code) >= 0;
}

/**
 * Where the entity-capable tail of the word ending at `wordEnd` starts (not before `from`): the
 * letters, digits and phone signs after its last other character, when they could begin a spaced
 * entity; -1 when they could not.
 */
function entityTailStart(text: string, wordEnd: number, from: number): number {
  let start = wordEnd;
  while (start > from) {
    const code = codePointBefore(text, start);
    if (!isEntityCharacter(code)) break;
    start -= code > 0xffff ? 2 : 1;
  }
  return start < wordEnd && entityCapable(text.slice(start, wordEnd)) ? start : -1;
}

/** Where the last word, with no whitespace after it yet, starts (text.length when it ends in a space). */
export function openWordStartOf(text: string, from = 0): number {
  let start = text.length;
  while (start > from && !isSpace(text.charCodeAt(start - 1))) start--;
  return start;
}

/**
 * Where the text can safely be cut: everything before it is final (no entity can still grow
 * into it), everything after is held back. Holds the last, unfinished word; before it, a run of
 * number-like words, and the run of words the scanner's multi-word detectors may still match
 * (`tails`: an address, an e-mail or a date written out, a number read out; stream-open-tails.ts);
 * an open private key block. Prose streams with about one word of delay.
 */
export function detectionSafeEnd(text: string, openWordStart = openWordStartOf(text), tails: readonly OpenTailFinder[] = []): number {
  let end = openWordStart;
  if (text.length - end > openTokenLimit) end = text.length - openTokenLimit;
  // Number-like words before it.
  const limit = end - numericRunLimit;
  let cursor = end;
  while (cursor > 0 && cursor > limit) {
    let wordEnd = cursor;
    while (wordEnd > 0 && isSpace(text.charCodeAt(wordEnd - 1))) wordEnd--;
    let wordStart = wordEnd;
    while (wordStart > 0 && wordStart >= limit && !isSpace(text.charCodeAt(wordStart - 1))) wordStart--;
    if (wordStart === wordEnd) break;
    if (wordStart < limit || !entityCapable(text.slice(wordStart, wordEnd))) {
      // The word that ends the run may still end with an entity's first group, glued to what
      // comes before it ("...3x!4111" of a card "4111 1111 1111 1111"): the detectors match from
      // a word boundary, not from a space. That tail is held too.
      const tail = entityTailStart(text, wordEnd, Math.max(wordStart, limit));
      if (tail !== -1) cursor = tail;
      break;
    }
    cursor = wordStart;
  }
  end = cursor;
  // Nothing can leave: the runs of words would not change that.
  if (end === 0) return 0;
  const from = Math.max(0, openWordStart - openTailLimit);
  for (const tail of tails) {
    const start = tail(text, openWordStart, from);
    if (start !== -1 && start < end) end = start;
  }
  const privateKey = openPrivateKeyBlock(text);
  if (privateKey !== -1 && privateKey < end && text.length - privateKey <= privateKeyLimit) end = privateKey;
  return end;
}

/**
 * One streamed text channel (a choice's content, or one tool call's arguments): applies the
 * response pass to final text and restores mask placeholders, holding back only what may still
 * change — a possibly unfinished entity, or a placeholder cut in two.
 */
export class HeldText {
  readonly #pass: PiiPass | null;
  readonly #vault: MaskVault | null;
  readonly #json: boolean;
  /** The runs of words this pass's detectors may still match at the end of the text. */
  readonly #tails: readonly OpenTailFinder[];
  #pending = '';
  /** The text already sent (the original, not its rewrite), from its start or, past `documentLimit`, a line start. */
  #sent = '';
  readonly #scope = new StreamScope();
  /** Start of the open word in #pending, kept across pushes so a long token is not rescanned each time. */
  #openWordStart = 0;

  constructor(pass: PiiPass | null, vault: MaskVault | null, json: boolean) {
    this.#pass = pass?.active ? pass : null;
    this.#vault = vault && vault.size > 0 ? vault : null;
    this.#json = json;
    this.#tails = this.#pass ? openTailFinders(this.#pass.scanner.detectors) : [];
  }

  /** Bytes held back right now (for tests and the bench). */
  get heldLength(): number {
    return this.#pending.length;
  }

  push(text: string): string {
    if (text.length === 0) return '';
    const previousLength = this.#pending.length;
    this.#pending += text;
    // Only the new text can hold a space that ends the open word.
    const start = openWordStartOf(this.#pending, previousLength);
    if (start > previousLength) this.#openWordStart = start;
    return this.#drain(false);
  }

  /** The end of the stream: everything held is final. */
  flush(): string {
    this.#scope.final = true;
    return this.#pending.length === 0 ? '' : this.#drain(true);
  }

  /**
   * This run of the channel ends here (the stream goes on with another kind of output: a tool
   * call after the text, the next call): everything held is decided and sent as at the end, so
   * the client's item is whole when the next one starts. Text the channel gets later goes on
   * from it (its cue words and whole-text tests still read what was sent).
   */
  release(): string {
    if (this.#pending.length === 0) return '';
    const final = this.#scope.final;
    this.#scope.final = true;
    try {
      return this.#drain(true);
    } finally {
      this.#scope.final = final;
    }
  }

  #drain(final: boolean): string {
    const pending = this.#pending;
    let end = pending.length;
    let detections: Detection[] = [];
    const offset = this.#sent.length;
    const scanned = this.#sent + pending;
    if (this.#pass) {
      if (!final) end = detectionSafeEnd(pending, this.#openWordStart, this.#tails);
      // Nothing can leave yet (one growing token, an open key block): scanning now would only
      // repeat work on every chunk.
      if (end === 0) return '';
      detections = this.#pass.scanner.scan(scanned, offset, this.#scope);
      if (!final) detections = this.#holdProvisional(detections, offset, scanned.length, (cut) => (end = Math.min(end, cut)));
      // A detection across the cut is not final: hold all of it.
      for (let index = detections.length - 1; index >= 0; index--) {
        const detection = detections[index];
        if (detection.start - offset < end && detection.end - offset > end) end = Math.max(0, detection.start - offset);
      }
    }
    if (this.#vault && !final) {
      const partial = this.#vault.partialAt(pending.slice(0, end));
      if (partial !== -1) end = partial;
      const spanning = end < pending.length ? this.#vault.spanning(pending, end) : -1;
      if (spanning !== -1) end = spanning;
    }
    if (end <= 0) return '';
    let segment = this.#pass ? this.#pass.rewrite(scanned, detections, offset, offset + end) : pending.slice(0, end);
    if (this.#vault) segment = this.#vault.restore(segment, this.#json);
    this.#pending = pending.slice(end);
    this.#openWordStart = Math.max(0, this.#openWordStart - end);
    this.#sent = scanned.slice(0, offset + end);
    if (this.#sent.length > documentLimit) {
      // Let the oldest lines go (a line start keeps the cells of a CSV row in their columns).
      const keep = this.#sent.length - documentLimit / 2;
      const lineStart = this.#sent.indexOf('\n', keep - 1) + 1;
      this.#sent = this.#sent.slice(lineStart > 0 && lineStart < this.#sent.length - cueContext ? lineStart : keep);
      this.#scope.reset();
    }
    return segment;
  }

  /**
   * Holds the matches the last scan left out provisionally (whole-text.ts) from where they start,
   * through `hold`; one held for longer than `provisionalLimit` counts as a match: the detections
   * with it are returned.
   */
  #holdProvisional(detections: Detection[], offset: number, length: number, hold: (end: number) => void): Detection[] {
    let forced: Detection[] | undefined;
    for (const detection of this.#scope.provisional) {
      if (detection.end <= offset) continue;
      if (length - detection.start > provisionalLimit) (forced ??= []).push(detection);
      else hold(Math.max(0, detection.start - offset));
    }
    return forced ? resolveOverlaps([...detections, ...forced]) : detections;
  }
}
