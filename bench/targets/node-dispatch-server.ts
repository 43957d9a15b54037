import { createServer } from 'node:http';
import { Agent } from 'undici';

/**
 * The bare Node proxy of node-proxy-server.ts written against undici's dispatch API instead of
 * `request()` + `pipeline()`: the request body read with 'data' events, the response's pieces
 * written to the client as undici hands them over, no stream object or promise per response.
 * The same work (node:http in, undici out, the body parsed and re-serialized, no policy), so the
 * two side by side show how much of a Node proxy's cost is how it uses Node's and undici's APIs.
 * Run as `node bench/targets/node-dispatch-server.ts <port> <upstream origin>`; prints "listening".
 */
const [port, upstream] = process.argv.slice(2);
const agent = new Agent({ connections: 2048, keepAliveTimeout: 120_000 });
const origin = new URL(upstream).origin;

const server = createServer((incoming, outgoing) => {
  const parts: Buffer[] = [];
  incoming.on('data', (part: Buffer) => parts.push(part));
  incoming.on('end', () => {
    let body: string | undefined;
    try {
      body = parts.length === 0 ? undefined : JSON.stringify(JSON.parse(Buffer.concat(parts).toString('utf8')));
    } catch (error) {
      outgoing.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: (error as Error).message } }));
      return;
    }
    const headers = { 'content-type': 'application/json', authorization: incoming.headers.authorization ?? '' };
    agent.dispatch(
      { origin, path: incoming.url ?? '/', method: incoming.method === 'GET' ? 'GET' : 'POST', headers, body },
      {
        onRequestStart(controller) {
          // A client that leaves mid-stream releases the upstream request (as pipeline() does).
          outgoing.once('close', () => {
            if (!outgoing.writableFinished && !controller.aborted) controller.abort(new Error('the client went away'));
          });
        },
        onResponseStart(_controller, statusCode, responseHeaders) {
          outgoing.writeHead(statusCode, { 'content-type': String(responseHeaders['content-type'] ?? 'application/json') });
        },
        onResponseData(controller, chunk) {
          if (outgoing.write(chunk)) return;
          controller.pause();
          outgoing.once('drain', () => controller.resume());
        },
        onResponseEnd() {
          outgoing.end();
        },
        onResponseError(_controller, error) {
          if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'application/json' });
          outgoing.end(JSON.stringify({ error: { message: error.message } }));
        },
      },
    );
  });
});
server.keepAliveTimeout = 120_000;
server.listen(Number(port), '127.0.0.1', 4096, () => process.stdout.write('listening\n'));
