import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/gateway-error.ts';
import { toAnthropicErrorBody } from '../formats/anthropic/anthropic-error-body.ts';
import type { ClientFormat } from '../providers/provider.ts';

/** Sends a complete JSON response (an object, or already-serialized text/bytes); returns the bytes written. */
export function writeJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string>): number {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': length });
  response.end(payload);
  return length;
}

/** Sends a gateway error in OpenAI's shape. */
export function writeOpenAIError(response: ServerResponse, error: GatewayError, headers: Record<string, string>): number {
  return writeJson(response, error.status, error.toOpenAIBody(), { ...headers, ...error.headers });
}

/** Sends a gateway error in the client's format (OpenAI's or Anthropic's error object). */
export function writeClientError(response: ServerResponse, format: ClientFormat, error: GatewayError, headers: Record<string, string>): number {
  if (format === 'anthropic') return writeJson(response, error.status, toAnthropicErrorBody(error), { ...headers, ...error.headers });
  return writeOpenAIError(response, error, headers);
}

/** Starts an SSE response. */
export function startEventStream(response: ServerResponse, status: number, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  response.flushHeaders();
}

/**
 * Writes a piece and, when the socket's buffer is full, waits until it drains (or the client
 * goes away), so a slow client slows the upstream instead of growing memory.
 */
export async function writeWithBackpressure(response: ServerResponse, data: string | Uint8Array): Promise<void> {
  if (response.destroyed) return;
  if (response.write(data)) return;
  await Promise.race([once(response, 'drain'), once(response, 'close')]);
}
