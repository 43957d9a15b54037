import { featureBits, weightedSum, type FeatureVector, type PreparedWords } from './text-features.ts';

/** "TGPC": Tollgate prompt classifier. */
const magic = 0x43504754;
const formatVersion = 1;
const headerBytes = 20;

/**
 * Logistic regression over hashed text features (text-features.ts). The weights are kept as 8-bit
 * integers with one scale (a quarter of the memory of 32-bit floats; the probabilities it gives
 * differ from the unquantized model's by well under 0.01 on the labelled sets).
 */
export class LinearModel {
  readonly weights: Int8Array;
  readonly scale: number;
  readonly bias: number;

  constructor(weights: Int8Array, scale: number, bias: number) {
    if (weights.length !== 1 << featureBits) throw new Error(`prompt classifier: expected ${1 << featureBits} weights, got ${weights.length}`);
    this.weights = weights;
    this.scale = scale;
    this.bias = bias;
  }

  /** Quantizes trained 32-bit weights. */
  static fromWeights(weights: Float32Array, bias: number): LinearModel {
    let largest = 0;
    for (const weight of weights) largest = Math.max(largest, Math.abs(weight));
    const scale = largest > 0 ? largest / 127 : 1;
    const quantized = new Int8Array(weights.length);
    for (let index = 0; index < weights.length; index++) quantized[index] = Math.round(weights[index]! / scale);
    return new LinearModel(quantized, scale, bias);
  }

  /** Probability (0-1) that the text is an attack. */
  probability(features: FeatureVector): number {
    let sum = 0;
    const { indices, values } = features;
    for (let index = 0; index < indices.length; index++) sum += this.weights[indices[index]!]! * values[index]!;
    return this.#sigmoid(sum);
  }

  /** The same for the prepared words `[from, to)` (text-features.ts), without building their vector. */
  windowProbability(words: PreparedWords, from: number, to: number, role: string): number {
    return this.#sigmoid(weightedSum(words, from, to, role, this.weights));
  }

  #sigmoid(sum: number): number {
    return 1 / (1 + Math.exp(-(this.bias + this.scale * sum)));
  }

  /** The model file: a 20-byte header (magic, version, feature bits, scale, bias), then the weights. */
  encode(): Uint8Array {
    const bytes = new Uint8Array(headerBytes + this.weights.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, magic, true);
    view.setUint32(4, formatVersion, true);
    view.setUint32(8, featureBits, true);
    view.setFloat32(12, this.scale, true);
    view.setFloat32(16, this.bias, true);
    bytes.set(new Uint8Array(this.weights.buffer, this.weights.byteOffset, this.weights.length), headerBytes);
    return bytes;
  }

  static decode(bytes: Uint8Array): LinearModel {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < headerBytes || view.getUint32(0, true) !== magic) throw new Error('prompt classifier: not a model file');
    if (view.getUint32(4, true) !== formatVersion || view.getUint32(8, true) !== featureBits) throw new Error('prompt classifier: the model file was made for another version of the features');
    const weights = new Int8Array(bytes.buffer.slice(bytes.byteOffset + headerBytes, bytes.byteOffset + bytes.byteLength));
    return new LinearModel(weights, view.getFloat32(12, true), view.getFloat32(16, true));
  }
}
