import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headersTimedOut, headerTimeoutOf } from '../../src/server/header-timeout.ts';

// The 408 of headers that did not all arrive names the limit that applied (the leaks audit: it
// named server.request_timeout, 300 s, when Node's 60 s header timeout had fired).
describe('the header timeout', () => {
  it('is 60 s, or server.request_timeout when that is shorter (0: off)', () => {
    assert.equal(headerTimeoutOf(300_000), 60_000);
    assert.equal(headerTimeoutOf(0), 60_000);
    assert.equal(headerTimeoutOf(60_000), 60_000);
    assert.equal(headerTimeoutOf(2_000), 2_000);
  });

  it("names the gateway's fixed 60 s when server.request_timeout is longer or off", () => {
    for (const requestTimeoutMs of [300_000, 0]) {
      const error = headersTimedOut(requestTimeoutMs);
      assert.deepEqual([error.status, error.code], [408, 'request_timeout']);
      assert.match(error.message, /within 60s, the gateway's header timeout \(fixed; a shorter server\.request_timeout lowers it\)/);
    }
  });

  it('names server.request_timeout when that set it', () => {
    assert.match(headersTimedOut(2_000).message, /within server\.request_timeout \(2s\)/);
    assert.match(headersTimedOut(1_500).message, /within server\.request_timeout \(1\.5s\)/);
    assert.match(headersTimedOut(60_000).message, /within server\.request_timeout \(60s\)/);
  });
});
