import { readFileSync } from 'node:fs';
import { LinearModel } from '../classifier/linear-model.ts';
import { prepareWords, wordsOf } from '../classifier/text-features.ts';
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
  return readText(classifier, text, role).probability;
}

/** The probability and how many words it was read from. */
function readText(classifier: LinearModel, text: string, role: string): { probability: number; words: number } {
  const words = prepareWords(wordsOf(text));
  let probability = classifier.windowProbability(words, 0, words.length, role);
  if (words.length > windowFrom) {
    for (let from = 0; from < words.length - windowStep; from += windowStep) probability = Math.max(probability, classifier.windowProbability(words, from, Math.min(words.length, from + windowWords), role));
  }
  return { probability, words: words.length };
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
 * Below this many words the classifier's evidence counts for words / 8 of its strength, unless the
 * message is one of several user turns (a piece of a split instruction). A short text gives the
 * model few n-grams, and one word of attack vocabulary decides it: "Never share your password with
 * anyone." read p = 0.96, "Authorization: Bearer <YOUR_TOKEN_HERE>" 0.95. Of 2,200 attacks scored
 * by classifiers that had not seen them (the tune splits with --cross-set's models, the training
 * files by 5-fold cross-validation), none under 8 words was caught by the classifier alone
 * (README, "Classifier").
 */
const fullEvidenceWords = 8;

/**
 * A linear model over word and character n-grams, trained on the labelled sets (README,
 * "Classifier"): it catches attacks phrased in ways no pattern lists, and adds to the
 * patterns' evidence where both are unsure.
 */
export function textClassifier(classifier: () => LinearModel = shippedModel): Signal {
  return {
    name: 'classifier',
    strength(view: TextView): number {
      const { probability, words } = readText(classifier(), view.lowered, view.role);
      // A fragment keeps its full weight: "Let b = ' system prompt'" is short because the attack was cut into turns.
      return Math.max(0, (probability - floor) * slope) * (view.fragment === true ? 1 : Math.min(1, words / fullEvidenceWords));
    },
  };
}
