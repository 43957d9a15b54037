/**
 * PII evaluation: runs every labelled text in test/fixtures/pii/labelled.jsonl through the pii
 * plugin's scanner (the default `pii: {}` config unless told otherwise) and prints precision,
 * recall and F1 per entity type and overall, the type-agnostic figures, the share of no-PII texts
 * each detector fires on, and per-category misses. A detection is correct when its span overlaps a
 * labelled value of the same type (secret kinds count as one type, `secret`). The split is fixed by
 * a hash of each text: 70% "tune" (the only part whose misses may guide changes to the detectors)
 * and 30% "held-out" (reported, not tuned on).
 * Usage: npm run eval:pii [-- --all] [-- --show-heldout-misses] [-- --json out.json]
 *   --all  every built-in detector set to true explicitly (the same as the default today; kept for deciding defaults)
 */
import { writeFileSync } from 'node:fs';
import { builtinEntities } from '../../src/plugins/pii/detectors/builtin-entities.ts';
import type { Detection } from '../../src/plugins/pii/detectors/detector.ts';
import { scannerFor } from '../../src/plugins/pii/index.ts';
import { piiConfigSchema, resolvePolicy } from '../../src/plugins/pii/pii-config.ts';
import { readLabelledSet, splitOf } from '../helpers/labelled-set.ts';

interface Example {
  text: string;
  entities: Array<{ type: string; value: string }>;
  category: string;
  lang?: string;
}

interface Span {
  type: string;
  start: number;
  end: number;
  value: string;
}

interface Outcome {
  example: Example;
  split: 'tune' | 'held-out';
  gold: Span[];
  predicted: Span[];
}

/**
 * The labelled sets: `labelled` (written alongside the detectors), `blind` (written by someone
 * who had not seen them; only its tune split's misses may guide changes) and `blind-2` (synthetic
 * records in sentences, written blind after the detectors were tuned on `blind`).
 */
export const exampleSets = ['labelled', 'blind', 'blind-2', 'blind-3'] as const;
export type ExampleSet = (typeof exampleSets)[number];

export function loadExamples(set: ExampleSet = 'labelled'): Example[] {
  return readLabelledSet<Example>(new URL(`../fixtures/pii/${set}.jsonl`, import.meta.url));
}

const secretKinds = new Set(['api_key', 'aws_access_key', 'aws_secret_key', 'jwt', 'private_key', 'generic_secret']);
/** The type a label or detection is scored as: the secret detectors are one family. */
const scoredType = (entity: string): string => (secretKinds.has(entity) ? 'secret' : entity);

/** Every occurrence of every labelled value (a value written twice is two spans). */
function goldSpans(example: Example): Span[] {
  const spans = new Map<string, Span>();
  for (const { type, value } of example.entities) {
    for (let start = example.text.indexOf(value); start !== -1; start = example.text.indexOf(value, start + 1)) {
      spans.set(`${start}:${value.length}`, { type: scoredType(type), start, end: start + value.length, value });
    }
  }
  return [...spans.values()];
}

const overlaps = (left: Span, right: Span): boolean => left.start < right.end && right.start < left.end;

interface Counts {
  predicted: number;
  correct: number;
  gold: number;
  found: number;
}

const emptyCounts = (): Counts => ({ predicted: 0, correct: 0, gold: 0, found: 0 });

