import type { UpstreamResponse } from './upstream-client.ts';
import { mapUpstreamError } from './upstream-client.ts';

/** Reads a whole upstream body as text, mapping a mid-body failure like any upstream failure. */
export async function readUpstreamText(response: UpstreamResponse, provider: string, limitBytes = 64 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > limitBytes) {
        response.body.destroy();
        break;
      }
      chunks.push(buffer);
    }
  } catch (error) {
    throw mapUpstreamError(error, provider);
  }
  return Buffer.concat(chunks).toString('utf8');
}
