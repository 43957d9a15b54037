import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateGoals } from './runner/goals.ts';
import { emptyResult, measureScenario, type ScenarioResult } from './runner/measure.ts';
import { detectPinning, firstLine, pinSelf, startNode, stopProcess } from './runner/processes.ts';
import { fullProfile, quickProfile, withDuration, type Profile } from './runner/profile.ts';
import { renderReport, type RunReport } from './runner/report.ts';
import { systemInfo } from './runner/system-info.ts';
import { scenarios, type Availability } from './scenarios.ts';
import { findNginx } from './targets/nginx.ts';
import { startScriptCommand, type StartCommand } from './targets/tollgate.ts';
import type { TargetContext } from './targets/target.ts';

const usage = `Usage: npm run bench [-- options]

  --quick              smoke run: short durations, lower rates (< 60 s); numbers not comparable
  --duration=SECONDS   measured time of every phase (warm-ups unchanged)
  --only=ID[,ID...]    run only these targets (ids: ${scenarios.map((scenario) => scenario.id).join(', ')})
  --peer=portkey|none  measure the peer (default portkey; installed into bench/.peers/portkey);
                       the nginx reference is not a peer: it runs whenever nginx is installed
                       (leave it out with --only)
  --rates=R[,R...]     fixed rates of the latency measurements, req/s
  --nice=N             run every process of the bench at this nice value (e.g. -10, needs root):
                       other work on the machine then disturbs the numbers less
  --node-flags="F ..."  Node/V8 flags of the Tollgate targets instead of those \`npm start\` passes
                       (package.json scripts.start); "" runs them with Node's defaults
  --cpu-prof           run Tollgate targets with --cpu-prof (profiles in bench/results/profiles/)
  --results-dir=DIR    where the markdown goes (default bench/results)
  --json=FILE          also write every number as JSON

The report is printed and written to <results-dir>/<date>-<commit>.md; a full run of every target
also updates <results-dir>/latest.md.`;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Options {
  profile: Profile;
  nice: number;
  only: Set<string> | null;
  peersOff: boolean;
  cpuProfile: boolean;
  tollgate: StartCommand;
  resultsDir: string;
  json: string | null;
  argv: string[];
}

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      only: { type: 'string' },
      peer: { type: 'string', default: 'portkey' },
      rates: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'node-flags': { type: 'string' },
      nice: { type: 'string', default: '0' },
      'results-dir': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return null;
  let profile = values.quick ? quickProfile : fullProfile;
  if (values.duration !== undefined) {
    const secondsGiven = Number(values.duration);
    if (!(secondsGiven > 0)) throw new Error(`--duration: expected seconds, got ${values.duration}`);
    profile = withDuration(profile, secondsGiven);
  }
  if (values.rates !== undefined) {
    const rates = values.rates.split(',').map(Number);
    if (rates.some((rate) => !(rate > 0))) throw new Error(`--rates: expected req/s values, got ${values.rates}`);
    profile = { ...profile, rates };
  }
  const only = values.only ? new Set(values.only.split(',').map((id) => id.trim())) : null;
  for (const id of only ?? []) if (!scenarios.some((scenario) => scenario.id === id)) throw new Error(`--only: unknown target ${id}`);
  if (values.peer !== 'portkey' && values.peer !== 'none') throw new Error(`--peer: expected portkey or none, got ${values.peer}`);
  const nice = Number(values.nice);
  if (!Number.isInteger(nice) || nice < -20 || nice > 19) throw new Error(`--nice: expected an integer from -20 to 19, got ${values.nice}`);
  return {
    profile,
    nice,
    only,
    peersOff: values.peer === 'none',
    cpuProfile: values['cpu-prof'],
    tollgate: values['node-flags'] === undefined ? startScriptCommand(repoRoot) : { env: startScriptCommand(repoRoot).env, nodeFlags: values['node-flags'].split(/\s+/).filter(Boolean) },
    resultsDir: resolve(values['results-dir'] ?? join(repoRoot, 'bench/results')),
    json: values.json ? resolve(values.json) : null,
    argv,
  };
}

