import type { IncomingMessage } from 'node:http';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { copyWithOwnMemory } from '../upstream/own-memory.ts';
import { contentCodingOf, readDecodedBody } from './decode-body.ts';

/**
 * From this declared size on, a body is read into one buffer of that size (readDeclaredBody): an
 * upload (an audio file, images to edit) costs its size once instead of twice. Chat and the other
 * JSON bodies are smaller and keep the path below, unchanged.
 */
export const largeBodyBytes = 1024 * 1024;

/**
 * Reads a request body up to `limitBytes`. A declared Content-Length over the limit is refused
 * before reading; an undeclared body is counted as it arrives. A body with a Content-Encoding
 * comes back decoded, its decoded size bounded by the same limit (decode-body.ts).
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const refusal = refusalBeforeBody(request, limitBytes);
  if (refusal !== null) return Promise.reject(refusal);
  // A compressed body takes a path of its own; the plain one below stays as it was (the hot path).
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined) {
    const coding = contentCodingOf(encoding);
    if (typeof coding === 'string') return readDecodedBody(request, coding, limitBytes);
  }
  // NaN (never large) when no length is declared: a chunked body is read in pieces, as a small one.
  const declared = Number(request.headers['content-length']);
  if (declared >= largeBodyBytes) return readDeclaredBody(request, declared, limitBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        chunks.length = 0;
        reject(errors.bodyTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      // A body that came in pieces is joined in memory of its own, not in a slice of Node's shared
      // 64 KiB pool: the request keeps it for its whole life, a stream's included.
      if (!failed) resolve(chunks.length === 1 ? chunks[0] : copyWithOwnMemory(chunks, size));
    });
    request.on('error', (error) => {
      if (!failed) {
        failed = true;
        reject(error);
      }
    });
  });
}

/**
 * Reads a body of a declared, large size into one buffer of that size, each piece copied in as it
 * arrives and left for the collector at once: the body costs its size plus the pieces not yet
 * collected, where keeping the pieces and joining them at the end cost twice its size (and the
 * pieces, freed together, left the allocator's heap at that high-water mark). The buffer's pages
 * are taken from the system as the bytes are written (allocUnsafeSlow does not zero them), so a
 * client that declares much and sends little costs what it sent. Node's parser ends the body at
 * the declared length (at most the limit); the count is checked here all the same, so a body
 * longer than declared fails (400) instead of overrunning the buffer.
 */
function readDeclaredBody(request: IncomingMessage, length: number, limitBytes: number): Promise<Buffer> {
  // readBody refused a larger declared size already; this keeps the bound where the buffer is made.
  if (length > limitBytes) return Promise.reject(errors.bodyTooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    let body: Buffer | null = Buffer.allocUnsafeSlow(length);
    let size = 0;
    const fail = (error: unknown): void => {
      if (body === null) return;
      body = null;
      reject(error);
    };
    request.on('data', (chunk: Buffer) => {
      if (body === null) return;
      if (size + chunk.length > length) {
        fail(errors.invalidRequest(`The body is longer than its Content-Length (${length} bytes).`));
        return;
      }
      body.set(chunk, size);
      size += chunk.length;
    });
    request.on('end', () => {
      if (body === null) return;
      // A shorter body than declared ends as an aborted request in Node; if one ever ends here, it
      // is what came, in memory of its own (it is held for the whole request).
      resolve(size === length ? body : copyWithOwnMemory([body.subarray(0, size)], size));
      body = null;
    });
    request.on('error', fail);
  });
}

/** Most bytes of a refused body read and dropped, and for how long, before the connection is cut. */
const discardBytes = 256 * 1024 * 1024;
const discardMs = 30_000;

/**
 * Reads the rest of a refused body (413) and drops it; resolves when the client has sent it all
 * (true) or was cut off past the bounds (false). The answer goes out after that: Node closes a
 * `connection: close` response's socket as soon as the answer is written, and closing while the
 * client is still uploading resets the connection. The client would see a connection error instead
 * of the 413, and SDKs retry those, sending the whole body again.
 */
export function discardRestOfBody(request: IncomingMessage): Promise<boolean> {
  if (request.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    let dropped = 0;
    const cut = (): void => {
      request.destroy();
      resolve(false);
    };
    const timer = setTimeout(cut, discardMs);
    timer.unref();
    request.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > discardBytes) cut();
    });
    request.once('end', () => resolve(true));
    request.once('close', () => {
      clearTimeout(timer);
      resolve(false);
    });
    request.resume();
  });
}

/**
 * The refusal a request's headers decide before any of its body is read: a declared size over
 * the limit (413), a Content-Encoding the gateway cannot decode (415); null when they decide none.
 */
export function refusalBeforeBody(request: IncomingMessage, limitBytes: number): GatewayError | null {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return errors.bodyTooLarge(limitBytes);
  const encoding = request.headers['content-encoding'];
  if (encoding === undefined) return null;
  const coding = contentCodingOf(encoding);
  return coding instanceof GatewayError ? coding : null;
}
