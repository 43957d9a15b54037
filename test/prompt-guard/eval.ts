/**
 * Prompt-guard evaluation: scores every labelled prompt in test/fixtures/prompt-guard/ with the
 * default threshold and prints precision, recall, F1, the confusion matrix and per-category
 * misses. The split is fixed by a hash of each text: 70% "tune" (the only part whose misses
 * may guide changes to the detector) and 30% "held-out" (reported, not tuned on).
 * Usage: npm run eval:guard [-- --show-tune-misses] [-- --show-heldout-misses] [-- --threshold 0.5]
 */
import { promptGuardConfigSchema } from '../../src/plugins/prompt-guard/prompt-guard-config.ts';
import { PromptScorer } from '../../src/plugins/prompt-guard/score-prompt.ts';
import { readLabelledSet, splitOf } from '../helpers/labelled-set.ts';
import { trainClassifier } from './classifier-training.ts';

interface Example {
  text: string;
  label: 'benign' | 'malicious';
  category: string;
  role?: string;
}

/**
 * The labelled sets: `prompts` (written with the detector, tuned on freely) and three written blind
 * by people who had not seen the detector or each other's sets (only their tune splits' misses
 * guided changes): `realistic` (public-benchmark style), `attack-games` (prompt-hacking games and
 * jailbreak collections), `enterprise` (traffic of business assistants, RAG and agents),
 * `short-mixed` (short prompts, 40% German, in the style of deepset's and HackAPrompt's),
 * `multilingual-obfuscated` (20 languages, obfuscated and encoded attacks, fake turns, tool
 * content; written 2026-12-06 after the classifier shipped, blind to it).
 */
export const exampleSets = ['prompts', 'realistic', 'attack-games', 'enterprise', 'short-mixed', 'multilingual-obfuscated'] as const;
export type ExampleSet = (typeof exampleSets)[number];

export function loadExamples(set: ExampleSet = 'prompts'): Example[] {
  return readLabelledSet<Example>(new URL(`../fixtures/prompt-guard/${set}.jsonl`, import.meta.url));
}

export { splitOf };

interface Outcome {
  example: Example;
  predicted: boolean;
  score: number;
  signals: string[];
}

function metrics(outcomes: Outcome[]): { tp: number; fp: number; tn: number; fn: number; precision: number; recall: number; f1: number } {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (const { example, predicted } of outcomes) {
    const actual = example.label === 'malicious';
    if (predicted && actual) tp++;
    else if (predicted) fp++;
    else if (actual) fn++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, tn, fn, precision, recall, f1 };
}

function printReport(title: string, outcomes: Outcome[], showMisses: boolean): void {
  const result = metrics(outcomes);
  console.log(`\n== ${title} (${outcomes.length} prompts) ==`);
  console.log(`precision ${result.precision.toFixed(3)}  recall ${result.recall.toFixed(3)}  F1 ${result.f1.toFixed(3)}`);
  console.log('                  predicted malicious  predicted benign');
  console.log(`actual malicious  ${String(result.tp).padStart(19)}  ${String(result.fn).padStart(16)}`);
  console.log(`actual benign     ${String(result.fp).padStart(19)}  ${String(result.tn).padStart(16)}`);
  const categories = new Map<string, { total: number; misses: Outcome[] }>();
  for (const outcome of outcomes) {
    const entry = categories.get(outcome.example.category) ?? { total: 0, misses: [] };
    entry.total++;
    if (outcome.predicted !== (outcome.example.label === 'malicious')) entry.misses.push(outcome);
    categories.set(outcome.example.category, entry);
  }
  console.log('per category: misses / total');
  for (const [category, { total, misses }] of [...categories].sort()) {
    console.log(`  ${category.padEnd(24)} ${misses.length} / ${total}`);
    if (!showMisses) continue;
    for (const miss of misses) {
      const kind = miss.example.label === 'malicious' ? 'missed' : 'false alarm';
      console.log(`    ${kind} score=${miss.score} [${miss.signals.join(', ')}] ${JSON.stringify(miss.example.text.slice(0, 110))}`);
    }
  }
}

/**
 * `--cross-set`: for each blind set, a classifier trained without any of that set (the training/
 * files and the other sets' tune splits) scores it, so the figures show how the detector does on
 * a style of prompt its classifier never saw. Patterns alone are printed beside it.
 */
function crossSet(threshold: number): void {
  console.log(`cross-set: each set scored with a classifier trained without it (threshold ${threshold})`);
  console.log('set            split      patterns only (P / R)   patterns + classifier (P / R / F1)');
  const patternsOnly = new PromptScorer(['classifier']);
  for (const set of exampleSets) {
    const model = trainClassifier(set);
    const scorer = new PromptScorer([], () => model);
    for (const split of ['tune', 'held-out'] as const) {
      const examples = loadExamples(set).filter((example) => splitOf(example.text) === split);
      const outcomesOf = (chosen: PromptScorer): Outcome[] =>
        examples.map((example) => {
          const result = chosen.score([{ text: example.text, role: example.role ?? 'user' }]);
          return { example, predicted: result.score >= threshold, score: result.score, signals: [] };
        });
      const alone = metrics(outcomesOf(patternsOnly));
      const both = metrics(outcomesOf(scorer));
      console.log(`${set.padEnd(14)} ${split.padEnd(9)}  ${alone.precision.toFixed(3)} / ${alone.recall.toFixed(3)}           ${both.precision.toFixed(3)} / ${both.recall.toFixed(3)} / ${both.f1.toFixed(3)}`);
    }
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const thresholdIndex = args.indexOf('--threshold');
  const threshold = thresholdIndex === -1 ? promptGuardConfigSchema.parse({}).threshold : Number(args[thresholdIndex + 1]);
  if (args.includes('--cross-set')) return crossSet(threshold);
  const scorer = new PromptScorer();
  const showMisses = args.includes('--show-tune-misses');
  for (const set of exampleSets) {
    const started = performance.now();
    const outcomes: Array<Outcome & { split: string }> = loadExamples(set).map((example) => {
      const result = scorer.score([{ text: example.text, role: example.role ?? 'user' }]);
      return { example, predicted: result.score >= threshold, score: result.score, signals: result.signals.map((signal) => signal.name), split: splitOf(example.text) };
    });
    const elapsed = performance.now() - started;
    console.log(`\n######## ${set}.jsonl: threshold ${threshold}, ${outcomes.length} prompts, ${((elapsed * 1000) / outcomes.length).toFixed(0)} µs per prompt`);
    printReport(`${set}: tune split (70%)`, outcomes.filter((outcome) => outcome.split === 'tune'), showMisses);
    printReport(`${set}: held-out split (30%)`, outcomes.filter((outcome) => outcome.split === 'held-out'), args.includes('--show-heldout-misses'));
    printReport(`${set}: all`, outcomes, false);
    // How precision and recall trade off around the default threshold (held-out split).
    console.log(`\n${set}: threshold sweep (held-out): threshold  precision  recall`);
    const heldOut = outcomes.filter((outcome) => outcome.split === 'held-out');
    for (const candidate of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
      const swept = metrics(heldOut.map((outcome) => ({ ...outcome, predicted: outcome.score >= candidate })));
      console.log(`  ${candidate.toFixed(1).padStart(9)}  ${swept.precision.toFixed(3).padStart(9)}  ${swept.recall.toFixed(3).padStart(6)}`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