function ratios({ predicted, correct, gold, found }: Counts): { precision: number; recall: number; f1: number } {
  const precision = predicted === 0 ? 1 : correct / predicted;
  const recall = gold === 0 ? 1 : found / gold;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** Counts per scored type, plus `overall` (same type) and `any` (any type overlapping any label). */
function count(outcomes: Outcome[]): Map<string, Counts> {
  const table = new Map<string, Counts>();
  const row = (type: string): Counts => table.get(type) ?? (table.set(type, emptyCounts()), table.get(type)!);
  for (const { gold, predicted } of outcomes) {
    for (const span of predicted) {
      for (const key of [span.type, 'overall']) row(key).predicted++;
      row('any').predicted++;
      if (gold.some((label) => label.type === span.type && overlaps(label, span))) (row(span.type).correct++, row('overall').correct++);
      if (gold.some((label) => overlaps(label, span))) row('any').correct++;
    }
    for (const label of gold) {
      for (const key of [label.type, 'overall', 'any']) row(key).gold++;
      if (predicted.some((span) => span.type === label.type && overlaps(label, span))) (row(label.type).found++, row('overall').found++);
      if (predicted.some((span) => overlaps(label, span))) row('any').found++;
    }
  }
  return table;
}

const pad = (value: string | number, width: number): string => String(value).padStart(width);
const fixed = (value: number): string => value.toFixed(3);

function printReport(title: string, outcomes: Outcome[], showMisses: boolean, summary: Record<string, unknown>): void {
  const table = count(outcomes);
  const withPii = outcomes.filter((outcome) => outcome.gold.length > 0);
  const clean = outcomes.filter((outcome) => outcome.gold.length === 0);
  console.log(`\n== ${title} (${outcomes.length} texts: ${withPii.length} with PII, ${clean.length} without) ==`);
  console.log(`${'type'.padEnd(16)} ${pad('labels', 6)} ${pad('found', 6)} ${pad('flags', 6)} ${pad('right', 6)}  precision  recall     F1  no-PII texts flagged`);
  const types = [...table.keys()].filter((type) => type !== 'overall' && type !== 'any').sort();
  const section: Record<string, unknown> = {};
  for (const type of [...types, 'overall', 'any']) {
    const counts = table.get(type)!;
    const { precision, recall, f1 } = ratios(counts);
    const flaggedClean = type === 'any' || type === 'overall' ? clean.filter((outcome) => outcome.predicted.length > 0).length : clean.filter((outcome) => outcome.predicted.some((span) => span.type === type)).length;
    const share = clean.length === 0 ? 0 : flaggedClean / clean.length;
    const name = type === 'overall' ? 'OVERALL' : type === 'any' ? 'ANY (untyped)' : type;
    console.log(
      `${name.padEnd(16)} ${pad(counts.gold, 6)} ${pad(counts.found, 6)} ${pad(counts.predicted, 6)} ${pad(counts.correct, 6)}  ${pad(fixed(precision), 9)}  ${pad(fixed(recall), 6)}  ${fixed(f1)}  ${pad(flaggedClean, 3)} (${(share * 100).toFixed(1)}%)`,
    );
    section[type] = { ...counts, precision, recall, f1, cleanFlagged: flaggedClean, cleanShare: share };
  }
  // Text level: does the text hold any personal data, and did the scanner find any?
  const textTp = withPii.filter((outcome) => outcome.predicted.length > 0).length;
  const textFp = clean.filter((outcome) => outcome.predicted.length > 0).length;
  const textPrecision = textTp + textFp === 0 ? 1 : textTp / (textTp + textFp);
  const textRecall = withPii.length === 0 ? 1 : textTp / withPii.length;
  console.log(`texts with any PII found: precision ${fixed(textPrecision)}  recall ${fixed(textRecall)}  (${textTp}/${withPii.length} texts with PII flagged, ${textFp}/${clean.length} without)`);
  section.textLevel = { precision: textPrecision, recall: textRecall };
  summary[title] = section;

  const categories = new Map<string, { labels: number; missed: string[]; wrong: string[] }>();
  for (const { example, gold, predicted } of outcomes) {
    const entry = categories.get(example.category) ?? { labels: 0, missed: [], wrong: [] };
    entry.labels += gold.length;
    for (const label of gold) if (!predicted.some((span) => span.type === label.type && overlaps(label, span))) entry.missed.push(`missed ${label.type} ${JSON.stringify(label.value)} in ${JSON.stringify(example.text.slice(0, 90))}`);
    for (const span of predicted) if (!gold.some((label) => label.type === span.type && overlaps(label, span))) entry.wrong.push(`false ${span.type} ${JSON.stringify(span.value)} in ${JSON.stringify(example.text.slice(0, 90))}`);
    categories.set(example.category, entry);
  }
  console.log('per category: missed labels / labels, false detections');
  for (const [category, { labels, missed, wrong }] of [...categories].sort()) {
    console.log(`  ${category.padEnd(10)} ${pad(missed.length, 3)} / ${pad(labels, 3)}, ${pad(wrong.length, 3)} false`);
    if (showMisses) for (const line of [...missed, ...wrong]) console.log(`      ${line}`);
  }
}

/** Overall (same type) precision and recall, and the share of PII-free texts flagged, per split of a set with the default config: what the floor test checks. */
export function scoreSplits(set: ExampleSet): Record<'tune' | 'held-out', { precision: number; recall: number; cleanShare: number }> {
  const scanner = scannerFor(resolvePolicy(piiConfigSchema.parse({})), 'request');
  const outcomes: Outcome[] = loadExamples(set).map((example) => ({
    example,
    split: splitOf(example.text),
    gold: goldSpans(example),
    predicted: scanner.scan(example.text).map((detection) => ({ type: scoredType(detection.entity), start: detection.start, end: detection.end, value: example.text.slice(detection.start, detection.end) })),
  }));
  const score = (split: 'tune' | 'held-out') => {
    const chosen = outcomes.filter((outcome) => outcome.split === split);
    const { precision, recall } = ratios(count(chosen).get('overall') ?? emptyCounts());
    const clean = chosen.filter((outcome) => outcome.gold.length === 0);
    return { precision, recall, cleanShare: clean.filter((outcome) => outcome.predicted.length > 0).length / Math.max(1, clean.length) };
  };
  return { tune: score('tune'), 'held-out': score('held-out') };
}

function main(): void {
  const args = process.argv.slice(2);
  // `--all`: every built-in detector on, including those shipped off by default.
  const config = args.includes('--all') ? { entities: Object.fromEntries(builtinEntities.map((entity) => [entity, true])) } : {};
  const scanner = scannerFor(resolvePolicy(piiConfigSchema.parse(config)), 'request');
  const summary: Record<string, unknown> = {};
  for (const set of exampleSets) evaluate(set, scanner, args, summary);
  const jsonIndex = args.indexOf('--json');
  if (jsonIndex !== -1) writeFileSync(args[jsonIndex + 1], `${JSON.stringify(summary, null, 2)}\n`);
}

function evaluate(set: ExampleSet, scanner: ReturnType<typeof scannerFor>, args: string[], allSummaries: Record<string, unknown>): void {
  const examples = loadExamples(set);
  const started = performance.now();
  const detections: Detection[][] = examples.map((example) => scanner.scan(example.text));
  const elapsed = performance.now() - started;
  const outcomes: Outcome[] = examples.map((example, index) => ({
    example,
    split: splitOf(example.text),
    gold: goldSpans(example),
    predicted: detections[index].map((detection) => ({ type: scoredType(detection.entity), start: detection.start, end: detection.end, value: example.text.slice(detection.start, detection.end) })),
  }));
  const bytes = examples.reduce((sum, example) => sum + Buffer.byteLength(example.text), 0);
  console.log(`\n######## ${set}.jsonl — pii eval: ${args.includes('--all') ? 'every detector on' : 'default config'} (${scanner.detectors.map((detector) => detector.entity).join(', ')})`);
  console.log(`${examples.length} texts, ${((elapsed * 1000) / examples.length).toFixed(0)} µs per text, ${((elapsed * 1000) / (bytes / 1024)).toFixed(1)} µs/KB (first run, cold)`);
  const summary: Record<string, unknown> = {};
  printReport(`${set}: tune split (70%)`, outcomes.filter((outcome) => outcome.split === 'tune'), args.includes('--show-tune-misses') || set === 'labelled', summary);
  printReport(`${set}: held-out split (30%)`, outcomes.filter((outcome) => outcome.split === 'held-out'), args.includes('--show-heldout-misses'), summary);
  printReport(`${set}: all`, outcomes, false, summary);
  allSummaries[set] = summary;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
