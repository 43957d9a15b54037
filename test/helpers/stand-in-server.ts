import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes as received (a multipart upload's file bytes are checked on these). */
  bytes: Buffer;
  /** The body parsed as JSON, or undefined. */
  json: unknown;
}

export type StandInHandler = (request: RecordedRequest, response: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface StandIn {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  server: Server;
  close(): Promise<void>;
}

/**
 * A stand-in provider on 127.0.0.1: records every request and lets the test answer it. Tests
 * write the provider's real wire format (status, headers, JSON, SSE framing) in the handler.
 */
export async function startStandIn(handler: StandInHandler): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const server = createServer((raw, response) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const body = bytes.toString('utf8');
      let json: unknown;
      try {
        json = body === '' ? undefined : JSON.parse(body);
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = { method: raw.method ?? '', path: raw.url ?? '', headers: raw.headers, body, bytes, json };
      requests.push(recorded);
      Promise.resolve(handler(recorded, response, raw)).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes Server-Sent Events: each item becomes `data: <json>\n\n` (strings are sent as is). */
export function sseBody(events: Array<unknown>): string {
  return events.map((event) => `data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`).join('');
}
