import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapWithConcurrency } from '../../src/providers/map-with-concurrency.ts';

describe('mapWithConcurrency', () => {
  it('keeps the items\' order whatever order the calls finish in, with at most `limit` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapWithConcurrency([30, 5, 20, 1, 10, 2, 15], 3, new AbortController().signal, async (delay) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(delay);
      inFlight--;
      return delay * 2;
    });
    assert.deepEqual(results, [60, 10, 40, 2, 20, 4, 30]);
    assert.equal(most, 3);
  });

  it('the first failure is what it rejects with; the calls in flight are aborted and no more start', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const failure = new Error('batch 1 failed');
    await assert.rejects(
      mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, new AbortController().signal, async (item, signal) => {
        started.push(item);
        if (item === 1) {
          await sleep(5);
          throw failure;
        }
        await new Promise((_resolve, reject) => {
          const timer = setTimeout(_resolve, 1000);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            aborted.push(item);
            reject(new Error('aborted'));
          });
        });
        return item;
      }),
      (error: unknown) => error === failure,
    );
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(aborted, [0]);
  });

  it('the client\'s signal reaches every call', async () => {
    const client = new AbortController();
    const pending = mapWithConcurrency([1, 2], 2, client.signal, (_item, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))));
    client.abort(new Error('client gone'));
    await assert.rejects(pending, /client gone/);
  });
});
