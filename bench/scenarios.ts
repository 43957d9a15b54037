import { startDirect } from './targets/direct.ts';
import { nginxInstallHint, startNginx } from './targets/nginx.ts';
import { startNodeProxy } from './targets/node-proxy.ts';
import { startPortkey } from './targets/portkey.ts';
import type { RunningTarget, TargetContext } from './targets/target.ts';
import { startScriptCommand, startTollgate } from './targets/tollgate.ts';

/** What a scenario measures; `memory` needs a process of its own (not `direct`). */
export type Measurement = 'throughput' | 'latency' | 'streams' | 'many-streams' | 'memory';

/** What the runner knows when it decides which scenarios can run. */
export interface Availability {
  providerTypes: ReadonlySet<string>;
  pluginNames: ReadonlySet<string>;
  /** --peer=none */
  peersOff: boolean;
  /** The nginx binary for the `nginx` reference, or null when there is none. */
  nginx: string | null;
}

export interface Scenario {
  /** For --only and file names. */
  id: string;
  /** The row's name in the report. */
  label: string;
  /**
   * baseline: direct; reference: a proxy that is not a gateway (nginx), to scale Tollgate's
   * numbers against; peer: another gateway. A reference or peer that cannot start is reported as
   * unavailable, never as a failure of the run.
   */
  kind: 'baseline' | 'reference' | 'tollgate' | 'peer';
  /** null when the scenario can run here; otherwise the status the report shows instead. */
  unavailable(available: Availability): string | null;
  start(context: TargetContext): Promise<RunningTarget>;
  measurements: Measurement[];
}

const everything: Measurement[] = ['throughput', 'latency', 'streams', 'many-streams', 'memory'];
const standinModels = { chat: 'standin/gpt-4o-mini', stream: 'standin/gpt-4o-mini', 'many-streams': 'standin-many/gpt-4o-mini' };

function missing(names: string[], present: ReadonlySet<string>): string[] {
  return names.filter((name) => !present.has(name));
}

/** Not available until every named plugin is registered (src/plugins/registry.ts). */
function needsPlugins(names: string[]): (available: Availability) => string | null {
  return (available) => {
    const absent = missing(names, available.pluginNames);
    return absent.length === 0 ? null : `not yet available: plugin${absent.length > 1 ? 's' : ''} ${absent.join(', ')} not registered`;
  };
}

/**
 * The model each translated scenario asks its provider for: a real model id of that provider, so
 * the request has the path and body the adapter builds for real users. Bedrock's holds the `:`
 * Converse paths percent-encode.
 */
