import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanonicalResponse } from '../../src/canonical/operation.ts';
import { assemble } from '../../src/pipeline/compile-pipeline.ts';
import type { RequestContext } from '../../src/pipeline/context.ts';
import { runOnResponse } from '../../src/pipeline/deliver-reply.ts';
import type { Plugin } from '../../src/pipeline/plugin.ts';

const ctx = {} as RequestContext;
const body = {} as CanonicalResponse;

function hook(name: string, priority: number, seen: string[], wait?: number): Plugin {
  return {
    name,
    priority,
    onResponse: () => {
      if (wait === undefined) {
        seen.push(name);
        return;
      }
      return new Promise<void>((resolve) => setTimeout(() => (seen.push(name), resolve()), wait));
    },
  };
}

describe('response hooks (runOnResponse)', () => {
  it('run synchronously, in priority order, with no promise when no hook returns one', () => {
    const seen: string[] = [];
    const result = runOnResponse(ctx, assemble([hook('low', 10, seen), hook('high', 30, seen), hook('middle', 20, seen)]), body);
    assert.equal(result, undefined);
    assert.deepEqual(seen, ['high', 'middle', 'low']);
  });

  it('wait for a hook that returns a promise before running the ones after it', async () => {
    const seen: string[] = [];
    const result = runOnResponse(ctx, assemble([hook('first', 30, seen), hook('slow', 20, seen, 30), hook('after-slow', 15, seen), hook('slow-again', 10, seen, 10), hook('last', 5, seen)]), body);
    assert.ok(result instanceof Promise);
    assert.deepEqual(seen, ['first']);
    await result;
    assert.deepEqual(seen, ['first', 'slow', 'after-slow', 'slow-again', 'last']);
  });

  it('pass on a hook that throws, synchronously or through its promise, and run none after it', async () => {
    const seen: string[] = [];
    const throwing: Plugin = { name: 'refuses', priority: 20, onResponse: () => { throw new Error('refused'); } };
    assert.throws(() => runOnResponse(ctx, assemble([throwing, hook('after', 10, seen)]), body), /refused/);
    const rejecting: Plugin = { name: 'refuses-later', priority: 20, onResponse: () => Promise.reject(new Error('refused later')) };
    await assert.rejects(async () => runOnResponse(ctx, assemble([rejecting, hook('after', 10, seen)]), body), /refused later/);
    assert.deepEqual(seen, []);
  });
});
