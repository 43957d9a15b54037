import assert from 'node:assert/strict';
import { it } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { releaseStartUpGarbage } from '../../src/cli/tune-garbage-collector.ts';

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;
}

it('the collection after start-up shrinks a grown young generation and leaves no gc() behind', () => {
  // Grow the young generation as start-up does: a lot of allocation with many survivors.
  const kept: object[] = [];
  for (let round = 0; round < 200_000; round++) {
    kept.push({ round, text: `value ${round}`, list: [round, round + 1] });
    if (kept.length > 50_000) kept.splice(0, 25_000);
  }
  const grown = newSpaceBytes();
  kept.length = 0;
  releaseStartUpGarbage();
  const after = newSpaceBytes();
  assert.ok(after < grown, `young generation ${after} bytes after, ${grown} before`);
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
});
