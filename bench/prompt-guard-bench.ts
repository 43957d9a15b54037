/**
 * Prompt-guard speed: CPU milliseconds per KB of new text for the whole detector (patterns and
 * classifier), on documents of 1, 2, 10 and 50 KB made of two kinds of text: ordinary assistant
 * traffic (the non-hard-negative rows of the classifier's benign training file, 20 languages, many
 * short questions) and business prose (English, numbers, code and JSON, as in bench/pii-bench.ts).
 * Every document is new, so the scorer's memory of long messages never answers.
 *
 *   npm run bench:guard -- [--baseline <checkout>] [--sizes 2,50] [--rounds 5]
 *
 * `--baseline` scores the same documents with another checkout's detector in the same process,
 * alternating round by round, so a busy machine slows both alike (compare versions this way, not
 * across runs). CPU time, not wall time: other processes' load does not count.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readLabelledSet } from '../test/helpers/labelled-set.ts';

interface Scorer {
  scoreMessage(text: string, role: string): { score: number };
}

const { values } = parseArgs({
  options: {
    baseline: { type: 'string' },
    sizes: { type: 'string', default: '1,2,10,50' },
    rounds: { type: 'string', default: '5' },
    'no-classifier': { type: 'boolean', default: false },
  },
});

async function scorerFrom(root: string): Promise<Scorer> {
  const module = (await import(pathToFileURL(resolve(root, 'src/plugins/prompt-guard/score-prompt.ts')).href)) as { PromptScorer: new (disabled?: string[]) => Scorer };
  return new module.PromptScorer(values['no-classifier'] ? ['classifier'] : []);
}

const traffic = readLabelledSet<{ text: string; category: string }>(new URL('../test/fixtures/prompt-guard/training/benign-traffic.jsonl', import.meta.url))
  .filter((row) => !row.category.startsWith('hn_'))
  .map((row) => row.text);
const prose = [
  'Our Q3 results improved across 12 regions; revenue grew 8.4% to $41.2M while costs held flat. The board meets on 2025-10-14 at 10:30 to review the forecast. ',
  'Customer Ana López asked about invoice #88{n} and a refund; the ticket was escalated to billing after two follow-ups. ',
  'function total(items) {\n  return items.filter((item) => !item.ignored).reduce((sum, item) => sum + item.price * item.qty, 0);\n}\n',
  '{"id": 55{n}, "status": "shipped", "weight_kg": 2.75, "dimensions": [30, 20, 15], "carrier": "DHL", "eta": "2025-11-02"} ',
  'The server at 10.0.4.{n} restarted after the 1.24.3 upgrade; logs show 3 timeouts at 12:01:07 and none since. ',
  'Release notes: fixed a race in the retry loop, bumped undici to 7.3, and documented the new config keys for routes and fallbacks. ',
  'Meeting notes: we agreed to ship the dashboard first, then the exporter, and to revisit pricing after the pilot with two customers. ',
];

let seed = 7;
function random(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
}

/** A document of `bytes` characters: rows picked at random (traffic) or in turn (prose), headed by a unique line. */
function documentOf(kind: 'traffic' | 'prose', bytes: number, serial: number): string {
  let text = `Document ${serial}\n`;
  for (let index = 0; text.length < bytes; index++) text += kind === 'traffic' ? `${traffic[Math.floor(random() * traffic.length)]}\n` : prose[index % prose.length]!.replaceAll('{n}', String(serial * 31 + index));
  return text.slice(0, bytes);
}

function cpuMilliseconds(run: () => void): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

const contenders: Array<[string, Scorer]> = [['this checkout', await scorerFrom(resolve(import.meta.dirname, '..'))]];
if (values.baseline) contenders.unshift(['baseline', await scorerFrom(values.baseline)]);
const rounds = Number(values.rounds);
let serial = 0;

// Warm up: compile the patterns and let the JIT settle.
for (const [, scorer] of contenders) for (let index = 0; index < 30; index++) scorer.scoreMessage(documentOf('traffic', 4096, ++serial), 'user');

console.log(`prompt-guard CPU ms per KB (median over documents${values['no-classifier'] ? ', classifier off' : ''})`);
console.log(`${'text'.padEnd(8)} ${'size'.padStart(5)}  ${contenders.map(([name]) => name.padStart(14)).join('  ')}`);
for (const kind of ['traffic', 'prose'] as const) {
  for (const size of values.sizes.split(',').map(Number)) {
    const perRound = Math.max(2, Math.round(64 / size));
    const samples = contenders.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      const documents = Array.from({ length: perRound }, () => documentOf(kind, size * 1024, ++serial));
      contenders.forEach(([, scorer], index) => {
        for (const document of documents) samples[index]!.push(cpuMilliseconds(() => scorer.scoreMessage(document, 'user')) / size);
      });
    }
    const medians = samples.map((values) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)]!);
    console.log(`${kind.padEnd(8)} ${`${size} KB`.padStart(5)}  ${medians.map((median) => median.toFixed(2).padStart(14)).join('  ')}`);
  }
}
