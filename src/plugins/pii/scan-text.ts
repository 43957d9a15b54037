import type { Detection, Detector } from './detectors/detector.ts';
import { inScope, type StreamScope } from './detectors/whole-text.ts';
import { encodedView } from './encoded-view.ts';
import { numberView } from './number-view.ts';
import { chainViews } from './text-view.ts';

function overlaps(left: Detection, right: Detection): boolean {
  return left.start < right.end && right.start < left.end;
}

function wins(challenger: Detection, holder: Detection): boolean {
  if (challenger.specificity !== holder.specificity) return challenger.specificity > holder.specificity;
  return challenger.end - challenger.start > holder.end - holder.start;
}

/**
 * Non-overlapping detections in text order. Where two overlap, the more specific entity wins
 * (a JWT over the generic secret around it, a card number over a phone-shaped digit run), then
 * the longer one.
 */
export function resolveOverlaps(found: Detection[]): Detection[] {
  if (found.length < 2) return found;
  found.sort((left, right) => left.start - right.start || right.end - left.end);
  const kept: Detection[] = [];
  for (const detection of found) {
    // Kept detections are sorted and disjoint, so only a run at the end can overlap a later one.
    let first = kept.length;
    while (first > 0 && overlaps(kept[first - 1], detection)) first--;
    let winsAll = true;
    for (let index = first; index < kept.length && winsAll; index++) winsAll = wins(detection, kept[index]);
    if (!winsAll) continue;
    kept.length = first;
    kept.push(detection);
  }
  return kept;
}

/**
 * Text before the scan's `from` that is searched again, so cue words ("password:", "Passport No:",
 * the "cc:" of a list of names) reach values after `from`; matches starting in it may be found too.
 */
export const cueContext = 64;

/** Runs every enabled detector over a text. */
export class PiiScanner {
  readonly detectors: readonly Detector[];

  constructor(detectors: readonly Detector[]) {
    this.detectors = detectors;
  }

  /**
   * Detections in `text`, by offsets of `text`. The detectors read its number view (digits of any
   * script and full-width forms in ASCII, Unicode spaces and dashes beside digits as ' ' and '-'),
   * so "４１１１ １１１１ …" or "٠٧٧٠٠ ٩٠٠١٢٣" is found and its original span is what gets replaced.
   * That view is taken of the text with its escapes and character references decoded
   * (encoded-view.ts: `\u0034111 …`, `john&#46;doe&#64;example.com`), so a detection covers the
   * whole original sequences.
   *
   * A stream (stream-hold-back.ts) passes the text it has sent and what it holds, `from` where the
   * new text begins (every match starting there or later is found, matches starting earlier need
   * not be; the search begins `cueContext` before it, so the cue words before a match are read)
   * and its `scope`: whole-text tests
   * then read only the new text, and the matches a whole-text exemption left out are put in
   * `scope.provisional`.
   */
  scan(text: string, from = 0, scope?: StreamScope): Detection[] {
    if (text.length === 0) return [];
    // The cue words of a match may lie before `from` ("Passport No: " before the number, "cc:"
    // before a list of names): the search starts that much earlier.
    from = Math.max(0, from - cueContext);
    // Both views keep the text before `from` as it is, so `from` is the same index in each.
    const decoded = encodedView(text, from);
    const view = chainViews(decoded, numberView(decoded?.text ?? text, from));
    const found: Detection[] = [];
    inScope(scope, () => {
      for (const detector of this.detectors) detector.find(view?.text ?? text, found, from);
    });
    let provisional: Detection[] = [];
    if (found.some((detection) => detection.provisional)) {
      provisional = found.filter((detection) => detection.provisional);
      found.splice(0, found.length, ...found.filter((detection) => !detection.provisional));
    }
    const kept = resolveOverlaps(found);
    if (view !== null) {
      for (const detection of [...kept, ...provisional]) {
        detection.end = view.endOf(detection.end);
        detection.start = view.startOf(detection.start);
      }
    }
    if (scope) scope.provisional = provisional;
    return kept;
  }
}
