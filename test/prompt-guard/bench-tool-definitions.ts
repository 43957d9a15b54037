/**
 * CPU that prompt-guard spends on a chat request carrying 30 realistic tool definitions
 * (tool-definitions.ts) and a short conversation, through the plugin's onRequest:
 *
 *   node test/prompt-guard/bench-tool-definitions.ts [--baseline <checkout>] [--rounds 7] [--requests 200]
 *
 * "cold": every request's tools are new to the scorer (each description gets a unique suffix), as on
 * the first turn of an agent; "warm": the same tools every request, as on its later turns (tool
 * definitions are remembered by their SHA-256). `--baseline` runs another checkout's plugin on the
 * same requests, round by round in the same process (a checkout from before tool definitions were
 * read shows what the conversation alone costs). CPU time per request, medians of the rounds.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { realisticTools, type ChatTool } from './tool-definitions.ts';

const { values } = parseArgs({ options: { baseline: { type: 'string' }, rounds: { type: 'string', default: '7' }, requests: { type: 'string', default: '200' } } });
const rounds = Number(values.rounds);
const requests = Number(values.requests);

type OnRequest = (ctx: unknown) => void;

async function pluginFrom(root: string): Promise<OnRequest> {
  const index = (await import(pathToFileURL(resolve(root, 'src/plugins/prompt-guard/index.ts')).href)) as { createPromptGuardPlugin: (config: unknown, deps: unknown) => { onRequest: OnRequest } };
  const config = (await import(pathToFileURL(resolve(root, 'src/plugins/prompt-guard/prompt-guard-config.ts')).href)) as { promptGuardConfigSchema: { parse(value: unknown): unknown } };
  const logger = { warn() {}, info() {}, error() {} };
  const plugin = index.createPromptGuardPlugin(config.promptGuardConfigSchema.parse({ action: 'flag' }), { logger });
  return (ctx) => plugin.onRequest(ctx);
}

const messages = [
  { role: 'system', content: 'You are a coding assistant for the Acme monorepo. Use the tools to read and change files; run the tests before you say you are done.' },
  { role: 'user', content: 'The nightly export job fails with a timeout since yesterday. Can you find out why and fix it? The logs are in logs/export.log.' },
];

let serial = 0;
function request(fresh: boolean): unknown {
  serial++;
  const tools: ChatTool[] = fresh ? realisticTools.map((tool) => ({ ...tool, function: { ...tool.function, description: `${tool.function.description} (rev ${serial})` } })) : realisticTools;
  return { id: `r${serial}`, operation: 'chat', body: { model: 'm', messages, tools }, state: new Map() };
}

function cpuMicros(run: OnRequest, fresh: boolean): number {
  const bodies = Array.from({ length: requests }, () => request(fresh));
  const started = process.cpuUsage();
  for (const body of bodies) run(body);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / requests;
}

const median = (numbers: number[]) => [...numbers].sort((left, right) => left - right)[Math.floor(numbers.length / 2)]!;

const current = await pluginFrom(resolve(import.meta.dirname, '../..'));
const baseline = values.baseline === undefined ? null : await pluginFrom(values.baseline);
const results: Record<string, number[]> = {};
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of [['now', current], ...(baseline ? [['baseline', baseline] as const] : [])] as Array<[string, OnRequest]>) {
    for (const fresh of [true, false]) (results[`${name} ${fresh ? 'cold' : 'warm'}`] ??= []).push(cpuMicros(run, fresh));
  }
}
const totalCharacters = realisticTools.reduce((sum, tool) => sum + JSON.stringify(tool).length, 0);
console.log(`${realisticTools.length} tools (${(totalCharacters / 1024).toFixed(1)} KB of JSON), ${requests} requests a round, ${rounds} rounds: CPU per request (median)`);
for (const [name, samples] of Object.entries(results)) console.log(`  ${name.padEnd(14)} ${(median(samples) / 1000).toFixed(3)} ms`);
