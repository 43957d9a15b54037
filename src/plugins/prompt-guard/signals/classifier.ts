import { readFileSync } from 'node:fs';
import { LinearModel } from '../classifier/linear-model.ts';
import { featuresOf, wordsOf } from '../classifier/text-features.ts';
import type { Signal, TextView } from './signal.ts';

/** The trained model (scripts/train-prompt-guard.ts writes it; the build copies it beside the bundle). */
export const modelPath = new URL('./prompt-guard-model.bin', import.meta.url);

let shipped: LinearModel | undefined;

/** The shipped model, read on first use. */
export function shippedModel(): LinearModel {
  shipped ??= LinearModel.decode(readFileSync(modelPath));
  return shipped;
}

/** Texts longer than this many words are also read in windows, so a short injection in a long document is not averaged away. */
const windowFrom = 160;
const windowWords = 96;
const windowStep = 48;

/** The model's probability for a text: the whole, and for long texts the worst window. */
export function attackProbability(classifier: LinearModel, text: string, role: string): number {
  const words = wordsOf(text);
  let probability = classifier.probability(featuresOf(words, 0, words.length, role));
  if (words.length > windowFrom) {
    for (let from = 0; from < words.length - windowStep; from += windowStep) probability = Math.max(probability, classifier.probability(featuresOf(words, from, Math.min(words.length, from + windowWords), role)));
  }
  return probability;
}

/** Probabilities up to this are no evidence. */
const floor = 0.5;
/**
 * Strength per unit of probability above the floor: 0.85 gives 0.5, the default threshold, on its
 * own; 0.7 gives 0.29, which blocks together with a pattern of 0.3. Chosen on the tune splits and
 * the training files' cross-validation (README, "Classifier"); 0.75-0.9 trade a point of recall
 * for a point of precision.
 */
const slope = 0.5 / 0.35;

/**
 * A linear model over word and character n-grams, trained on the labelled sets (README,
 * "Classifier"): it catches attacks phrased in ways no pattern lists, and adds to the
 * patterns' evidence where both are unsure.
 */
export function textClassifier(classifier: () => LinearModel = shippedModel): Signal {
  return {
    name: 'classifier',
    strength(view: TextView): number {
      const probability = attackProbability(classifier(), view.lowered, view.role);
      return Math.max(0, (probability - floor) * slope);
    },
  };
}
