import type { Readable } from 'node:stream';
import type { UpstreamResponse } from './upstream-client.ts';
import { mapUpstreamError } from './upstream-client.ts';

/**
 * A whole body, read with 'data' events (no async iterator, promise and frame per piece). Past
 * `limitBytes` the rest is discarded (the body is destroyed) and what came before is the answer.
 * Rejects with the body's error, or when it closes before its end.
 */
export function collectBody(body: Readable, limitBytes = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limitBytes) {
        finish();
        body.destroy();
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(Object.assign(new Error('the upstream body closed before its end'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
  });
}

/** Reads a whole upstream body as text, mapping a mid-body failure like any upstream failure. */
export async function readUpstreamText(response: UpstreamResponse, provider: string, limitBytes = 64 * 1024 * 1024): Promise<string> {
  try {
    return (await collectBody(response.body, limitBytes)).toString('utf8');
  } catch (error) {
    throw mapUpstreamError(error, provider);
  }
}
