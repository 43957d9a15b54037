import type { Socket } from 'node:net';
import { kernelSendQueue, socketInode } from './kernel-send-queue.ts';

/** How soon into a wait the kernel's queue is first looked at: a wait that ends sooner (most do) costs no look. */
const firstLookMs = 1000;

/**
 * Watches a client the gateway waits for (its socket is full) and calls `onStall` once it has taken
 * none of the bytes for `limitMs`, however long it has been reading slowly before that. Progress is
 * any movement of the bytes on their way out: Node's buffer (bytesWritten, writableLength), libuv's
 * queue, and on Linux the kernel's queue, whose acknowledged bytes are the only sign of a client
 * that reads a little at a time (kernel-send-queue.ts). Looked at once `limitMs` has passed since
 * the last progress seen, so a client that never reads again is cut off a second past the limit,
 * and one that took bytes within the limit is given another. stop() ends the watch.
 */
export class ClientStallWatch {
  readonly #socket: Socket;
  readonly #limitMs: number;
  readonly #onStall: (waitedMs: number) => void;
  #timer: NodeJS.Timeout;
  #since = performance.now();
  #written: number;
  #buffered: number;
  #queued: number;
  /** undefined until the first look; null where the kernel's queue cannot be read. */
  #inode: string | null | undefined = undefined;
  #kernelQueued = -1;

  constructor(socket: Socket, limitMs: number, onStall: (waitedMs: number) => void) {
    this.#socket = socket;
    this.#limitMs = limitMs;
    this.#onStall = onStall;
    this.#written = socket.bytesWritten;
    this.#buffered = socket.writableLength;
    this.#queued = libuvQueued(socket);
    this.#timer = setTimeout(this.#firstLook, Math.min(firstLookMs, limitMs));
    this.#timer.unref();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  /** Takes the kernel's queue as it is now: where it can be read, the limit runs from here (what it took before was not seen). */
  readonly #firstLook = (): void => {
    this.#inode = socketInode(this.#socket);
    if (this.#moved() || this.#inode !== null) this.#since = performance.now();
    this.#arm();
  };

  readonly #check = (): void => {
    if (this.#moved()) {
      this.#since = performance.now();
      this.#arm();
      return;
    }
    const waited = performance.now() - this.#since;
    if (waited < this.#limitMs) {
      this.#arm();
      return;
    }
    this.#onStall(waited);
  };

  #arm(): void {
    this.#timer = setTimeout(this.#check, Math.max(1, Math.min(this.#since + this.#limitMs - performance.now(), 2_147_483_647)));
    this.#timer.unref();
  }

  /** Whether any of the bytes moved since the last look (and notes where they are now). */
  #moved(): boolean {
    const socket = this.#socket;
    const written = socket.bytesWritten;
    const buffered = socket.writableLength;
    const queued = libuvQueued(socket);
    const kernelQueued = typeof this.#inode === 'string' ? kernelSendQueue(this.#inode) : -1;
    const moved = written !== this.#written || buffered !== this.#buffered || queued !== this.#queued || (kernelQueued !== this.#kernelQueued && this.#kernelQueued !== -1);
    this.#written = written;
    this.#buffered = buffered;
    this.#queued = queued;
    this.#kernelQueued = kernelQueued;
    return moved;
  }
}

/** What libuv holds of the socket's writes (written to the kernel in part as it takes them); 0 when unknown. */
function libuvQueued(socket: Socket): number {
  const size = (socket as unknown as { _handle?: { writeQueueSize?: unknown } | null })._handle?.writeQueueSize;
  return typeof size === 'number' ? size : 0;
}
