import type { IncomingMessage } from 'node:http';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { copyWithOwnMemory } from '../upstream/own-memory.ts';
import { contentCodingOf, readDecodedBody } from './decode-body.ts';

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
