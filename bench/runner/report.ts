import type { LatencySummary } from '../load/histogram.ts';
import { errorTotal, type ClosedLoopResult, type ErrorCounts, type OpenLoopResult } from '../load/load-job.ts';
import type { GoalOutcome } from './goals.ts';
import type { ScenarioResult } from './measure.ts';
import { firstByte, isValid, latencyAt, overhead } from './overhead.ts';
import type { Pinning } from './processes.ts';
import type { StartCommand } from '../targets/tollgate.ts';
import { streamRate, type Profile, type StreamLoad } from './profile.ts';
import { stalledSendLagMs } from './stalled-generator.ts';
import type { SystemInfo } from './system-info.ts';

export interface RunReport {
  startedAt: Date;
  elapsedMs: number;
  system: SystemInfo;
  pinning: Pinning;
  profile: Profile;
  results: ScenarioResult[];
  goals: GoalOutcome[];
  /** The command line's options, as given. */
  argv: string[];
  /** How the Tollgate targets were started (environment and Node/V8 flags). */
  tollgate: StartCommand;
  /** 1-minute load average when the run ended. */
  loadAverageEnd: number;
}

const dash = '—';

/** `VAR=value node flags dist/cli/main.js start`, in backticks, as the reports show it. */
export function startCommandText(command: StartCommand): string {
  const env = Object.entries(command.env).map(([name, value]) => `${name}=${value} `).join('');
  return `\`${env}node ${command.nodeFlags.join(' ')}${command.nodeFlags.length ? ' ' : ''}dist/cli/main.js start\``;
}

