import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { readBody } from '../../src/server/read-body.ts';

/** A request body arriving in the given pieces (readBody reads only 'data'/'end'/'error' and headers). */
function requestOf(pieces: string[], headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from(pieces.map((piece) => Buffer.from(piece))), { headers }) as unknown as IncomingMessage;
}

describe('readBody', () => {
  it('joins a body that came in pieces, in memory of its own (held for the whole request)', async () => {
    const body = await readBody(requestOf(['{"model":"m",', '"messages":[{"role":"user","content":"naïve"}]}']), 1024);
    assert.equal(body.toString('utf8'), '{"model":"m","messages":[{"role":"user","content":"naïve"}]}');
    assert.equal(body.buffer.byteLength, body.length, 'not a slice of the shared pool');
  });

  it('refuses a declared or counted body over the limit with 413', async () => {
    await assert.rejects(readBody(requestOf(['{}'], { 'content-length': '2048' }), 1024), (error: unknown) => error instanceof GatewayError && error.status === 413);
    await assert.rejects(readBody(requestOf(['x'.repeat(600), 'y'.repeat(600)]), 1024), (error: unknown) => error instanceof GatewayError && error.status === 413);
  });
});
