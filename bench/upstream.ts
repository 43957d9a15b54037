import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { anthropicJson, anthropicStream, openAIJson, openAIStream, openAIStreamWithUsage } from './upstream-payloads.ts';
import { bedrockJson, bedrockStream } from './upstream-payloads-bedrock.ts';
import { cohereJson, cohereStream } from './upstream-payloads-cohere.ts';
import { ollamaJson, ollamaStream } from './upstream-payloads-ollama.ts';

/**
 * The benchmark's stand-in provider: answers OpenAI chat completions and Anthropic Messages
 * (JSON and SSE), Cohere v2 chat (JSON and SSE), Ollama chat (JSON and NDJSON) and Bedrock
 * Converse (JSON and AWS binary event stream) from precomputed buffers, so that it costs almost
 * nothing next to what it measures. A stream's shape is chosen per request by an optional path prefix,
 * `/shape/<chunks>x<delayMs>`, so one upstream serves every scenario and a gateway config selects
 * a shape through its provider's base URL (e.g. `http://127.0.0.1:PORT/shape/20x100/v1`).
 *
 * Run as a process: `node bench/upstream.ts [--port=0] [--chunks=20] [--delay=20]`; it prints one
 * JSON line `{"url": "http://127.0.0.1:PORT"}` once it listens.
 */

export interface StreamShape {
  /** Content chunks after the first (role) event. */
  chunks: number;
  /** Milliseconds between two content chunks; 0 writes the whole stream at once. */
  delayMs: number;
}

export interface UpstreamOptions {
  port: number;
  host: string;
  /** The shape when the path names none. */
  defaultShape: StreamShape;
}

interface StreamPieces {
  first: Buffer;
  content: Buffer;
  end: Buffer;
}

const shapePrefix = /^\/shape\/(\d+)x(\d+)(\/.*)$/;
// Regular expressions over the body text instead of JSON.parse: the stand-in should not spend the
// load generator's core parsing what it does not need.
const streamFlag = /"stream"\s*:\s*true/;
const usageFlag = /"include_usage"\s*:\s*true/;
// Ollama streams unless told not to; the gateway always writes the flag.
const noStreamFlag = /"stream"\s*:\s*false/;
const jsonHeaders = { 'content-type': 'application/json' };
const eventStreamHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const ndjsonHeaders = { 'content-type': 'application/x-ndjson' };
const awsEventStreamHeaders = { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': '5bd3e0a1-bench-0000-0000-000000000000' };

function shapeOf(url: string, fallback: StreamShape): { path: string; shape: StreamShape } {
  const match = shapePrefix.exec(url);
  if (!match) return { path: url, shape: fallback };
  return { path: match[3], shape: { chunks: Number(match[1]), delayMs: Number(match[2]) } };
}

function writeStream(response: ServerResponse, pieces: StreamPieces, shape: StreamShape, headers: Record<string, string> = eventStreamHeaders): void {
  response.writeHead(200, headers);
  if (shape.delayMs === 0) {
    response.end(Buffer.concat([pieces.first, ...Array.from({ length: shape.chunks }, () => pieces.content), pieces.end]));
    return;
  }
  response.write(pieces.first);
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    if (response.destroyed) return;
    sent++;
    if (sent < shape.chunks) {
      response.write(pieces.content);
      timer = setTimeout(next, shape.delayMs);
    } else {
      response.end(Buffer.concat([pieces.content, pieces.end]));
    }
  };
  response.once('close', () => clearTimeout(timer));
  if (shape.chunks === 0) response.end(pieces.end);
  else timer = setTimeout(next, shape.delayMs);
}

function writeJson(response: ServerResponse, body: Buffer): void {
  response.writeHead(200, { ...jsonHeaders, 'content-length': body.length });
  response.end(body);
}

function answer(request: IncomingMessage, response: ServerResponse, body: string, defaultShape: StreamShape): void {
  const { path, shape } = shapeOf(request.url ?? '/', defaultShape);
  if (request.method === 'GET' && (path === '/healthz' || path === '/')) {
    response.writeHead(200, jsonHeaders);
    response.end('{"ok":true}');
    return;
  }
  const stream = streamFlag.test(body);
  if (request.method === 'POST' && path.endsWith('/chat/completions')) {
    if (!stream) {
      response.writeHead(200, { ...jsonHeaders, 'content-length': openAIJson.length });
      response.end(openAIJson);
      return;
    }
    if (usageFlag.test(body)) writeStream(response, { first: openAIStreamWithUsage.first, content: openAIStreamWithUsage.content, end: openAIStreamWithUsage.end(shape.chunks) }, shape);
    else writeStream(response, openAIStream, shape);
    return;
  }
  if (request.method === 'POST' && path.endsWith('/messages')) {
    if (!stream) {
      response.writeHead(200, { ...jsonHeaders, 'content-length': anthropicJson.length });
      response.end(anthropicJson);
      return;
    }
    writeStream(response, { first: anthropicStream.first, content: anthropicStream.content, end: anthropicStream.end(shape.chunks) }, shape);
    return;
  }
  if (request.method === 'POST' && path.endsWith('/v2/chat')) {
    if (stream) writeStream(response, { first: cohereStream.first, content: cohereStream.content, end: cohereStream.end(shape.chunks) }, shape);
    else writeJson(response, cohereJson);
    return;
  }
  if (request.method === 'POST' && path.endsWith('/api/chat')) {
    if (noStreamFlag.test(body)) writeJson(response, ollamaJson);
    else writeStream(response, { first: ollamaStream.first, content: ollamaStream.content, end: ollamaStream.end(shape.chunks) }, shape, ndjsonHeaders);
    return;
  }
  // Bedrock says by the path, not the body, whether it streams: /model/<id>/converse or /converse-stream.
  if (request.method === 'POST' && path.endsWith('/converse')) {
    writeJson(response, bedrockJson);
    return;
  }
  if (request.method === 'POST' && path.endsWith('/converse-stream')) {
    writeStream(response, { first: bedrockStream.first, content: bedrockStream.content, end: bedrockStream.end(shape.chunks) }, shape, awsEventStreamHeaders);
    return;
  }
  response.writeHead(404, jsonHeaders);
  response.end(JSON.stringify({ error: { message: `stand-in upstream: no route for ${request.method} ${path}`, type: 'invalid_request_error', code: 'not_found' } }));
}

/** Starts the stand-in upstream; resolves with its server and base URL (no path). */
export async function startUpstream(options: UpstreamOptions): Promise<{ server: Server; url: string }> {
  const server = createServer({ keepAliveTimeout: 120_000, requestTimeout: 0 }, (request, response) => {
    const pieces: Buffer[] = [];
    request.on('data', (piece: Buffer) => pieces.push(piece));
    request.on('end', () => answer(request, response, pieces.length === 1 ? pieces[0].toString('latin1') : Buffer.concat(pieces).toString('latin1'), options.defaultShape));
  });
  // The runner opens thousands of connections at once for the many-streams measurement.
  server.maxConnections = 100_000;
  await new Promise<void>((resolve) => server.listen({ port: options.port, host: options.host, backlog: 4096 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { server, url: `http://${options.host}:${port}` };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      chunks: { type: 'string', default: '20' },
      delay: { type: 'string', default: '20' },
    },
  });
  const { server, url } = await startUpstream({ port: Number(values.port), host: values.host, defaultShape: { chunks: Number(values.chunks), delayMs: Number(values.delay) } });
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
