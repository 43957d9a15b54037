import { adapterBits, featureBits, weightedSum, type FeatureVector, type PreparedWords } from './text-features.ts';

/** "TGPC": Tollgate prompt classifier. */
const magic = 0x43504754;
/** 2: a role adapter may follow the weights. */
const formatVersion = 2;
const headerBytes = 20;

/**
 * A correction for the texts of one role, learned on that role's texts on top of the main model
 * (whose weights never see them): tool definitions are a genre of their own ("You must pass…",
 * "Never call this tool for…"), and training the main weights on them cost attacks in other roles.
 * Its logit is added to the main model's for that role only.
 */
export interface RoleAdapter {
  role: string;
  weights: Int8Array;
  scale: number;
  bias: number;
}

function quantize(weights: Float32Array): { quantized: Int8Array; scale: number } {
  let largest = 0;
  for (const weight of weights) largest = Math.max(largest, Math.abs(weight));
  const scale = largest > 0 ? largest / 127 : 1;
  const quantized = new Int8Array(weights.length);
  for (let index = 0; index < weights.length; index++) quantized[index] = Math.round(weights[index]! / scale);
  return { quantized, scale };
}

/**
 * Logistic regression over hashed text features (text-features.ts). The weights are kept as 8-bit
 * integers with one scale (a quarter of the memory of 32-bit floats; the probabilities it gives
 * differ from the unquantized model's by well under 0.01 on the labelled sets).
 */
export class LinearModel {
  readonly weights: Int8Array;
  readonly scale: number;
  readonly bias: number;
  readonly adapter: RoleAdapter | null;
  /** The adapter's running sum, filled by weightedSum (one per model: the process is single-threaded). */
  readonly #adapterSum: { weights: Int8Array; sum: number } | undefined;

  constructor(weights: Int8Array, scale: number, bias: number, adapter: RoleAdapter | null = null) {
    if (weights.length !== 1 << featureBits) throw new Error(`prompt classifier: expected ${1 << featureBits} weights, got ${weights.length}`);
    if (adapter !== null && adapter.weights.length !== 1 << adapterBits) throw new Error(`prompt classifier: expected ${1 << adapterBits} adapter weights, got ${adapter.weights.length}`);
    this.weights = weights;
    this.scale = scale;
    this.bias = bias;
    this.adapter = adapter;
    this.#adapterSum = adapter === null ? undefined : { weights: adapter.weights, sum: 0 };
  }

  /** Quantizes trained 32-bit weights (and an adapter's). */
  static fromWeights(weights: Float32Array, bias: number, adapter?: { role: string; weights: Float32Array; bias: number }): LinearModel {
    const main = quantize(weights);
    if (adapter === undefined) return new LinearModel(main.quantized, main.scale, bias);
    const extra = quantize(adapter.weights);
    return new LinearModel(main.quantized, main.scale, bias, { role: adapter.role, weights: extra.quantized, scale: extra.scale, bias: adapter.bias });
  }

  /** Probability (0-1) that the text is an attack (the main model: a feature vector says nothing of its role). */
  probability(features: FeatureVector): number {
    return this.#sigmoid(this.logit(features));
  }

  /** The main model's log-odds for a feature vector: what a role adapter is trained on top of. */
  logit(features: FeatureVector): number {
    let sum = 0;
    const { indices, values } = features;
    for (let index = 0; index < indices.length; index++) sum += this.weights[indices[index]!]! * values[index]!;
    return this.bias + this.scale * sum;
  }

  /** The same for the prepared words `[from, to)` (text-features.ts), without building their vector; with the role's adapter, if any. */
  windowProbability(words: PreparedWords, from: number, to: number, role: string): number {
    const adapter = this.adapter !== null && role === this.adapter.role ? this.#adapterSum : undefined;
    const logit = this.bias + this.scale * weightedSum(words, from, to, role, this.weights, adapter);
    return this.#sigmoid(adapter === undefined ? logit : logit + this.adapter!.bias + this.adapter!.scale * adapter.sum);
  }

  #sigmoid(logit: number): number {
    return 1 / (1 + Math.exp(-logit));
  }

  /**
   * The model file: a 20-byte header (magic, version, feature bits, scale, bias), the weights, then a
   * byte with the length of the adapter's role name (0: no adapter) and, if there is one, the name
   * (UTF-8), its scale and bias (float32) and its weights.
   */
  encode(): Uint8Array {
    const role = this.adapter === null ? new Uint8Array(0) : new TextEncoder().encode(this.adapter.role);
    const adapterLength = this.adapter === null ? 0 : role.length + 8 + this.adapter.weights.length;
    const bytes = new Uint8Array(headerBytes + this.weights.length + 1 + adapterLength);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, magic, true);
    view.setUint32(4, formatVersion, true);
    view.setUint32(8, featureBits, true);
    view.setFloat32(12, this.scale, true);
    view.setFloat32(16, this.bias, true);
    bytes.set(new Uint8Array(this.weights.buffer, this.weights.byteOffset, this.weights.length), headerBytes);
    let at = headerBytes + this.weights.length;
    bytes[at++] = role.length;
    if (this.adapter !== null) {
      bytes.set(role, at);
      at += role.length;
      view.setFloat32(at, this.adapter.scale, true);
      view.setFloat32(at + 4, this.adapter.bias, true);
      bytes.set(new Uint8Array(this.adapter.weights.buffer, this.adapter.weights.byteOffset, this.adapter.weights.length), at + 8);
    }
    return bytes;
  }

  static decode(bytes: Uint8Array): LinearModel {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.byteLength < headerBytes || view.getUint32(0, true) !== magic) throw new Error('prompt classifier: not a model file');
    if (view.getUint32(4, true) !== formatVersion || view.getUint32(8, true) !== featureBits) throw new Error('prompt classifier: the model file was made for another version of the features');
    const weightsEnd = headerBytes + (1 << featureBits);
    if (bytes.byteLength < weightsEnd + 1) throw new Error('prompt classifier: the model file is truncated');
    const weights = new Int8Array(bytes.buffer.slice(bytes.byteOffset + headerBytes, bytes.byteOffset + weightsEnd));
    const roleLength = bytes[weightsEnd]!;
    if (roleLength === 0) return new LinearModel(weights, view.getFloat32(12, true), view.getFloat32(16, true));
    const at = weightsEnd + 1 + roleLength;
    if (bytes.byteLength !== at + 8 + (1 << adapterBits)) throw new Error('prompt classifier: the model file is truncated');
    const role = new TextDecoder().decode(bytes.subarray(weightsEnd + 1, at));
    const adapterWeights = new Int8Array(bytes.buffer.slice(bytes.byteOffset + at + 8, bytes.byteOffset + bytes.byteLength));
    return new LinearModel(weights, view.getFloat32(12, true), view.getFloat32(16, true), { role, weights: adapterWeights, scale: view.getFloat32(at, true), bias: view.getFloat32(at + 4, true) });
  }
}

