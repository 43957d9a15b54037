/**
 * Route resolution + target choice per request, for 1 route / 1 group versus 1,000 routes /
 * 100 groups (issue 4: the larger config must add < 50 µs p50). Runs the router functions the
 * pipeline runs (plan, decide, usable targets, strategy order) with stand-in providers: no
 * network, no HTTP. `npm run bench:routing`.
 */
import type { Operation } from '../src/canonical/operation.ts';
import { configSchema } from '../src/config/schema.ts';
import type { Provider, ProviderReply } from '../src/providers/provider.ts';
import { Router } from '../src/routing/router.ts';
import type { RoutingRequest } from '../src/routing/routing-request.ts';
import { usableTargets } from '../src/routing/selection.ts';
import { defaultTimeouts } from '../src/upstream/upstream-client.ts';

function provider(name: string): Provider {
  return {
    settings: { name, type: 'openai-compatible', apiKey: 'k', baseUrl: `http://127.0.0.1:9/${name}`, models: [], byok: false, headers: {}, timeouts: defaultTimeouts, options: {}, strictParams: false },
    nativeFormat: 'openai',
    operations: new Set<Operation>(['chat']),
    send: (): Promise<ProviderReply> => Promise.reject(new Error('bench')),
  };
}

const providers = new Map(['p0', 'p1', 'p2', 'p3', 'p4'].map((name) => [name, provider(name)]));
const strategies = ['weighted', 'priority', 'least-busy', 'lowest-latency', 'consistent-hash'];

function group(index: number): Record<string, unknown> {
  return {
    strategy: strategies[index % strategies.length],
    targets: [0, 1, 2].map((target) => ({ provider: `p${(index + target) % 5}`, model: `model-${index}-${target}`, weight: 1 + target })),
  };
}

/** 1 route and 1 group. */
function smallConfig(): unknown {
  return { models: { g0: group(0) }, routes: [{ name: 'only', match: { model: 'chat-0' }, model: 'g0' }] };
}

/**
 * 100 groups and 1,000 routes: 800 exact model names, 150 globs (half with a header condition),
 * 50 with content rules or a canary split.
 */
function largeConfig(): unknown {
  const models: Record<string, unknown> = {};
  for (let index = 0; index < 100; index++) models[`g${index}`] = group(index);
  const routes: unknown[] = [];
  for (let index = 0; index < 1000; index++) {
    const target = `g${index % 100}`;
    if (index < 150) routes.push({ name: `glob-${index}`, match: { model: `family-${index}-*`, ...(index % 2 ? { headers: { 'x-team': `team-${index}` } } : {}) }, model: target });
    else if (index < 200) {
      routes.push(
        index % 2
          ? { name: `rules-${index}`, match: { model: `chat-${index}` }, model: target, rules: [{ when: { tier: 'premium' }, model: `g${(index + 1) % 100}` }, { when: { prompt_tokens_above: 4000 }, model: `g${(index + 2) % 100}` }] }
          : { name: `split-${index}`, match: { model: `chat-${index}` }, split: [{ model: target, weight: 90 }, { model: `g${(index + 3) % 100}`, weight: 10 }] },
      );
    } else routes.push({ name: `exact-${index}`, match: { model: `chat-${index}` }, model: target });
  }
  return { models, routes };
}

function request(model: string, index: number): RoutingRequest {
  return {
    id: `r${index}`,
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', 'x-session-id': `s${index % 1000}` },
    operation: 'chat',
    requestedModel: model,
    body: { model, messages: [{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: 'Summarise the meeting notes in three bullet points.' }] },
    caller: { consumer: `c${index % 50}`, metadata: { tier: index % 3 === 0 ? 'premium' : 'free' } },
  };
}

const acceptAll = (): boolean => true;

/** What the pipeline does per request before calling a provider. */
function route(router: Router, routingRequest: RoutingRequest): string {
  const plan = router.plan(routingRequest.requestedModel, routingRequest.path, routingRequest.headers);
  const decision = router.decide(plan, routingRequest);
  const group = decision.groups[0];
  const now = performance.now();
  const ordered = group.order(usableTargets(group, decision.route, acceptAll, now), { request: routingRequest, facts: decision.facts, now });
  return ordered[0].model;
}

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function measure(label: string, router: Router, models: string[], distinct = 4096): { p50: number; p99: number; mean: number } {
  const requests = Array.from({ length: distinct }, (_, index) => request(models[index % models.length], index));
  let sink = 0;
  for (let index = 0; index < 50_000; index++) sink += route(router, requests[index % distinct]).length;
  const samples = 200_000;
  const timings = new Float64Array(samples);
  for (let index = 0; index < samples; index++) {
    const routingRequest = requests[(index + 50_000) % distinct];
    const started = process.hrtime.bigint();
    sink += route(router, routingRequest).length;
    timings[index] = Number(process.hrtime.bigint() - started) / 1000;
  }
  const sorted = timings.sort();
  let total = 0;
  for (const value of timings) total += value;
  const result = { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: total / samples };
  console.log(`${label.padEnd(46)} p50 ${result.p50.toFixed(2).padStart(6)} µs   p99 ${result.p99.toFixed(2).padStart(6)} µs   mean ${result.mean.toFixed(2).padStart(6)} µs${sink < 0 ? '' : ''}`);
  return result;
}

function build(raw: unknown): Router {
  const problems: string[] = [];
  const router = Router.build(configSchema.parse(raw), providers, problems);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return router;
}

const small = build(smallConfig());
const large = build(largeConfig());
const largeModels: string[] = [];
for (let index = 0; index < 1000; index += 7) {
  // Odd glob routes also need an x-team header; the even ones match on the model alone.
  if (index < 150 && index % 2 === 1) continue;
  largeModels.push(index < 150 ? `family-${index}-mini` : `chat-${index}`);
}
largeModels.push('chat-999', 'g42', 'p1/direct-model');

console.log(`routing bench (Node ${process.version}); times per request: plan + decide + usable targets + strategy order`);
const baseline = measure('1 route, 1 group', small, ['chat-0']);
const spread = measure('1,000 routes, 100 groups (mixed requests)', large, largeModels);
const last = measure('1,000 routes, 100 groups (last route only)', large, ['chat-999']);
const globs = measure('1,000 routes, 100 groups (glob routes only)', large, largeModels.filter((model) => model.startsWith('family-')));
// Every model name new: the glob candidate cache (10,000 names) fills and then every request scans the globs.
const unseen = measure('1,000 routes (glob, never-seen model names)', large, Array.from({ length: 260_000 }, (_, index) => `family-${(index % 75) * 2}-${index}`), 260_000);
const worst = Math.max(spread.p50, last.p50, globs.p50, unseen.p50);
console.log(`p50 overhead of 1,000 routes vs 1: ${(worst - baseline.p50).toFixed(2)} µs (budget 50 µs) -> ${worst - baseline.p50 < 50 ? 'OK' : 'OVER BUDGET'}`);
