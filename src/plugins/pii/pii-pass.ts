import type { Detection } from './detectors/detector.ts';
import type { MaskVault } from './mask-vault.ts';
import type { PiiAction } from './pii-config.ts';
import type { PiiScanner } from './scan-text.ts';

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

  /**
   * Rewrites text[from, to) given detections over the whole text; a detection that starts
   * before `from` (it began in text already sent) is cut to the part from `from` on.
   */
  rewrite(text: string, detections: readonly Detection[], from: number, to: number): string {
    let output = '';
    let cursor = from;
    for (const detection of detections) {
      if (detection.end <= from || detection.start >= to) continue;
      const start = Math.max(detection.start, from);
      const end = Math.min(detection.end, to);
      this.found.set(detection.label, (this.found.get(detection.label) ?? 0) + 1);
      const action = this.#actionOf(detection.entity);
      let replacement: string;
      switch (action) {
        case 'block':
          this.blocked.add(detection.label);
          replacement = `[${detection.label}]`;
          break;
        case 'redact':
          replacement = `[${detection.label}]`;
          break;
        case 'mask':
          replacement = this.#vault.placeholderFor(detection.label, text.slice(detection.start, detection.end));
          break;
        default:
          continue;
      }
      output += text.slice(cursor, start) + replacement;
      cursor = end;
    }
    return cursor === from ? text.slice(from, to) : output + text.slice(cursor, to);
  }
}
