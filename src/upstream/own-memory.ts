/**
 * Bytes kept for long (a request body for the life of its upstream call, a partial event until
 * the rest of it arrives) need memory of their own. Node cuts small Buffers (Buffer.from,
 * Buffer.concat, and what undici makes of a string body) out of one shared 64 KiB pool, and a
 * slice kept alive keeps the whole pool; a subarray of an upstream piece keeps that whole piece.
 */

/** The parts joined into a buffer of its own. */
export function copyWithOwnMemory(parts: readonly Uint8Array[], length: number): Buffer {
  const copy = Buffer.allocUnsafeSlow(length);
  let offset = 0;
  for (const part of parts) {
    copy.set(part, offset);
    offset += part.byteLength;
  }
  return copy;
}

/**
 * A request body as undici will hold it until the whole response is read (seconds to minutes for
 * a stream or a slow model): a view into a larger buffer is copied into memory of its own, as is
 * a string short enough to land in the pool; anything else passes as it is. (With 1,000 streams
 * open, some 90 pools, 5.6 MiB, were held for bodies of 250 bytes.)
 */
export function bodyWithItsOwnMemory(body: string | Uint8Array | undefined): string | Uint8Array | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') {
    if (body.length >= Buffer.poolSize >>> 1) return body;
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(body));
    bytes.write(body);
    return bytes;
  }
  if (body.byteLength === body.buffer.byteLength) return body;
  return copyWithOwnMemory([body], body.byteLength);
}
