import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as undici from 'undici';
import { Agent, requestThrough, requestWithBody, undiciErrors } from '../../src/upstream/undici-parts.ts';

// The gateway loads undici's parts from their own files (src/upstream/undici-parts.ts); these
// paths are undici's internal layout, so an upgrade that moves them must fail here, not in use.
describe("undici's parts loaded from their own files", () => {
  it('are the classes and functions undici itself exports', () => {
    assert.equal(Agent, undici.Agent);
    assert.equal(undiciErrors, undici.errors);
    assert.equal(undiciErrors.HeadersTimeoutError, undici.errors.HeadersTimeoutError);
  });

  it("requestThrough is undici's dispatcher.request", async () => {
    const agent = new undici.Agent();
    try {
      // undici's index adds request() to every dispatcher; requestThrough must call that function.
      assert.equal(requestWithBody, undici.Dispatcher.prototype.request);
      const error = await requestThrough(agent, { origin: 'http://127.0.0.1:1', path: '/', method: 'GET' }).then(
        () => null,
        (failure: unknown) => failure,
      );
      assert.ok(error instanceof Error, 'a request to a closed port fails');
      assert.equal((error as { code?: string }).code, 'ECONNREFUSED');
    } finally {
      await agent.close();
    }
  });
});
