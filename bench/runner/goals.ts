import type { ScenarioResult } from './measure.ts';
import { firstByte, isValid, latencyAt, overhead, type Percentile } from './overhead.ts';
import type { Profile } from './profile.ts';

/** The performance targets of issues 2 and 8, checked against one run. */
export interface GoalOutcome {
  issue: number;
  goal: string;
  measured: string;
  verdict: 'met' | 'missed' | 'not measured';
}

interface Goal {
  issue: number;
  goal: string;
  /** A number to compare with `limit`, or the reason there is none. */
  value(results: Map<string, ScenarioResult>, profile: Profile): number | string;
  limit: number;
  /** 'max': the value must be at most the limit; 'min': at least. */
  bound: 'max' | 'min';
  unit: string;
}

function latencyOverhead(id: string, baselineId: string, rate: number, percentile: Percentile): Goal['value'] {
  return (results, profile) => {
    if (!profile.rates.includes(rate)) return `not measured (rates ${profile.rates.join(', ')})`;
    const target = results.get(id);
    if (target?.status !== 'measured') return `${id}: ${target?.note ?? 'not run'}`;
    return overhead(latencyAt(target, rate), latencyAt(results.get(baselineId), rate), percentile) ?? 'invalid (errors or missing measurement)';
  };
}

function firstByteOverhead(id: string, baselineId: string, percentile: Percentile): Goal['value'] {
  return (results) => {
    const target = results.get(id);
    if (target?.status !== 'measured') return `${id}: ${target?.note ?? 'not run'}`;
    return overhead(target.streams, results.get(baselineId)?.streams, percentile, firstByte) ?? 'invalid (errors or missing measurement)';
  };
}

function throughputRatio(id: string, peerId: string): Goal['value'] {
  return (results) => {
    const target = results.get(id);
    const peer = results.get(peerId);
    if (target?.status !== 'measured') return `${id}: ${target?.note ?? 'not run'}`;
    if (peer?.status !== 'measured') return `peer: ${peer?.note ?? 'not run'}`;
    if (!isValid(target.throughput) || !isValid(peer.throughput)) return 'invalid (errors or missing measurement)';
    return Math.round((target.throughput!.requestsPerSecond / peer.throughput!.requestsPerSecond) * 100) / 100;
  };
}

function memory(id: string, pick: 'idle' | 'many-streams'): Goal['value'] {
  return (results, profile) => {
    const target = results.get(id);
    if (target?.status !== 'measured' || !target.memory) return `${id}: ${target?.note ?? 'not measured'}`;
    if (pick === 'idle') return target.memory.idle ?? 'not measured (/proc unavailable)';
    if (profile.manyStreams.concurrency < 1000) return `not measured (${profile.manyStreams.concurrency} streams in this profile)`;
    if (!isValid(target.manyStreams)) return 'invalid (errors in the streams measurement)';
    return target.memory.peakManyStreams ?? target.memory.sampledManyStreams ?? 'not measured';
  };
}

const goals: Goal[] = [
  { issue: 2, goal: 'passthrough overhead p50 at 500 req/s ≤ 0.3 ms', value: latencyOverhead('passthrough', 'direct', 500, 'p50'), limit: 0.3, bound: 'max', unit: 'ms' },
  { issue: 2, goal: 'passthrough overhead p99 at 500 req/s ≤ 2 ms', value: latencyOverhead('passthrough', 'direct', 500, 'p99'), limit: 2, bound: 'max', unit: 'ms' },
  { issue: 2, goal: 'stream first-byte overhead p99 ≤ 2 ms', value: firstByteOverhead('passthrough', 'direct', 'p99'), limit: 2, bound: 'max', unit: 'ms' },
  { issue: 8, goal: 'passthrough max throughput ≥ 5× Portkey', value: throughputRatio('passthrough', 'portkey'), limit: 5, bound: 'min', unit: '×' },
  { issue: 8, goal: 'passthrough overhead p50 at 2,000 req/s ≤ 0.3 ms', value: latencyOverhead('passthrough', 'direct', 2000, 'p50'), limit: 0.3, bound: 'max', unit: 'ms' },
  { issue: 8, goal: 'passthrough overhead p99 at 2,000 req/s ≤ 1.5 ms', value: latencyOverhead('passthrough', 'direct', 2000, 'p99'), limit: 1.5, bound: 'max', unit: 'ms' },
  { issue: 8, goal: 'stream first-byte overhead p99 ≤ 1 ms (100 streams)', value: firstByteOverhead('passthrough', 'direct', 'p99'), limit: 1, bound: 'max', unit: 'ms' },
  { issue: 8, goal: 'production stack max throughput ≥ 3× Portkey', value: throughputRatio('production', 'portkey'), limit: 3, bound: 'min', unit: '×' },
  { issue: 8, goal: 'production stack overhead p50 at 2,000 req/s ≤ 0.6 ms', value: latencyOverhead('production', 'direct', 2000, 'p50'), limit: 0.6, bound: 'max', unit: 'ms' },
  { issue: 8, goal: 'production stack overhead p99 at 2,000 req/s ≤ 3 ms', value: latencyOverhead('production', 'direct', 2000, 'p99'), limit: 3, bound: 'max', unit: 'ms' },
  { issue: 8, goal: 'translated first-token overhead p99 over passthrough ≤ 1 ms', value: firstByteOverhead('translated', 'passthrough', 'p99'), limit: 1, bound: 'max', unit: 'ms' },
  {
    issue: 8,
    goal: 'cache hit p50 end to end at 2,000 req/s ≤ 0.3 ms',
    value: (results, profile) => {
      const target = results.get('cache-hit');
      if (target?.status !== 'measured') return `cache-hit: ${target?.note ?? 'not run'}`;
      if (!profile.rates.includes(2000)) return 'not measured';
      const measured = latencyAt(target, 2000);
      return measured && isValid(measured) ? measured.latency.p50 : 'invalid';
    },
    limit: 0.3,
    bound: 'max',
    unit: 'ms',
  },
  { issue: 8, goal: 'peak RSS at 1,000 concurrent streams ≤ 200 MiB', value: memory('passthrough', 'many-streams'), limit: 200, bound: 'max', unit: 'MiB' },
  { issue: 8, goal: 'idle RSS after start ≤ 80 MiB', value: memory('passthrough', 'idle'), limit: 80, bound: 'max', unit: 'MiB' },
];

export function evaluateGoals(results: Map<string, ScenarioResult>, profile: Profile): GoalOutcome[] {
  const outcomes: GoalOutcome[] = goals.map((goal) => {
    const value = goal.value(results, profile);
    if (typeof value === 'string') return { issue: goal.issue, goal: goal.goal, measured: value.length > 110 ? `${value.slice(0, 107)}…` : value, verdict: 'not measured' };
    const met = goal.bound === 'max' ? value <= goal.limit : value >= goal.limit;
    const shown = goal.unit === '×' ? `${value}×` : `${value} ${goal.unit}`;
    return { issue: goal.issue, goal: goal.goal, measured: shown, verdict: met ? 'met' : 'missed' };
  });
  outcomes.push({ issue: 8, goal: 'passthrough max throughput ≥ 35% of an nginx reverse proxy', measured: 'not measured (no nginx target in this suite)', verdict: 'not measured' });
  outcomes.push({ issue: 8, goal: '`workers: 2` on two cores scales throughput ≥ 1.7×', measured: 'not measured (no multi-worker mode yet)', verdict: 'not measured' });
  return outcomes;
}
