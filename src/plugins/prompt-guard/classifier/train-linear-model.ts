import { adapterBits, adapterIndex, featureBits, type FeatureVector } from './text-features.ts';

export interface TrainingExample {
  features: FeatureVector;
  /** 1: attack, 0: benign. */
  label: 0 | 1;
  /** Log-odds added before the weights' (a role adapter learns on top of the main model's: linear-model.ts). */
  offset?: number;
}

export interface TrainingSettings {
  epochs: number;
  /** L2 penalty per step. */
  regularization: number;
}

export const defaultTrainingSettings: TrainingSettings = { epochs: 30, regularization: 1e-5 };

/** A small deterministic generator (mulberry32): the same data always gives the same model. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Logistic regression by stochastic gradient descent: shuffled passes with a decaying step and an
 * L2 penalty. Deterministic for the same examples in the same order.
 */
export function trainLinearModel(examples: readonly TrainingExample[], settings: TrainingSettings = defaultTrainingSettings): { weights: Float32Array; bias: number } {
  return descend(examples, settings, featureBits, (index) => index);
}

/**
 * A role adapter (linear-model.ts): the same descent over the examples of one role, each starting
 * from the main model's log-odds (`offset`), with every feature at its place in the adapter's weights.
 */
export function trainRoleAdapter(examples: readonly TrainingExample[], settings: TrainingSettings = defaultTrainingSettings): { weights: Float32Array; bias: number } {
  return descend(examples, settings, adapterBits, adapterIndex);
}

function descend(examples: readonly TrainingExample[], settings: TrainingSettings, bits: number, place: (index: number) => number): { weights: Float32Array; bias: number } {
  const weights = new Float32Array(1 << bits);
  let bias = 0;
  let steps = 0;
  const random = generator(42);
  const order = examples.map((_, index) => index);
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (let index = order.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1));
      [order[index], order[other]] = [order[other]!, order[index]!];
    }
    for (const position of order) {
      const { features, label, offset = 0 } = examples[position]!;
      steps++;
      const rate = 0.5 / (1 + steps * 1e-4);
      let sum = bias + offset;
      for (let index = 0; index < features.indices.length; index++) sum += weights[place(features.indices[index]!)]! * features.values[index]!;
      const gradient = 1 / (1 + Math.exp(-sum)) - label;
      const decay = 1 - rate * settings.regularization;
      for (let index = 0; index < features.indices.length; index++) {
        const feature = place(features.indices[index]!);
        weights[feature] = weights[feature]! * decay - rate * gradient * features.values[index]!;
      }
      bias -= rate * gradient * 0.1;
    }
  }
  return { weights, bias };
}
