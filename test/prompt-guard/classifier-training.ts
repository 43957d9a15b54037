/**
 * What the prompt-guard classifier is trained on, shared by `npm run train:guard` (which writes the
 * shipped model) and `npm run eval:guard -- --cross-set` (which trains a model without one set and
 * scores that set's held-out split, to measure how the classifier does on a style it never saw).
 */
import { readdirSync } from 'node:fs';
import { LinearModel } from '../../src/plugins/prompt-guard/classifier/linear-model.ts';
import { featuresOf, wordsOf } from '../../src/plugins/prompt-guard/classifier/text-features.ts';
import { trainLinearModel, trainRoleAdapter, type TrainingExample } from '../../src/plugins/prompt-guard/classifier/train-linear-model.ts';
import { viewOf } from '../../src/plugins/prompt-guard/normalize-text.ts';
import { classifierText } from '../../src/plugins/prompt-guard/signals/classifier.ts';
import { toolDefinitionRole } from '../../src/plugins/prompt-guard/signals/signal.ts';
import { readLabelledSet, splitOf } from '../helpers/labelled-set.ts';

interface LabelledPrompt {
  text: string;
  label: 'benign' | 'malicious';
  role?: string;
}

/** The evaluation sets (test/prompt-guard/eval.ts): only their tune splits are trained on. */
export const evaluationSets = ['prompts', 'realistic', 'attack-games', 'enterprise', 'short-mixed'] as const;

const fixtures = new URL('../fixtures/prompt-guard/', import.meta.url);
const trainingFolder = new URL('training/', fixtures);

/** The classifier's input for one text, as the signal computes it (signals/classifier.ts). */
export function exampleOf(prompt: LabelledPrompt): TrainingExample {
  const role = prompt.role ?? 'user';
  const words = wordsOf(classifierText(viewOf(prompt.text, role)));
  return { features: featuresOf(words, 0, words.length, role), label: prompt.label === 'malicious' ? 1 : 0 };
}

/** Every training text: the training/ files whole, and the tune split of each evaluation set but `without`. */
export function trainingPrompts(without?: string): LabelledPrompt[] {
  const prompts: LabelledPrompt[] = [];
  for (const file of readdirSync(trainingFolder).filter((name) => name.endsWith('.jsonl')).sort()) prompts.push(...readLabelledSet<LabelledPrompt>(new URL(file, trainingFolder)));
  for (const set of evaluationSets) {
    if (set === without) continue;
    prompts.push(...readLabelledSet<LabelledPrompt>(new URL(`${set}.jsonl`, fixtures)).filter((prompt) => splitOf(prompt.text) === 'tune'));
  }
  return prompts;
}

/**
 * Trains the model; deterministic for the same files. Tool definitions train a role adapter of their
 * own on top of the main model (linear-model.ts), which never sees them: in the main weights their
 * imperative wording ("You must pass…", "Always use this tool when…") pulled attack words down and
 * cost the evaluation sets' held-out splits three attacks.
 */
export function trainClassifier(without?: string): LinearModel {
  const prompts = trainingPrompts(without);
  const main = trainLinearModel(prompts.filter((prompt) => prompt.role !== toolDefinitionRole).map(exampleOf));
  const mainModel = LinearModel.fromWeights(main.weights, main.bias);
  const definitions = prompts.filter((prompt) => prompt.role === toolDefinitionRole).map(exampleOf);
  if (definitions.length === 0) return mainModel;
  const adapter = trainRoleAdapter(definitions.map((example) => ({ ...example, offset: mainModel.logit(example.features) })));
  return LinearModel.fromWeights(main.weights, main.bias, { role: toolDefinitionRole, ...adapter });
}
