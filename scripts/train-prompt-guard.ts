// `npm run train:guard`: trains prompt-guard's classifier on test/fixtures/prompt-guard/ (the
// training/ files and the tune splits of the evaluation sets) and writes the shipped model,
// src/plugins/prompt-guard/signals/prompt-guard-model.bin. Deterministic: the same files give the
// same bytes, which test/plugins/prompt-guard/classifier.test.ts checks.
import { writeFileSync } from 'node:fs';
import { modelPath } from '../src/plugins/prompt-guard/signals/classifier.ts';
import { trainClassifier, trainingPrompts } from '../test/prompt-guard/classifier-training.ts';

const started = performance.now();
const model = trainClassifier();
writeFileSync(modelPath, model.encode());
const prompts = trainingPrompts();
const attacks = prompts.filter((prompt) => prompt.label === 'malicious').length;
console.log(`trained on ${prompts.length} texts (${attacks} attacks) in ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${modelPath.pathname}`);
