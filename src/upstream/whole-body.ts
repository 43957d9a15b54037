/**
 * The body of an answer read whole (UpstreamClient.requestWhole). An answer that declares its
 * length, past `preallocateFrom` bytes, is copied piece by piece into one buffer of that length as
 * it arrives, so it costs its size once; without one (chunked), the pieces are kept and joined at
 * the end, which for a moment costs it twice. A small answer keeps its pieces too: it usually
 * comes as one, which is then the body itself, with no copy at all.
 */
export class WholeBody {
  #buffer: Buffer | null = null;
  readonly #pieces: Buffer[] = [];
  #size = 0;

  constructor(declaredLength: number | null) {
    if (declaredLength !== null && declaredLength >= preallocateFrom) this.#buffer = Buffer.allocUnsafeSlow(declaredLength);
  }

  /** Bytes received so far. */
  get size(): number {
    return this.#size;
  }

  add(piece: Buffer): void {
    const buffer = this.#buffer;
    if (buffer !== null && this.#size + piece.length <= buffer.length) piece.copy(buffer, this.#size);
    else {
      // More than was declared (undici fails such an answer before it gets here): kept as pieces.
      if (buffer !== null) this.#pieces.push(buffer.subarray(0, this.#size));
      this.#buffer = null;
      this.#pieces.push(piece);
    }
    this.#size += piece.length;
  }

  /** The whole body. */
  whole(): Buffer {
    if (this.#buffer !== null) return this.#size === this.#buffer.length ? this.#buffer : this.#buffer.subarray(0, this.#size);
    return this.#pieces.length === 1 ? this.#pieces[0]! : Buffer.concat(this.#pieces, this.#size);
  }
}

/** Below this, an answer usually arrives as one socket read (64 KiB), kept as it is. */
const preallocateFrom = 64 * 1024;

/** An answer's Content-Length as a number, or null when it has none (or one that is not a length). */
export function declaredLength(headers: Record<string, string | string[] | undefined>): number | null {
  const value = headers['content-length'];
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
