import { parentPort, workerData } from 'node:worker_threads';
import { piiConfigSchema, resolvePolicy } from '../../src/plugins/pii/pii-config.ts';
import { scannerFor } from '../../src/plugins/pii/index.ts';
import { PromptScorer } from '../../src/plugins/prompt-guard/score-prompt.ts';

// Runs every PII detector (both directions, names on answers too) and the prompt-guard scorer
// over the texts it is given, reporting each text's time; the test ends this worker when a
// text never finishes (a detector looping for ever blocks its thread, not the test's).
const texts = workerData as string[];
const policy = resolvePolicy(piiConfigSchema.parse({ request: 'redact', response: 'redact', entities: { person_name: { response: 'redact' } } }));
const scanners = [scannerFor(policy, 'request'), scannerFor(policy, 'response')];
const scorer = new PromptScorer();
texts.forEach((text, index) => {
  parentPort!.postMessage({ started: index });
  const startedAt = performance.now();
  for (const scanner of scanners) scanner.scan(text);
  for (const role of ['user', 'tool', 'system']) scorer.scoreMessage(text, role);
  parentPort!.postMessage({ finished: index, ms: performance.now() - startedAt });
});
parentPort!.postMessage({ done: true });
