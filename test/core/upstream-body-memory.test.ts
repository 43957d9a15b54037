import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bodyWithItsOwnMemory } from '../../src/upstream/own-memory.ts';
import { collectBody } from '../../src/upstream/read-body.ts';
import { defaultTimeouts, UpstreamClient } from '../../src/upstream/upstream-client.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

/**
 * An upstream call holds its request body until the whole answer is read (seconds to minutes
 * for a stream or a slow model); a small Buffer cut out of Node's shared pool would keep the
 * whole 64 KiB pool alive that long.
 */
describe('request bodies held by an upstream call', () => {
  it('copies a slice of a larger buffer (a pooled Buffer.concat) into memory of its own', () => {
    const pooled = Buffer.concat([Buffer.from('{"model":'), Buffer.from('"gpt-4o-mini"}')]);
    assert.ok(pooled.buffer.byteLength > pooled.byteLength, 'Buffer.concat of small pieces is a slice of the pool');
    const owned = bodyWithItsOwnMemory(pooled) as Uint8Array;
    assert.equal(owned.buffer.byteLength, owned.byteLength);
    assert.deepEqual(Buffer.from(owned), pooled);
  });

  it('passes a buffer that already owns its memory, and a long string, as they are', () => {
    const own = Buffer.allocUnsafeSlow(300).fill(0x61);
    assert.equal(bodyWithItsOwnMemory(own), own);
    const long = 'x'.repeat(Buffer.poolSize);
    assert.equal(bodyWithItsOwnMemory(long), long);
    assert.equal(bodyWithItsOwnMemory(undefined), undefined);
  });

  it('turns a short string into bytes of their own, UTF-8 encoded', () => {
    const text = '{"content":"naïve café — 東京 🚀"}';
    const owned = bodyWithItsOwnMemory(text) as Uint8Array;
    assert.equal(owned.buffer.byteLength, Buffer.byteLength(text));
    assert.equal(Buffer.from(owned).toString('utf8'), text);
  });

  describe('through UpstreamClient', () => {
    let standIn: StandIn;
    const client = new UpstreamClient({ connections: 4, keepAliveTimeout: 1000 });

    before(async () => {
      standIn = await startStandIn((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      });
    });
    after(async () => {
      await client.close();
      await standIn.close();
    });

    it('sends pooled, string and multibyte bodies byte for byte, streamed or read whole', async () => {
      const bodies = ['{"a":"東京 🚀"}', Buffer.concat([Buffer.from('{"b":'), Buffer.from('"naïve"}')]), Buffer.from('{"c":1}')];
      const request = (body: string | Uint8Array) => ({ url: `${standIn.url}/v1/chat/completions`, headers: { 'content-type': 'application/json' }, body, signal: new AbortController().signal, timeouts: defaultTimeouts, provider: 'stand-in' });
      for (const body of bodies) {
        const streamed = await client.request(request(body));
        assert.equal((await collectBody(streamed.body)).toString(), '{"ok":true}');
        const whole = await client.requestWhole(request(body));
        assert.equal(whole.body.toString(), '{"ok":true}');
      }
      const expected = bodies.map((body) => (typeof body === 'string' ? body : body.toString('utf8')));
      assert.deepEqual(
        standIn.requests.map((request) => request.body),
        expected.flatMap((text) => [text, text]),
      );
    });
  });
});
