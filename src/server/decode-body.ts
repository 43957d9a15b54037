import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createZstdDecompress } from 'node:zlib';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { copyWithOwnMemory } from '../upstream/own-memory.ts';

/** Decoded output comes in pieces of this size: the most a bomb inflates past the limit before it is stopped. */
const chunkSize = 64 * 1024;

/**
 * RFC 9659 (zstd in HTTP): a window of at most 8 MiB. The decoder's default accepts 128 MiB, which
 * a frame of a few bytes could make it allocate.
 */
const zstdWindowLogMax = 23;

/** The request codings the gateway decodes (RFC 9110 §8.4.1), by their Content-Encoding token. */
const decoders = new Map<string, () => Transform>([
  ['gzip', () => createGunzip({ chunkSize })],
  // RFC 9110 §8.4.1.3: a recipient should treat x-gzip as gzip.
  ['x-gzip', () => createGunzip({ chunkSize })],
  // HTTP's deflate is the zlib format (RFC 1950), as RFC 9110 §8.4.1.2 defines it, not raw deflate.
  ['deflate', () => createInflate({ chunkSize })],
  ['br', () => createBrotliDecompress({ chunkSize })],
  ['zstd', () => createZstdDecompress({ chunkSize, params: { [constants.ZSTD_d_windowLogMax]: zstdWindowLogMax } })],
]);

/** What a 415 offers instead (its Accept-Encoding header). */
export const supportedContentCodings: readonly string[] = ['gzip', 'deflate', 'br', 'zstd'];

/**
 * The one coding a Content-Encoding header names: null when it names none (`identity` or empty),
 * a 415 GatewayError for a coding the gateway does not decode or for a stack of several (no client
 * in this field stacks them; one decoder per body keeps the size bound simple).
 */
export function contentCodingOf(header: string): string | null | GatewayError {
  let coding: string | null = null;
  for (const token of header.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === '' || name === 'identity') continue;
    if (!decoders.has(name) || coding !== null) return errors.unsupportedContentEncoding(header.trim(), supportedContentCodings);
    coding = name;
  }
  return coding;
}

/**
 * Reads and decodes a compressed request body, both the bytes received and the bytes decoded
 * bounded by `limitBytes`. The decoding streams and stops at the limit, so a decompression bomb
 * costs at most the limit and one piece of memory, and gets the same 413 as an oversized body.
 * A body that fails to decode is a 400 naming the coding.
 */
export function readDecodedBody(request: IncomingMessage, coding: string, limitBytes: number): Promise<Buffer> {
  const decoder = decoders.get(coding)!();
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = [];
    let received = 0;
    let decoded = 0;
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      pieces.length = 0;
      // The rest of the body still flows (to the listener below, which drops it) so the connection
      // stays usable; a 413 reads it through discardRestOfBody.
      request.unpipe(decoder);
      request.resume();
      decoder.destroy();
      reject(error);
    };
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) fail(errors.bodyTooLarge(limitBytes));
    });
    request.on('error', fail);
    decoder.on('data', (piece: Buffer) => {
      if (settled) return;
      decoded += piece.length;
      if (decoded > limitBytes) fail(errors.bodyTooLarge(limitBytes));
      else pieces.push(piece);
    });
    decoder.on('error', (error: Error) => fail(errors.undecodableBody(coding, error.message)));
    decoder.on('end', () => {
      if (settled) return;
      settled = true;
      // Pieces are views into the decoder's output buffers: the body the request keeps gets memory of its own.
      resolve(copyWithOwnMemory(pieces, decoded));
    });
    request.pipe(decoder);
  });
}
