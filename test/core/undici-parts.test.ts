import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as undici from 'undici';
import { Agent, undiciErrors } from '../../src/upstream/undici-parts.ts';

// The gateway loads undici's parts from their own files (src/upstream/undici-parts.ts); these
// paths are undici's internal layout, so an upgrade that moves them must fail here, not in use.
describe("undici's parts loaded from their own files", () => {
  it('are the classes and functions undici itself exports', () => {
    assert.equal(Agent, undici.Agent);
    assert.equal(undiciErrors, undici.errors);
    assert.equal(undiciErrors.HeadersTimeoutError, undici.errors.HeadersTimeoutError);
  });
});
