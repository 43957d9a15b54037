import { Readable } from 'node:stream';
import { discardBody, eachPiece, type PieceInput, type PieceSource } from './each-piece.ts';
import { UpstreamBody } from './upstream-body.ts';
import { SseParser, type ServerSentEvent } from './sse-parser.ts';

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
 * is). The body is read with eachPiece once the first item is asked for, and each piece is
 * translated at once: per piece no promise and no async frame, where `for await` over the body
 * inside an async generator costs both per piece and again per item yielded (about a third of
 * what a translated stream allocated). Items come out in order; a failure reaches the reader
 * after the items made before it. Ending early (`return()`) destroys the body.
 */
export function translatePieces<T>(body: PieceInput, translator: PieceTranslator<T>): AsyncIterableIterator<T> {
  return new TranslatedPieces(body instanceof Readable || body instanceof UpstreamBody ? body : Readable.from(body), translator);
}

/** What a translated server-sent event stream makes of each event's data. */
export interface EventTranslator<T> {
  /** One event's data; `emit` hands the reader each item it makes. */
  event(data: string, emit: (item: T) => void): void;
  /** After the last event: the items still held back (throw if the stream was incomplete). */
  end?(emit: (item: T) => void): void;
  /** What the reader gets for a failure of the body or of the translation. */
  error(error: unknown): unknown;
}

/** translatePieces for an SSE body: each piece is parsed with the shared SseParser and its events' data handed over. */
export function translateEvents<T>(body: PieceInput, translator: EventTranslator<T>): AsyncIterableIterator<T> {
  const parser = new SseParser();
  const each = (events: readonly ServerSentEvent[], emit: (item: T) => void) => {
    for (const event of events) translator.event(event.data, emit);
  };
  return translatePieces(body, {
    piece: (piece, emit) => each(parser.push(piece), emit),
    end: (emit) => {
      each(parser.end(), emit);
      translator.end?.(emit);
    },
    error: (error) => translator.error(error),
  });
}

type State = 'idle' | 'reading' | 'ended' | 'failed' | 'closed';

class TranslatedPieces<T> implements AsyncIterableIterator<T> {
  readonly #body: PieceSource;
  readonly #translator: PieceTranslator<T>;
  #queue: T[] = [];
  #head = 0;
  #state: State = 'idle';
  #error: unknown = null;
  #waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;

  constructor(body: PieceSource, translator: PieceTranslator<T>) {
    this.#body = body;
    this.#translator = translator;
  }

  readonly #emit = (item: T): void => {
    this.#queue.push(item);
  };

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
    const reading = this.#state === 'idle' || this.#state === 'reading';
    // Closed first: the failure that destroying the body causes is nobody's to hear.
    this.#state = 'closed';
    if (reading) discardBody(this.#body);
    this.#queue = [];
    this.#head = 0;
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  /** Reads the body (upstream/each-piece.ts: a piece that throws, or the body failing, ends it). */
  #start(): void {
    this.#state = 'reading';
    eachPiece(this.#body, (piece) => {
      this.#translator.piece(piece, this.#emit);
      this.#wake();
      if (this.#queue.length - this.#head > pauseAbove) this.#body.pause();
    }).then(
      () => this.#end(),
      (error: unknown) => this.#fail(error),
    );
  }

  #end(): void {
    if (this.#state !== 'reading') return;
    try {
      this.#translator.end(this.#emit);
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#state = 'ended';
    this.#wake();
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

  /** The body is already destroyed (eachPiece discards it when a piece throws). */
  #fail(error: unknown): void {
    if (this.#state !== 'reading') return;
    this.#error = this.#translator.error(error);
    this.#state = 'failed';
    this.#wake();
  }
}
