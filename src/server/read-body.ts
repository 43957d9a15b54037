import type { IncomingMessage } from 'node:http';
import { errors } from '../errors/catalogue.ts';
import { copyWithOwnMemory } from '../upstream/own-memory.ts';

/**
 * Reads a request body up to `limitBytes`. A declared Content-Length over the limit is refused
 * before reading; an undeclared body is counted as it arrives.
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.reject(errors.bodyTooLarge(limitBytes));
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
