import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { collectStartupGarbage } from '../../src/gateway/startup-garbage.ts';

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.physical_space_size;
}

describe('start-up garbage collection', () => {
  it('shrinks the young generation that start-up grew', () => {
    // Allocate like a start-up does: enough surviving objects for V8 to grow the young generation.
    let keep: unknown[] = [];
    for (let round = 0; round < 40; round++) keep = [...keep.slice(-50_000), ...Array.from({ length: 50_000 }, (_, index) => ({ index, text: `value ${index}` }))];
    const before = newSpaceBytes();
    keep = [];
    const took = collectStartupGarbage();
    assert.equal(typeof took, 'number');
    const after = newSpaceBytes();
    assert.ok(after < before, `young generation ${before} -> ${after} bytes`);
    assert.equal(keep.length, 0);
  });

  it('exposes gc() neither to the process globals nor to later worker threads', async () => {
    collectStartupGarbage();
    assert.equal((globalThis as { gc?: unknown }).gc, undefined);
    const worker = new Worker('require("node:worker_threads").parentPort.postMessage(typeof gc)', { eval: true });
    const seen = await new Promise<unknown>((resolve) => worker.once('message', resolve));
    await worker.terminate();
    assert.equal(seen, 'undefined');
  });
});