export const translatedModels = { cohere: 'command-a-03-2025', ollama: 'llama3.2', bedrock: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' };

/**
 * An OpenAI-format client in front of a translated provider's stand-in format, as `translated` is
 * for Anthropic: bench/configs/translated-<type>.yaml names `<type>-standin` (and `-many` for the
 * 1,000 open streams, whose peak memory depends on each format's decoder).
 */
function translatedScenario(type: keyof typeof translatedModels, providerName: string): Scenario {
  const id = `translated-${type}`;
  const model = translatedModels[type];
  return {
    id,
    label: `tollgate translated (OpenAI client → ${providerName} upstream)`,
    kind: 'tollgate',
    unavailable: (available) => (available.providerTypes.has(type) ? null : 'skipped: adapter not present'),
    start: (context) =>
      startTollgate(context, {
        id,
        config: `${id}.yaml`,
        models: { chat: `${type}-standin/${model}`, stream: `${type}-standin/${model}`, 'many-streams': `${type}-standin-many/${model}` },
      }),
    measurements: ['throughput', 'latency', 'streams', 'many-streams', 'memory'],
  };
}

/**
 * Every target of a run, in the order they run and appear. Adding a scenario is adding an entry:
 * its config under bench/configs/, what it needs to be available, and what it measures.
 */
export const scenarios: Scenario[] = [
  {
    id: 'direct',
    label: 'direct (no gateway)',
    kind: 'baseline',
    unavailable: () => null,
    start: startDirect,
    measurements: ['throughput', 'latency', 'streams', 'many-streams'],
  },
  {
    // Not under --peer: it needs no install step and is what the 35% goal is measured against.
    id: 'nginx',
    label: 'reference: nginx reverse proxy (1 worker)',
    kind: 'reference',
    unavailable: (available) => (available.nginx ? null : `not measured: no nginx binary found; ${nginxInstallHint}`),
    start: startNginx,
    measurements: everything,
  },
  {
    // A bare Node proxy (issue 8's figure): node:http in, undici request() out, the body parsed and re-serialized, no policy.
    id: 'node-proxy',
    label: 'reference: bare Node proxy (node:http + undici request(), no policy)',
    kind: 'reference',
    unavailable: () => null,
    start: (context) => startNodeProxy(context),
    measurements: ['throughput', 'latency', 'streams', 'memory'],
  },
  {
    // The same bare proxy on undici's dispatch API: no stream object or promise per response.
    id: 'node-dispatch',
    label: 'reference: bare Node proxy on undici dispatch (no policy)',
    kind: 'reference',
    unavailable: () => null,
    start: (context) => startNodeProxy(context, 'node-dispatch-server.ts'),
    measurements: ['throughput', 'latency', 'streams', 'memory'],
  },
  {
    id: 'passthrough',
    // With the plugins on by default (metrics, cost, rate-limit without limits), access log off.
    label: 'tollgate passthrough',
    kind: 'tollgate',
    unavailable: () => null,
    start: (context) => startTollgate(context, { id: 'passthrough', config: 'passthrough.yaml', models: standinModels }),
    measurements: everything,
  },
  {
    id: 'passthrough-lean',
    label: 'tollgate passthrough, lean memory (npm run start:lean)',
    kind: 'tollgate',
    unavailable: () => null,
    start: (context) => startTollgate(context, { id: 'passthrough-lean', config: 'passthrough.yaml', models: standinModels, command: startScriptCommand(context.repoRoot, 'start:lean') }),
    measurements: everything,
  },
  {
    id: 'bare',
    label: 'tollgate passthrough, every plugin off',
    kind: 'tollgate',
    unavailable: (available) => (['metrics', 'cost', 'rate-limit'].every((name) => available.pluginNames.has(name)) ? null : 'skipped: the default plugins it turns off are not all registered'),
    start: (context) => startTollgate(context, { id: 'bare', config: 'passthrough-bare.yaml', models: standinModels }),
    measurements: ['throughput', 'latency', 'streams', 'memory'],
  },
  {
    id: 'access-log',
    label: 'tollgate passthrough + access log (json → /dev/null)',
    kind: 'tollgate',
    unavailable: () => null,
    start: (context) => startTollgate(context, { id: 'access-log', config: 'passthrough-access-log.yaml', models: standinModels, accessLog: true }),
    measurements: ['throughput', 'latency', 'streams', 'memory'],
  },
  {
    id: 'translated',
    label: 'tollgate translated (OpenAI client → Anthropic upstream)',
    kind: 'tollgate',
    unavailable: (available) => (available.providerTypes.has('anthropic') ? null : 'skipped: adapter not present'),
    start: (context) =>
      startTollgate(context, {
        id: 'translated',
        config: 'translated.yaml',
        models: { chat: 'anthropic-standin/claude-sonnet-4-5', stream: 'anthropic-standin/claude-sonnet-4-5', 'many-streams': 'anthropic-standin-many/claude-sonnet-4-5' },
      }),
    measurements: everything,
  },
  translatedScenario('cohere', 'Cohere'),
  translatedScenario('ollama', 'Ollama'),
  // SigV4-signed with the config's fake key pair, as users with AWS credentials pay for it.
  translatedScenario('bedrock', 'Bedrock'),
  {
    // OpenAI's Responses API in front of passthrough's OpenAI-format stand-in: every request and
    // every chunk translated both ways (src/formats/openai-responses/).
    id: 'responses',
    label: 'tollgate Responses API (OpenAI Responses client → OpenAI-format upstream)',
    kind: 'tollgate',
    unavailable: () => null,
    start: (context) => startTollgate(context, { id: 'responses', config: 'passthrough.yaml', models: standinModels, api: 'responses' }),
    measurements: ['throughput', 'latency', 'streams', 'memory'],
  },
  {
    id: 'production',
    label: 'tollgate production stack (key-auth, limits, PII mask, metrics, cost)',
    kind: 'tollgate',
    unavailable: needsPlugins(['key-auth', 'rate-limit', 'pii']),
    start: (context) => startTollgate(context, { id: 'production', config: 'production.yaml', models: standinModels, headers: { authorization: 'Bearer tg-bench-0123456789abcdef0123456789abcdef' } }),
    measurements: everything,
  },
  {
    id: 'cache-hit',
    label: 'tollgate exact-cache hit',
    kind: 'tollgate',
    unavailable: needsPlugins(['cache']),
    start: (context) => startTollgate(context, { id: 'cache-hit', config: 'cache-hit.yaml', models: standinModels }),
    measurements: ['throughput', 'latency', 'memory'],
  },
  {
    id: 'portkey',
    label: 'peer: Portkey gateway 1.15.2',
    kind: 'peer',
    unavailable: (available) => (available.peersOff ? 'skipped: --peer=none' : null),
    start: startPortkey,
    measurements: everything,
  },
];
