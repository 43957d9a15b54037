import { createServer } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';

/**
 * The bare Node proxy of issue 8's peer figures ("node:http in, undici out, body parsed and
 * re-serialized, no policy"): what any Node gateway costs before it does any gateway work. Run as
 * `node bench/targets/node-proxy-server.ts <port> <upstream origin>`; prints "listening" when ready.
 * Paths pass through untouched (the stand-in's stream-shape prefix included), as through nginx.
 */
const [port, upstream] = process.argv.slice(2);
const agent = new Agent({ connections: 2048, keepAliveTimeout: 120_000 });

const server = createServer(async (incoming, outgoing) => {
  try {
    const parts: Buffer[] = [];
    for await (const part of incoming) parts.push(part as Buffer);
    const body = parts.length === 0 ? undefined : JSON.stringify(JSON.parse(Buffer.concat(parts).toString('utf8')));
    const answer = await request(`${upstream}${incoming.url}`, {
      method: incoming.method as 'GET' | 'POST',
      headers: { 'content-type': 'application/json', authorization: incoming.headers.authorization ?? '' },
      body,
      dispatcher: agent,
    });
    outgoing.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type'] ?? 'application/json') });
    await pipeline(answer.body, outgoing);
  } catch (error) {
    if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'application/json' });
    outgoing.end(JSON.stringify({ error: { message: (error as Error).message } }));
  }
});
server.keepAliveTimeout = 120_000;
server.listen(Number(port), '127.0.0.1', 4096, () => process.stdout.write('listening\n'));
