import { eachPiece, type PieceSource } from './each-piece.ts';
import { UpstreamBody } from './upstream-body.ts';
import type { UpstreamResponse } from './upstream-client.ts';
import { mapUpstreamError } from './upstream-client.ts';

/**
 * A whole body (upstream/each-piece.ts). Past `limitBytes` the rest is discarded and what came
 * before is the answer.
 */
export async function collectBody(body: PieceSource, limitBytes = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  await eachPiece(body, (chunk) => {
    if (size + chunk.length > limitBytes) return false;
    size += chunk.length;
    chunks.push(chunk);
  });
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

/** Reads a whole upstream body, mapping a mid-body failure like any upstream failure. */
export async function readUpstreamBody(body: PieceSource, provider: string, limitBytes = Infinity): Promise<Buffer> {
  try {
    return await collectBody(body, limitBytes);
  } catch (error) {
    throw mapUpstreamError(error, provider);
  }
}

/** Reads a whole upstream body as text (readUpstreamBody). */
export async function readUpstreamText(response: UpstreamResponse, provider: string, limitBytes = 64 * 1024 * 1024): Promise<string> {
  return (await readUpstreamBody(response.body, provider, limitBytes)).toString('utf8');
}

/** A passthrough body read whole: as it is when the provider already read it, else from its stream. */
export async function wholeBody(body: UpstreamBody | Buffer, provider: string, limitBytes = Infinity): Promise<Buffer> {
  return Buffer.isBuffer(body) ? body : readUpstreamBody(body, provider, limitBytes);
}

/** A passthrough body as a body of pieces (a body read whole is one piece). */
export function bodyStream(body: UpstreamBody | Buffer): UpstreamBody {
  return Buffer.isBuffer(body) ? UpstreamBody.of(body) : body;
}
