import type { CleanTexts } from './clean-texts.ts';
import type { Detection } from './detectors/detector.ts';
import { joinedDetections, joinTexts } from './joined-detections.ts';
import type { MaskVault } from './mask-vault.ts';
import type { PiiAction } from './pii-config.ts';
import type { PiiScanner } from './scan-text.ts';

/** How strongly an action acts, for a span two readings of a run found (joined-detections.ts). */
const severity: Record<PiiAction, number> = { block: 3, mask: 2, redact: 2, 'log-only': 1, off: 0 };

/**
 * One direction (request or response) of one request: scans texts, applies each entity's
 * action and keeps what was found as types and counts only — never the values.
 */
export class PiiPass {
  readonly scanner: PiiScanner;
  readonly #actionOf: (entity: string) => PiiAction;
  readonly #vault: MaskVault;
  /** Detections per placeholder label (EMAIL: 2), for the log. */
  readonly found = new Map<string, number>();
  /** Labels whose action is block. */
  readonly blocked = new Set<string>();

  constructor(scanner: PiiScanner, actionOf: (entity: string) => PiiAction, vault: MaskVault) {
    this.scanner = scanner;
    this.#actionOf = actionOf;
    this.#vault = vault;
  }

  get active(): boolean {
    return this.scanner.detectors.length > 0;
  }

  /** Scans and rewrites a whole text. */
  apply(text: string): string {
    if (!this.active) return text;
    this.#vault.reserve(text);
    return this.rewrite(text, this.scanner.scan(text), 0, text.length);
  }

  /** `apply` for a text clients send again and again (a tool definition): a text in `clean` (found clean before) is not scanned again, and one found clean now is put there. */
  applyRepeated(text: string, clean: CleanTexts): string {
    if (!this.active || clean.has(text)) return text;
    this.#vault.reserve(text);
    const detections = this.scanner.scan(text);
    if (detections.length === 0) {
      clean.add(text);
      return text;
    }
    return this.rewrite(text, detections, 0, text.length);
  }

  /**
   * Scans texts the model reads back to back (a run: chat-text-runs.ts) as one text as well as
   * each on its own (joined-detections.ts), and returns each text rewritten. A value split across
   * texts is replaced once, in the text where it starts — for `mask` one placeholder for the whole
   * value, so the answer gets it back whole — and the rest of it is removed from the texts after.
   */
  applyRun(texts: readonly string[]): string[] {
    if (!this.active) return [...texts];
    const run = joinTexts(texts);
    this.#vault.reserve(run.joined);
    const detections = joinedDetections(this.scanner, texts, run, (entity) => severity[this.#actionOf(entity)]);
    if (detections.length === 0) return [...texts];
    const { joined, bounds } = run;
    // Detections are in text order and disjoint: the first that may reach the current text.
    let first = 0;
    return texts.map((text, index) => {
      const from = bounds[index];
      const to = bounds[index + 1];
      while (first < detections.length && detections[first].end <= from) first++;
      let output = '';
      let cursor = from;
      for (let next = first; next < detections.length && detections[next].start < to; next++) {
        const detection = detections[next];
        // Begun in an earlier text, which holds its replacement: this text's piece of it goes.
        const replacement = detection.start >= from ? this.#replacement(detection, joined) : this.#rewrites(detection) ? '' : null;
        if (replacement === null) continue;
        output += joined.slice(cursor, Math.max(detection.start, from)) + replacement;
        cursor = Math.min(detection.end, to);
      }
      return cursor === from ? text : output + joined.slice(cursor, to);
    });
  }

  /**
   * Rewrites text[from, to) given detections over the whole text; a detection that starts
   * before `from` (it began in text already sent) is cut to the part from `from` on.
   */
  rewrite(text: string, detections: readonly Detection[], from: number, to: number): string {
    let output = '';
    let cursor = from;
    for (const detection of detections) {
      if (detection.end <= from || detection.start >= to) continue;
      const replacement = this.#replacement(detection, text);
      if (replacement === null) continue;
      output += text.slice(cursor, Math.max(detection.start, from)) + replacement;
      cursor = Math.min(detection.end, to);
    }
    return cursor === from ? text.slice(from, to) : output + text.slice(cursor, to);
  }

  #rewrites(detection: Detection): boolean {
    const action = this.#actionOf(detection.entity);
    return action === 'block' || action === 'redact' || action === 'mask';
  }

  /** What a detection in `text` is replaced by (counting it once), or null when its action leaves it. */
  #replacement(detection: Detection, text: string): string | null {
    this.found.set(detection.label, (this.found.get(detection.label) ?? 0) + 1);
    switch (this.#actionOf(detection.entity)) {
      case 'block':
        this.blocked.add(detection.label);
        return `[${detection.label}]`;
      case 'redact':
        return `[${detection.label}]`;
      case 'mask':
        return this.#vault.placeholderFor(detection.label, text.slice(detection.start, detection.end));
      default:
        return null;
    }
  }
}