/** What the gateway in this work tree has registered, read from its registries (not hard-coded). */
async function availability(peersOff: boolean): Promise<Availability> {
  const { providerDefinitions } = await import('../src/providers/registry.ts');
  const { pluginDefinitions } = await import('../src/plugins/registry.ts');
  return { providerTypes: new Set(providerDefinitions.keys()), pluginNames: new Set(pluginDefinitions.keys()), peersOff, nginx: findNginx() };
}

function stamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const startedAt = new Date();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const system = systemInfo(repoRoot);
  const pinning = detectPinning(system.cores);
  pinSelf(pinning.loadCore);
  if (options.nice !== 0) {
    // Children inherit the nice value: the upstream, every load generator and every target.
    try {
      setPriority(options.nice);
      pinning.description += `; every bench process at nice ${options.nice}`;
    } catch (error) {
      pinning.description += `; nice ${options.nice} refused (${(error as Error).message}), default priority`;
    }
  }
  log(`bench: profile ${options.profile.name}, Node ${system.node}, pinning: ${pinning.description}`);

  const available = await availability(options.peersOff);
  const upstream = startNode({ args: [join(repoRoot, 'bench/upstream.ts'), '--port=0'], core: pinning.loadCore, cwd: repoRoot, env: process.env, stdout: 'pipe' });
  const results: ScenarioResult[] = [];
  try {
    const { url } = JSON.parse(await firstLine(upstream, 15_000)) as { url: string };
    const cpuProfileDir = options.cpuProfile ? join(options.resultsDir, 'profiles') : null;
    if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
    const context: TargetContext = { repoRoot, upstreamUrl: url, profile: options.profile, pinning, cpuProfileDir, tollgate: options.tollgate };
    for (const scenario of scenarios) {
      if (options.only && !options.only.has(scenario.id)) continue;
      const reason = scenario.unavailable(available);
      if (reason !== null) {
        log(`bench: ${scenario.id}: ${reason}`);
        results.push(emptyResult(scenario, 'not-run', reason));
        continue;
      }
      log(`bench: ${scenario.id}`);
      let result: ScenarioResult;
      try {
        result = await measureScenario(scenario, context, log);
      } catch (error) {
        result = emptyResult(scenario, 'failed', (error as Error).message);
      }
      // A peer or reference that cannot be installed or started is unavailable, never a failure of the run.
      if ((scenario.kind === 'peer' || scenario.kind === 'reference') && result.status === 'failed') result = { ...result, status: 'not-run', note: `unavailable: ${result.note}` };
      if (result.status !== 'measured') log(`bench: ${scenario.id}: ${result.note}`);
      results.push(result);
    }
  } finally {
    await stopProcess(upstream, 2000);
  }

  const report: RunReport = {
    startedAt,
    elapsedMs: Date.now() - startedAt.getTime(),
    system,
    pinning,
    profile: options.profile,
    results,
    goals: evaluateGoals(new Map(results.map((result) => [result.id, result])), options.profile),
    argv: options.argv,
    tollgate: options.tollgate,
    loadAverageEnd: Math.round(loadavg()[0] * 100) / 100,
  };
  const markdown = renderReport(report);
  mkdirSync(options.resultsDir, { recursive: true });
  const name = `${stamp(startedAt)}-${system.commit}${options.profile.name === 'quick' ? '-quick' : ''}.md`;
  writeFileSync(join(options.resultsDir, name), markdown);
  const complete = options.profile.name === 'full' && options.only === null;
  if (complete) writeFileSync(join(options.resultsDir, 'latest.md'), markdown);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${markdown}\n`);
  log(`bench: written ${join(options.resultsDir, name)}${complete ? ' and latest.md' : ''}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
