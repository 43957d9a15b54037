import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LatencySummary } from '../../bench/load/histogram.ts';
import { noErrors, type OpenLoopResult } from '../../bench/load/load-job.ts';
import type { ScenarioResult } from '../../bench/runner/measure.ts';
import { quickProfile } from '../../bench/runner/profile.ts';
import { renderReport, type RunReport } from '../../bench/runner/report.ts';
import { measureOpenLoop, stalledSendLagMs } from '../../bench/runner/stalled-generator.ts';

function summary(p50: number, p99: number): LatencySummary {
  return { count: 2500, p50, p90: p50, p99, max: p99, mean: p50 };
}

function streams(firstByteP99: number, sendLagP99: number): OpenLoopResult {
  return { kind: 'open-loop', rate: 250, durationMs: 10_000, measured: 2500, succeeded: 2500, errors: noErrors(), latency: summary(401, 409), firstByte: summary(0.7, firstByteP99), sendLag: summary(0.13, sendLagP99), peakInFlight: 104 };
}

/** A run() that answers the given results in turn and counts its calls. */
function runs(...results: (OpenLoopResult | null)[]) {
  let calls = 0;
  return { run: async () => results[calls++] ?? null, calls: () => calls };
}

test('a measurement whose load generator kept to its schedule is taken once', async () => {
  const notes: string[] = [];
  const load = runs(streams(3.1, stalledSendLagMs));
  const kept = await measureOpenLoop('100 concurrent streams', load.run, (text) => notes.push(text));
  assert.equal(load.calls(), 1);
  assert.equal(kept?.firstByte?.p99, 3.1);
  assert.deepEqual(notes, []);
});

test('a measurement during which the load generator stalled is taken again, the second kept and both reported', async () => {
  const notes: string[] = [];
  const load = runs(streams(59.9, 23.2), streams(3.4, 0.4));
  const kept = await measureOpenLoop('100 concurrent streams', load.run, (text) => notes.push(text));
  assert.equal(load.calls(), 2);
  assert.equal(kept?.firstByte?.p99, 3.4);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /^100 concurrent streams: the load generator sent its requests up to 23\.2 ms late \(p99; limit 5 ms\)/);
  assert.match(notes[0]!, /First attempt: .*first byte p50 \/ p99 0\.7 \/ 59\.9/);
  assert.match(notes[0]!, /Kept, the second: .*first byte p50 \/ p99 0\.7 \/ 3\.4, send lag p99 0\.4 ms/);
});

test('when the second attempt breaks, the first is kept and the report says so', async () => {
  const notes: string[] = [];
  const load = runs(streams(59.9, 23.2), null);
  const kept = await measureOpenLoop('latency at 2000 req/s', load.run, (text) => notes.push(text));
  assert.equal(load.calls(), 2);
  assert.equal(kept?.firstByte?.p99, 59.9);
  assert.match(notes[0]!, /The second attempt broke; the first is kept\./);
});

test('a broken measurement is not retried here (the failure is already recorded)', async () => {
  const load = runs(null);
  assert.equal(await measureOpenLoop('latency at 500 req/s', load.run, () => assert.fail('no note')), null);
  assert.equal(load.calls(), 1);
});

test('the report lists what was measured again, and says nothing of it when nothing was', () => {
  const passthrough: ScenarioResult = { id: 'passthrough', label: 'tollgate passthrough', kind: 'tollgate', status: 'measured', note: null, throughput: null, throughputCpuShare: null, latency: [], streams: streams(3.4, 0.4), manyStreams: null, memory: null, failures: [], remeasured: ['100 concurrent streams: measured again (test)'] };
  const report: RunReport = {
    startedAt: new Date('2026-12-06T08:00:00Z'),
    elapsedMs: 60_000,
    system: { node: 'v24.21.0', cpuModel: 'test', cores: 2, memoryGiB: 24, kernel: '6', commit: 'abc1234', dirty: false, versions: {}, loadAverage: 0 },
    pinning: { available: true, targetCore: 0, loadCore: 1, description: 'target on core 0' },
    profile: quickProfile,
    results: [passthrough],
    goals: [],
    argv: [],
    tollgate: { env: {}, nodeFlags: [] },
    loadAverageEnd: 0,
  };
  assert.match(renderReport(report), /## Measured again\n\n.*more than 5 ms at p99.*\n\n- tollgate passthrough, 100 concurrent streams: measured again \(test\)\n/);
  assert.doesNotMatch(renderReport({ ...report, results: [{ ...passthrough, remeasured: [] }] }), /Measured again/);
});
