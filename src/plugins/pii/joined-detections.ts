import type { Detection } from './detectors/detector.ts';
import type { PiiScanner } from './scan-text.ts';

/** Texts the model reads back to back, as one text: `bounds[i]` is where texts[i] starts in `joined`, `bounds[n]` its length. */
export interface JoinedTexts {
  joined: string;
  bounds: number[];
}

export function joinTexts(texts: readonly string[]): JoinedTexts {
  const bounds = [0];
  for (const text of texts) bounds.push(bounds[bounds.length - 1] + text.length);
  return { joined: texts.join(''), bounds };
}

/** How strongly a detection's entity is acted on (block > mask, redact > log-only): a merged span keeps the strongest. */
export type Severity = (entity: string) => number;

/** The detection a merged span is labelled by: the strongest action, then the join's reading, then the scanner's overlap rule (scan-text.ts). */
function better(challenger: Candidate, holder: Candidate, severity: Severity): boolean {
  const bySeverity = severity(challenger.detection.entity) - severity(holder.detection.entity);
  if (bySeverity !== 0) return bySeverity > 0;
  if (challenger.fromJoin !== holder.fromJoin) return challenger.fromJoin;
  const [left, right] = [challenger.detection, holder.detection];
  if (left.specificity !== right.specificity) return left.specificity > right.specificity;
  return left.end - left.start > right.end - right.start;
}

interface Candidate {
  detection: Detection;
  fromJoin: boolean;
}

/**
 * True for a join's detection that runs on past the end of the text it starts in, where that text
 * alone found the same value ending before its end: the join only glued the next text's first
 * word onto a whole value ("ann@example.com." + "The report follows." read as the address
 * "ann@example.com.The"), and would cut that word out of the next text. A value that runs up to
 * the end of its text alone (a split one: "+44 20 79" + "46 0321") is the join's to take.
 */
function gluedOn(detection: Detection, own: readonly Detection[], bounds: readonly number[]): boolean {
  const textEnd = bounds.find((bound) => bound > detection.start);
  if (textEnd === undefined || detection.end <= textEnd) return false;
  return own.some((alone) => alone.entity === detection.entity && alone.start === detection.start && alone.end < textEnd);
}

/**
 * Detections over texts read back to back, by offsets of their join, in text order and disjoint:
 * the union of every text's own detections (what scanning it alone finds, which the old per-text
 * scan found: a value glued to the text before it, whole-text tests its neighbours change) and
 * the join's (what the model reads: a value split across texts, a cue word in the text before).
 * Where they overlap (the same value found both ways, or a piece of a split value a text alone
 * took for something else) one span covers them all, labelled by the strongest action among
 * them, so nothing either reading finds is left out and `block` still blocks.
 *
 * Costs one scan per text plus one of the join: call it only for runs of two texts or more.
 */
export function joinedDetections(scanner: PiiScanner, texts: readonly string[], { joined, bounds }: JoinedTexts, severity: Severity): Detection[] {
  const candidates: Candidate[] = [];
  texts.forEach((text, index) => {
    const offset = bounds[index];
    for (const detection of scanner.scan(text)) candidates.push({ detection: { ...detection, start: detection.start + offset, end: detection.end + offset }, fromJoin: false });
  });
  // With one text that is not empty the join is that text: nothing to add.
  if (texts.filter((text) => text !== '').length < 2) return candidates.map((candidate) => candidate.detection);
  const own = candidates.map((candidate) => candidate.detection);
  for (const detection of scanner.scan(joined)) if (!gluedOn(detection, own, bounds)) candidates.push({ detection, fromJoin: true });
  candidates.sort((left, right) => left.detection.start - right.detection.start);
  const merged: Detection[] = [];
  let winner: Candidate | null = null;
  let start = 0;
  let end = 0;
  for (const candidate of candidates) {
    if (winner !== null && candidate.detection.start < end) {
      end = Math.max(end, candidate.detection.end);
      if (better(candidate, winner, severity)) winner = candidate;
      continue;
    }
    if (winner !== null) merged.push({ ...winner.detection, start, end });
    winner = candidate;
    ({ start, end } = candidate.detection);
  }
  if (winner !== null) merged.push({ ...winner.detection, start, end });
  return merged;
}
