import { Readable } from 'node:stream';
import { discardBody } from './each-piece.ts';

/** What a translated stream makes of the pieces of an upstream body. */
export interface PieceTranslator<T> {
  /** One piece as it arrives; `emit` hands the reader each item it completes. */
  piece(piece: Buffer | string, emit: (item: T) => void): void;
  /** The body ended: the items still held back (throw if the body was incomplete). */
  end(emit: (item: T) => void): void;
  /** What the reader gets for a failure of the body, of piece() or of end(). */
  error(error: unknown): unknown;
}

/** Items waiting for the reader above which the body is paused (a slow client slows the upstream). */
const pauseAbove = 64;

/**
 * The items a translator makes of a body, as an async iterator (what a provider's stream reply
 * is). The body is read with 'data' events once the first item is asked for, and each piece is
 * translated at once: per piece no promise and no async frame, where `for await` over the body
 * inside an async generator costs both per piece and again per item yielded (about a third of
 * what a translated stream allocated). Items come out in order; a failure reaches the reader
 * after the items made before it. Ending early (`return()`) destroys the body.
 */
export function translatePieces<T>(body: AsyncIterable<Uint8Array | string>, translator: PieceTranslator<T>): AsyncIterableIterator<T> {
  return new TranslatedPieces(body instanceof Readable ? body : Readable.from(body), translator);
}

type State = 'idle' | 'reading' | 'ended' | 'failed' | 'closed';

class TranslatedPieces<T> implements AsyncIterableIterator<T> {
  readonly #body: Readable;
  readonly #translator: PieceTranslator<T>;
  #queue: T[] = [];
  #head = 0;
  #state: State = 'idle';
  #error: unknown = null;
  #waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;

  constructor(body: Readable, translator: PieceTranslator<T>) {
    this.#body = body;
    this.#translator = translator;
  }

  readonly #emit = (item: T): void => {
    this.#queue.push(item);
  };

  readonly #onData = (piece: Buffer | string): void => {
    try {
      this.#translator.piece(piece, this.#emit);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#wake();
    if (this.#queue.length - this.#head > pauseAbove) this.#body.pause();
  };

  readonly #onEnd = (): void => {
    this.#detach();
    try {
      this.#translator.end(this.#emit);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#state = 'ended';
    this.#wake();
  };

  readonly #onError = (error: unknown): void => this.#fail(error);

  readonly #onClose = (): void => this.#fail(Object.assign(new Error('the upstream body closed before its end'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));

  next(): Promise<IteratorResult<T>> {
    if (this.#state === 'idle') this.#start();
    if (this.#head < this.#queue.length) return Promise.resolve(this.#take());
    if (this.#state === 'failed') {
      this.#state = 'closed';
      return Promise.reject(this.#error);
    }
    if (this.#state !== 'reading') return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (this.#state === 'idle' || this.#state === 'reading') {
      this.#detach();
      discardBody(this.#body);
    }
    this.#state = 'closed';
    this.#queue = [];
    this.#head = 0;
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  #start(): void {
    this.#state = 'reading';
    const body = this.#body;
    body.on('data', this.#onData);
    body.once('end', this.#onEnd);
    body.once('error', this.#onError);
    body.once('close', this.#onClose);
  }

  #detach(): void {
    const body = this.#body;
    body.off('data', this.#onData);
    body.off('end', this.#onEnd);
    body.off('error', this.#onError);
    body.off('close', this.#onClose);
  }

  #take(): IteratorResult<T> {
    const value = this.#queue[this.#head++];
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
      if (this.#state === 'reading' && this.#body.isPaused()) this.#body.resume();
    }
    return { done: false, value };
  }

  /** Hands a waiting reader what is ready: an item, the failure or the end. */
  #wake(): void {
    const waiting = this.#waiting;
    if (waiting === null) return;
    if (this.#head < this.#queue.length) {
      this.#waiting = null;
      waiting.resolve(this.#take());
    } else if (this.#state === 'failed') {
      this.#waiting = null;
      this.#state = 'closed';
      waiting.reject(this.#error);
    } else if (this.#state === 'ended') {
      this.#waiting = null;
      waiting.resolve({ done: true, value: undefined });
    }
  }

  #fail(error: unknown): void {
    if (this.#state !== 'reading') return;
    this.#detach();
    discardBody(this.#body);
    this.#error = this.#translator.error(error);
    this.#state = 'failed';
    this.#wake();
  }
}
