
/** What an UpstreamBody asks of whatever produces its pieces (undici's dispatch controller, or another body). */
export interface BodyFlow {
  /** Stop sending pieces for now (the reader is behind). */
  pause(): void;
  resume(): void;
  /** The reader gave up: stop for good (undici aborts the request). */
  abort(reason: Error): void;
  /** Called once when the body is over: ended, failed or destroyed. */
  settled?(): void;
}

/** Who reads an UpstreamBody: each piece as it arrives, then the end or the failure (one of them, once). */
export interface PieceReader {
  // None of these may throw: they run inside undici's parser (eachPiece catches what its callback throws).
  piece(piece: Buffer): void;
  end(): void;
  error(error: Error): void;
}

/** Pieces held for a paused (or not yet attached) reader above which the producer is paused. */
const highWaterBytes = 64 * 1024;
/** The most of a body dump() reads to keep the connection, as undici's own dump does; past it the body is destroyed. */
const dumpLimitBytes = 128 * 1024;

/** open: pieces may still come; ended / failed: the producer is done; done: the reader has had the end or the failure; destroyed: the reader gave up. */
type State = 'open' | 'ended' | 'failed' | 'done' | 'destroyed';

/**
 * A streamed upstream response body: the pieces undici hands over (UpstreamClient.request), given
 * to one reader at a time as they arrive. It is what a Node Readable would be for this job without
 * a Readable's machinery: no 'data' event, tick object or state walk per piece (which undici's
 * body stream cost on every SSE event of every passed-through stream), and no buffering while a
 * reader keeps up. Pieces that arrive with no reader attached, or while the reader is paused, are
 * held (in order) and go to the reader when it attaches or resumes; above 64 KiB held the
 * producer is paused, so a slow client slows the provider instead of growing memory.
 *
 * The end or the failure reaches the reader after every piece before it; a failure drops pieces
 * still held (as a Readable's destroy does). destroy() is the reader giving up: the producer is
 * aborted and nothing more is delivered. `stallLimitMs` is how long the reader may wait for a
 * client that takes none of the bytes (upstream/client-stall.ts): the reader that writes to the
 * client watches that (server/forward-bytes.ts), since only it can tell a client that reads slowly
 * from one that reads nothing; the body itself never cuts a paused reader.
 */
export class UpstreamBody {
  #flow: BodyFlow | null;
  #reader: PieceReader | null = null;
  #held: Buffer[] = [];
  #heldHead = 0;
  #heldBytes = 0;
  #paused = false;
  #producerPaused = false;
  #state: State = 'open';
  #error: Error | null = null;
  #delivering = false;
  #settled = false;
  /** How long the reader may wait for a client that takes none of the bytes before giving up (client-stall.ts); Infinity: no limit. */
  readonly stallLimitMs: number;

  constructor(flow: BodyFlow | null = null, stallLimitMs = Infinity) {
    this.#flow = flow;
    this.stallLimitMs = stallLimitMs;
  }

  /** A body that is already complete: these bytes, then its end. */
  static of(bytes: Buffer): UpstreamBody {
    const body = new UpstreamBody();
    if (bytes.length > 0) body.push(bytes);
    body.finish();
    return body;
  }

  // The producer's side.