function milliseconds(value: number): string {
  if (!Number.isFinite(value)) return dash;
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function signed(value: number | null): string {
  if (value === null) return dash;
  return `${value >= 0 ? '+' : ''}${milliseconds(value)}`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function errorText(errors: ErrorCounts): string {
  const parts = [
    errors.non2xx ? `${errors.non2xx} non-2xx` : '',
    errors.socket ? `${errors.socket} socket` : '',
    errors.incomplete ? `${errors.incomplete} incomplete` : '',
    errors.unfinished ? `${errors.unfinished} unfinished` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

/** "p50 / p90 / p99", or why there is no valid number. */
function triple(summary: LatencySummary | null | undefined, measurement: OpenLoopResult | null | undefined, keys: Array<'p50' | 'p90' | 'p99'>): string {
  if (!measurement || !summary) return dash;
  if (!isValid(measurement)) return `invalid (${errorText(measurement.errors)})`;
  return keys.map((key) => milliseconds(summary[key])).join(' / ');
}

function overheads(target: OpenLoopResult | null | undefined, baseline: OpenLoopResult | null | undefined, keys: Array<'p50' | 'p90' | 'p99'>, pick?: (measurement: OpenLoopResult) => LatencySummary | null): string {
  if (!target || !baseline) return dash;
  if (!isValid(target) || !isValid(baseline)) return dash;
  return keys.map((key) => signed(overhead(target, baseline, key, pick))).join(' / ');
}

function throughputCell(throughput: ClosedLoopResult | null): string {
  if (!throughput) return dash;
  if (!isValid(throughput)) return `invalid (${errorText(throughput.errors)})`;
  return count(throughput.requestsPerSecond);
}

function streamLoadText(load: StreamLoad): string {
  return `${count(load.concurrency)} concurrent (${load.shape.chunks} chunks × ${load.shape.delayMs} ms, ${count(streamRate(load))} streams/s)`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function header(report: RunReport): string[] {
  const { system, profile, pinning } = report;
  const when = report.startedAt.toISOString().replace('T', ' ').slice(0, 16);
  const minutes = Math.floor(report.elapsedMs / 60_000);
  const secs = Math.round((report.elapsedMs % 60_000) / 1000);
  return [
    `# Tollgate benchmark — ${when} UTC, commit ${system.commit}${system.dirty ? ' (with uncommitted changes in src/)' : ''}`,
    '',
    '| | |',
    '|---|---|',
    `| Command | \`npm run bench${report.argv.length ? ` -- ${report.argv.join(' ')}` : ''}\` (profile: ${profile.name}) |`,
    `| Node | ${system.node} for every process (runner, load generator, stand-in upstream, Tollgate, Portkey); nginx is the system's binary |`,
    `| Machine | ${system.cpuModel}, ${system.cores} cores, ${system.memoryGiB} GiB, Linux ${system.kernel}; 1-minute load average ${system.loadAverage} before the run, ${report.loadAverageEnd} at its end (the run itself adds about 2; more means other work competed for the cores) |`,
    `| Pinning | ${pinning.description} |`,
    `| Tollgate's start | ${startCommandText(report.tollgate)}${report.argv.some((option) => option.startsWith('--node-flags')) ? ' (set with --node-flags)' : ' (what `npm start` passes, from package.json)'} |`,
    `| Max throughput | closed loop (autocannon), ${profile.closedLoop.connections} connections, ${seconds(profile.closedLoop.warmupMs)} warm-up + ${seconds(profile.closedLoop.durationMs)} |`,
    `| Latency | open loop at ${profile.rates.map(count).join(' and ')} req/s, ${seconds(profile.openLoop.warmupMs)} warm-up + ${seconds(profile.openLoop.durationMs)} each, timed from each request's scheduled send time |`,
    `| Streams | ${streamLoadText(profile.streams)}, ${seconds(profile.streams.warmupMs)} warm-up + ${seconds(profile.streams.durationMs)}; many streams: ${count(profile.manyStreams.concurrency)} held open (${profile.manyStreams.shape.chunks} chunks × ${profile.manyStreams.shape.delayMs} ms), ${seconds(profile.manyStreams.warmupMs)} ramp-up + ${seconds(profile.manyStreams.durationMs)} |`,
    `| Tools | ${Object.entries(system.versions).map(([name, version]) => `${name} ${version}`).join(', ')} |`,
    `| Run time | ${minutes} min ${secs} s |`,
    '',
  ];
}

function requestsTable(report: RunReport, measured: ScenarioResult[], direct: ScenarioResult | undefined): string[] {
  const rates = report.profile.rates;
  const lines = [
    '## Requests (non-streaming chat completions)',
    '',
    'Latency in ms from each request\'s scheduled send time (open loop, no coordinated omission). Overhead = this target minus `direct` in the same run, at the same percentile and rate.',
    '',
    `| target | max req/s | ${rates.map((rate) => `${count(rate)} req/s p50 / p90 / p99 | overhead p50 / p90 / p99`).join(' | ')} |`,
    `|---|---:|${rates.map(() => '---:|---:').join('|')}|`,
  ];
  for (const result of measured) {
    if (!result.throughput && result.latency.length === 0) continue;
    const cells = rates.flatMap((rate) => {
      const measurement = latencyAt(result, rate);
      return [triple(measurement?.latency, measurement, ['p50', 'p90', 'p99']), result.id === 'direct' ? dash : overheads(measurement, latencyAt(direct, rate), ['p50', 'p90', 'p99'])];
    });
    lines.push(`| ${result.label} | ${throughputCell(result.throughput)} | ${cells.join(' | ')} |`);
  }
  return [...lines, ''];
}

function streamsTable(report: RunReport, measured: ScenarioResult[], direct: ScenarioResult | undefined): string[] {
  const { streams, manyStreams } = report.profile;
  const rows = measured.filter((result) => result.streams || result.manyStreams);
  if (rows.length === 0) return [];
  const lines = [
    '## Streams (chat completions with `stream: true`)',
    '',
    `First byte = send time to the first byte of the response body (the first SSE event); total = to the last byte; ms. ${count(streams.concurrency)} streams: open loop at the rate that keeps that many in flight, timed from the scheduled send time. ${count(manyStreams.concurrency)} streams: exactly that many held open (each loop starts its next stream when one ends), timed from the actual send; this one is for memory.`,
    '',
    `| target | ${count(streams.concurrency)} streams: first byte p50 / p99 | first-byte overhead p50 / p99 | total p50 / p99 | ${count(manyStreams.concurrency)} streams held open: first byte p50 / p99 | first-byte overhead p50 / p99 | total p50 / p99 |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of rows) {
    const cells = [
      triple(result.streams?.firstByte, result.streams, ['p50', 'p99']),
      result.id === 'direct' ? dash : overheads(result.streams, direct?.streams, ['p50', 'p99'], firstByte),
      triple(result.streams?.latency, result.streams, ['p50', 'p99']),
      triple(result.manyStreams?.firstByte, result.manyStreams, ['p50', 'p99']),
      result.id === 'direct' ? dash : overheads(result.manyStreams, direct?.manyStreams, ['p50', 'p99'], firstByte),
      triple(result.manyStreams?.latency, result.manyStreams, ['p50', 'p99']),
    ];
    lines.push(`| ${result.label} | ${cells.join(' | ')} |`);
  }
  return [...lines, ''];
}

function memoryTable(report: RunReport, measured: ScenarioResult[]): string[] {
  const rows = measured.filter((result) => result.memory);
  if (rows.length === 0) return [];
  const mib = (value: number | null | undefined) => (value === null || value === undefined ? dash : value.toFixed(1));
  const lines = [
    '## Memory of the target process (MiB)',
    '',
    `Idle = VmRSS ${seconds(report.profile.idleSettleMs)} after start, before any request; of it, anonymous = RssAnon, the process's own memory (heaps, stacks), where the rest is file-backed (mostly the node binary's pages, shared with every process that runs the same binary). During ${count(report.profile.manyStreams.concurrency)} streams = VmHWM reset just before that measurement (and the largest VmRSS sampled every 100 ms). Whole run = VmHWM at the end.`,
    '',
    `| target | idle RSS | of it anonymous | peak RSS during ${count(report.profile.manyStreams.concurrency)} streams (VmHWM) | largest sampled VmRSS | peak RSS whole run |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const result of rows) {
    const memory = result.memory!;
    lines.push(`| ${result.label} | ${mib(memory.idle)} | ${mib(memory.idleAnonymous)} | ${mib(memory.peakManyStreams)} | ${mib(memory.sampledManyStreams)} | ${mib(memory.peakWholeRun)} |`);
  }
  return [...lines, ''];
}

function goalsTable(report: RunReport): string[] {
  if (report.profile.name !== 'full') return ['## Goals', '', 'Not evaluated: this is a quick (smoke) run; its rates and durations are not the ones the goals name.', ''];
  const lines = ['## Goals (issues 2 and 8; this run)', '', '| issue | goal | measured | verdict |', '|---|---|---|---|'];
  for (const outcome of report.goals) lines.push(`| #${outcome.issue} | ${outcome.goal} | ${outcome.measured} | ${outcome.verdict === 'met' ? '**met**' : outcome.verdict === 'missed' ? '**missed**' : outcome.verdict} |`);
  return [...lines, ''];
}

function notMeasuredTable(results: ScenarioResult[]): string[] {
  const rows = results.filter((result) => result.status !== 'measured' || result.failures.length > 0);
  if (rows.length === 0) return [];
  const lines = ['## Not measured (or only in part)', '', '| target | status |', '|---|---|'];
  for (const result of rows) {
    const text = result.status === 'measured' ? `partly: ${result.failures.join('; ')}` : (result.note ?? result.status);
    lines.push(`| ${result.label} | ${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
  }
  return [...lines, ''];
}

function remeasuredList(measured: ScenarioResult[]): string[] {
  const entries = measured.flatMap((result) => result.remeasured.map((text) => `- ${result.label}, ${text}`));
  if (entries.length === 0) return [];
  return ['## Measured again', '', `A measurement during which the load generator itself was late by more than ${stalledSendLagMs} ms at p99 (its core stalled: the lateness is in every latency it times) is taken once more, and the second is the one reported above.`, '', ...entries, ''];
}

function detailsTable(measured: ScenarioResult[]): string[] {
  const lines = [
    '## Every measurement',
    '',
    'Send lag = how late the load generator itself sent requests (it is included in the latencies above, for every target alike). Errors of any kind make a measurement invalid.',
    '',
    '| target | measurement | offered | answered 2xx | errors | send lag p50 / p99 (ms) | peak in flight | max (ms) |',
    '|---|---|---:|---:|---|---:|---:|---:|',
  ];
  const row = (result: ScenarioResult, name: string, measurement: OpenLoopResult) => {
    const errors = errorTotal(measurement.errors) === 0 ? '0' : `${errorText(measurement.errors)}: ${measurement.errors.samples.join('; ')}`;
    lines.push(`| ${result.id} | ${name} | ${count(measurement.measured)} | ${count(measurement.succeeded)} | ${errors.replace(/\|/g, '\\|')} | ${measurement.sendLag ? `${milliseconds(measurement.sendLag.p50)} / ${milliseconds(measurement.sendLag.p99)}` : dash} | ${count(measurement.peakInFlight)} | ${milliseconds(measurement.latency.max)} |`);
  };
  for (const result of measured) {
    if (result.throughput) {
      const throughput = result.throughput;
      const errors = errorTotal(throughput.errors) === 0 ? '0' : `${errorText(throughput.errors)}: ${throughput.errors.samples.join('; ')}`;
      const busy = result.throughputCpuShare === null ? '' : `; target process busy ${Math.round(result.throughputCpuShare * 100)}% of its core`;
      lines.push(`| ${result.id} | closed loop, ${throughput.connections} connections (autocannon latency p50 ${throughput.latency.p50} / p99 ${throughput.latency.p99} ms${busy}) | ${dash} | ${count(throughput.succeeded)} | ${errors.replace(/\|/g, '\\|')} | ${dash} | ${throughput.connections} | ${throughput.latency.max} |`);
    }
    for (const measurement of result.latency) row(result, `${count(measurement.rate)} req/s`, measurement);
    if (result.streams) row(result, `streams at ${count(result.streams.rate)}/s`, result.streams);
    if (result.manyStreams) row(result, `${count(result.manyStreams.peakInFlight)} streams held open (${count(result.manyStreams.rate)} started/s)`, result.manyStreams);
  }
  return [...lines, ''];
}

/** The run as markdown: what was measured, how, and what it says against the goals. */
export function renderReport(report: RunReport): string {
  const measured = report.results.filter((result) => result.status === 'measured');
  const direct = report.results.find((result) => result.id === 'direct' && result.status === 'measured');
  return [
    ...header(report),
    ...requestsTable(report, measured, direct),
    ...streamsTable(report, measured, direct),
    ...memoryTable(report, measured),
    ...goalsTable(report),
    ...notMeasuredTable(report.results),
    ...remeasuredList(measured),
    ...detailsTable(measured),
  ].join('\n');
}
