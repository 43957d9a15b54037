import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** An OTLP/JSON attribute value (one of these keys is set). */
interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}

interface WireAttribute {
  key: string;
  value: AnyValue;
}

interface WireSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: WireAttribute[];
  events?: Array<{ name: string; timeUnixNano: string | number; attributes?: WireAttribute[] }>;
  status?: { code?: number; message?: string };
}

interface ExportRequest {
  resourceSpans?: Array<{ resource?: { attributes?: WireAttribute[] }; scopeSpans?: Array<{ spans?: WireSpan[] }> }>;
}

/** A span as the collector received it, with its attributes as a plain object. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  traceState: string | undefined;
  name: string;
  kind: number;
  startNanos: bigint;
  endNanos: bigint;
  attributes: Record<string, string | number | boolean>;
  events: Array<{ name: string; nanos: bigint }>;
  status: { code: number; message?: string };
  resource: Record<string, string | number | boolean>;
}

/** OTLP span kinds and status codes (opentelemetry-proto). */
export const spanKind = { server: 2, client: 3 } as const;
export const statusCode = { unset: 0, ok: 1, error: 2 } as const;

function plain(attributes: WireAttribute[] | undefined): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes ?? []) {
    if (value.stringValue !== undefined) result[key] = value.stringValue;
    else if (value.intValue !== undefined) result[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) result[key] = value.doubleValue;
    else if (value.boolValue !== undefined) result[key] = value.boolValue;
  }
  return result;
}

export interface Collector {
  /** The traces endpoint: http://127.0.0.1:PORT/v1/traces */
  tracesUrl: string;
  /** http://127.0.0.1:PORT (what OTEL_EXPORTER_OTLP_ENDPOINT names) */
  baseUrl: string;
  spans: ReceivedSpan[];
  /** Every export request's body as received, to search for text that must never be there. */
  payloads: string[];
  headers: IncomingHttpHeaders[];
  /** How it answers exports from now on: `ok` (keeps the spans), `fail` (503, nothing kept), `hang` (never answers, nothing kept). */
  mode: 'ok' | 'fail' | 'hang';
  /** The spans of one request (by its x-request-id), once both are in (or as many as `count`). */
  spansOf(requestId: string, count?: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

/**
 * A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON on POST /v1/traces (what
 * @opentelemetry/exporter-trace-otlp-http sends) and keeps every span; `mode` makes it refuse
 * exports or hang instead (an outage).
 */
export async function startCollector(): Promise<Collector> {
  const spans: ReceivedSpan[] = [];
  const payloads: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  let collector: Collector | undefined;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      if (collector?.mode === 'hang') return;
      if (collector?.mode === 'fail') {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const text = Buffer.concat(chunks).toString('utf8');
      payloads.push(text);
      headers.push(request.headers);
      const body = JSON.parse(text) as ExportRequest;
      for (const resourceSpans of body.resourceSpans ?? []) {
        const resource = plain(resourceSpans.resource?.attributes);
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              traceState: span.traceState || undefined,
              name: span.name,
              kind: span.kind,
              startNanos: BigInt(span.startTimeUnixNano),
              endNanos: BigInt(span.endTimeUnixNano),
              attributes: plain(span.attributes),
              events: (span.events ?? []).map((event) => ({ name: event.name, nanos: BigInt(event.timeUnixNano) })),
              status: { code: span.status?.code ?? 0, message: span.status?.message },
              resource,
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  collector = {
    tracesUrl: `${baseUrl}/v1/traces`,
    baseUrl,
    spans,
    payloads,
    headers,
    mode: 'ok',
    async spansOf(requestId, count = 2, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const server = spans.find((span) => span.attributes['tollgate.request_id'] === requestId);
        const found = server ? spans.filter((span) => span.traceId === server.traceId && (span === server || span.parentSpanId === server.spanId)) : [];
        if (found.length >= count || Date.now() > deadline) return found;
        await sleep(20);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return collector;
}

/** The request's server span and its upstream (client) span. */
export function serverAndUpstream(spans: ReceivedSpan[]): { server: ReceivedSpan; upstream: ReceivedSpan | undefined } {
  const server = spans.find((span) => span.kind === spanKind.server);
  if (!server) throw new Error(`no server span among ${spans.length}`);
  return { server, upstream: spans.find((span) => span.kind === spanKind.client) };
}
