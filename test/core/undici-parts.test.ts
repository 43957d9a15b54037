import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import * as undici from 'undici';
import { Agent, undiciErrors, undiciSymbols } from '../../src/upstream/undici-parts.ts';

// The gateway loads undici's parts from their own files (src/upstream/undici-parts.ts); these
// paths are undici's internal layout, so an upgrade that moves them must fail here, not in use.
describe("undici's parts loaded from their own files", () => {
  it('are the classes and functions undici itself exports', () => {
    assert.equal(Agent, undici.Agent);
    assert.equal(undiciErrors, undici.errors);
    assert.equal(undiciErrors.HeadersTimeoutError, undici.errors.HeadersTimeoutError);
  });

  // src/upstream/informational-answers.ts: the parser's head callback, reached through a client's
  // socket, still refuses a 100 itself and skips the other 1xx.
  it('still have the HTTP/1.1 parser the 100 Continue fix wraps', () => {
    assert.equal(typeof undiciSymbols.kSocket, 'symbol');
    assert.equal(typeof undiciSymbols.kParser, 'symbol');
    const source = readFileSync(createRequire(import.meta.url).resolve('undici/lib/dispatcher/client-h1.js'), 'utf8');
    assert.match(source, /onHeadersComplete \(statusCode, upgrade, shouldKeepAlive\)/);
    assert.match(source, /if \(statusCode === 100\) \{\n\s*util\.destroy\(socket/);
    assert.match(source, /socket\[kParser\] = new Parser\(/);
  });
});