  /** Sets the flow control once the producer has it (undici's controller comes with the first response event). */
  attachFlow(flow: BodyFlow): void {
    this.#flow = flow;
    if (this.#producerPaused) flow.pause();
  }

  push(piece: Buffer): void {
    if (this.#state !== 'open') return;
    const reader = this.#reader;
    if (reader !== null && !this.#paused && !this.#delivering && this.#heldHead === this.#held.length) {
      // The usual case: a reader that keeps up gets the piece at once, nothing held.
      this.#delivering = true;
      try {
        reader.piece(piece);
      } finally {
        this.#delivering = false;
      }
      if (this.#heldHead < this.#held.length) this.#deliver();
      return;
    }
    this.#held.push(piece);
    this.#heldBytes += piece.length;
    if (this.#heldBytes > highWaterBytes && !this.#producerPaused) {
      this.#producerPaused = true;
      this.#flow?.pause();
    }
  }

  /** The producer's end: the reader gets it after the pieces held. */
  finish(): void {
    if (this.#state !== 'open') return;
    this.#state = 'ended';
    this.#settle();
    this.#deliver();
  }

  /** The producer failed: pieces held are dropped and the reader gets the error. */
  fail(error: Error): void {
    if (this.#state !== 'open') return;
    this.#state = 'failed';
    this.#error = error;
    this.#dropHeld();
    this.#settle();
    this.#deliver();
  }

  // The reader's side.

  /** Whether the reader gave up (destroy()). */
  get destroyed(): boolean {
    return this.#state === 'destroyed';
  }

  /** Starts delivering to `reader` (pieces held first); one reader at a time (stopReading() lets another take over). */
  read(reader: PieceReader): void {
    if (this.#reader !== null) throw new Error('the body already has a reader');
    if (this.#state === 'destroyed' || this.#state === 'done') return;
    this.#reader = reader;
    this.#deliver();
  }

  /** Detaches the reader; pieces are held again until the next read(). */
  stopReading(): void {
    this.#reader = null;
  }

  /** Puts bytes back in front of the pieces held, for the next reader (a look at the start of a stream). */
  unshift(bytes: Buffer): void {
    if (this.#state !== 'open' && this.#state !== 'ended') return;
    if (bytes.length === 0) return;
    if (this.#heldHead > 0) {
      this.#held[--this.#heldHead] = bytes;
    } else this.#held.unshift(bytes);
    this.#heldBytes += bytes.length;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#deliver();
  }

  isPaused(): boolean {
    return this.#paused;
  }

  /** The reader gives up: the producer is aborted, held pieces dropped, the reader hears nothing more. */
  destroy(reason: Error = new Error('the upstream body was discarded')): void {
    if (this.#state === 'destroyed' || this.#state === 'done') return;
    const wasOpen = this.#state === 'open';
    this.#state = 'destroyed';
    this.#reader = null;
    this.#dropHeld();
    if (wasOpen) this.#flow?.abort(reason);
    this.#settle();
  }

  /**
   * Reads the rest and drops it, so the connection can be used again; a body longer than 128 KiB
   * is destroyed instead (its connection closes). Never rejects.
   */
  dump(): Promise<void> {
    if (this.#state === 'destroyed' || this.#state === 'done') return Promise.resolve();
    return new Promise<void>((resolve) => {
      let size = 0;
      this.#reader = null;
      this.#paused = false;
      this.read({
        piece: (piece) => {
          size += piece.length;
          if (size > dumpLimitBytes) {
            this.destroy();
            resolve();
          }
        },
        end: () => resolve(),
        error: () => resolve(),
      });
    });
  }

  /**
   * The pieces as an async iterator, for code where a promise per piece does not matter (tests,
   * tools); the gateway's own readers use read(). Leaving the loop early destroys the body.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    const ready: Buffer[] = [];
    let finished = false;
    let failure: Error | null = null;
    let waiting: ((result: IteratorResult<Buffer>) => void) | null = null;
    let waitingFailed: ((error: Error) => void) | null = null;
    const wake = () => {
      if (waiting === null) return;
      const resolve = waiting;
      const reject = waitingFailed!;
      if (ready.length > 0) {
        waiting = waitingFailed = null;
        resolve({ done: false, value: ready.shift()! });
      } else if (failure !== null) {
        waiting = waitingFailed = null;
        reject(failure);
      } else if (finished) {
        waiting = waitingFailed = null;
        resolve({ done: true, value: undefined });
      }
    };
    this.read({
      piece: (piece) => {
        ready.push(piece);
        wake();
      },
      end: () => {
        finished = true;
        wake();
      },
      error: (error) => {
        failure = error;
        wake();
      },
    });
    const iterator: AsyncIterableIterator<Buffer> = {
      next: () =>
        new Promise<IteratorResult<Buffer>>((resolve, reject) => {
          waiting = resolve;
          waitingFailed = reject;
          wake();
        }),
      return: () => {
        this.destroy();
        return Promise.resolve({ done: true, value: undefined });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Hands the reader what is ready, in order: held pieces, then the end or the failure. */
  #deliver(): void {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (;;) {
        const reader = this.#reader;
        if (reader === null || this.#state === 'destroyed' || this.#state === 'done') return;
        if (this.#state === 'failed') {
          this.#reader = null;
          this.#state = 'done';
          reader.error(this.#error ?? new Error('the upstream body failed'));
          return;
        }
        if (this.#paused) return;
        if (this.#heldHead < this.#held.length) {
          const piece = this.#held[this.#heldHead]!;
          this.#held[this.#heldHead++] = undefined as unknown as Buffer;
          this.#heldBytes -= piece.length;
          if (this.#heldHead === this.#held.length) {
            this.#held = [];
            this.#heldHead = 0;
          }
          reader.piece(piece);
          continue;
        }
        if (this.#producerPaused && this.#state === 'open') {
          // undici may hand over pieces within resume(): they are held (delivering), and the loop goes on with them.
          this.#producerPaused = false;
          this.#flow?.resume();
          continue;
        }
        if (this.#state === 'ended') {
          this.#reader = null;
          this.#state = 'done';
          reader.end();
        }
        return;
      }
    } finally {
      this.#delivering = false;
    }
  }

  #dropHeld(): void {
    this.#held = [];
    this.#heldHead = 0;
    this.#heldBytes = 0;
  }

  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#flow?.settled?.();
  }
}
