import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LatencySummary } from '../../bench/load/histogram.ts';
import { noErrors, type OpenLoopResult } from '../../bench/load/load-job.ts';
import { evaluateGoals } from '../../bench/runner/goals.ts';
import type { ScenarioResult } from '../../bench/runner/measure.ts';
import { fullProfile } from '../../bench/runner/profile.ts';

function summary(p50: number, p99: number): LatencySummary {
  return { count: 2500, p50, p90: p50, p99, max: p99, mean: p50 };
}

/** A scenario whose only measurement is the 100 streams, with the given first-byte p99. */
function measuredStreams(id: string, firstByteP99: number): ScenarioResult {
  const streams: OpenLoopResult = { kind: 'open-loop', rate: 250, durationMs: 10_000, measured: 2500, succeeded: 2500, errors: noErrors(), latency: summary(401, 409), firstByte: summary(0.7, firstByteP99), sendLag: summary(0.13, 0.4), peakInFlight: 104 };
  return { id, label: id, kind: 'tollgate', status: 'measured', note: null, throughput: null, throughputCpuShare: null, latency: [], streams, manyStreams: null, memory: null, failures: [], remeasured: [] };
}

test('each translated provider gets an informational first-token line by the translated goal\'s rule, no verdict of its own', () => {
  const results = new Map([measuredStreams('passthrough', 3), measuredStreams('translated', 3.5), measuredStreams('translated-cohere', 3.4), measuredStreams('translated-ollama', 5.5)].map((result) => [result.id, result]));
  const outcomes = evaluateGoals(results, fullProfile);
  const line = (provider: string) => outcomes.find((outcome) => outcome.goal.startsWith(`translated (${provider} upstream) first-token overhead p99 over passthrough`));

  assert.equal(outcomes.find((outcome) => outcome.goal.startsWith('translated first-token'))?.verdict, 'met', 'the issue\'s own goal is unchanged');
  assert.deepEqual({ ...line('Cohere') }, { issue: 8, goal: line('Cohere')!.goal, measured: '0.4 ms (within 1 ms)', verdict: 'informational' });
  assert.equal(line('Ollama')?.measured, '2.5 ms (over 1 ms)');
  assert.equal(line('Ollama')?.verdict, 'informational');
  assert.equal(line('Bedrock')?.verdict, 'not measured');
  assert.match(line('Bedrock')!.measured, /^translated-bedrock: not run/);
});
