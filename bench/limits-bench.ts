/**
 * Micro-benchmark of the rate-limit plugin's per-request cost: the access phase (estimate the
 * prompt, check and charge every counter) plus the log phase (reconcile with the usage), with a
 * requests limit and a tokens limit per key, in memory. `npm run bench:limits` (add `-- --redis`
 * to measure the Redis backend at REDIS_URL as well).
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import * as hdr from 'hdr-histogram-js';
import type { RequestContext } from '../src/pipeline/context.ts';
import { rateLimitConfigSchema } from '../src/plugins/rate-limit/rate-limit-config.ts';
import { RateLimiter } from '../src/plugins/rate-limit/rate-limiter.ts';
import { GatewayMetrics } from '../src/telemetry/metrics.ts';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 200_000);
const warmup = 20_000;
const keys = 1000;

function context(index: number): RequestContext {
  const body = { model: 'openai/gpt-4o-mini', max_tokens: 256, messages: [{ role: 'system' as const, content: 'You are a helpful assistant. Answer briefly.' }, { role: 'user' as const, content: `Question number ${index}: what is the capital of France, and why is it famous?` }] };
  return {
    id: `bench-${index}`,
    operation: 'chat',
    body,
    headers: {},
    requestedModel: body.model,
    caller: { key: `key-${index % keys}`, team: 'bench' },
    route: null,
    // Driven outside the pipeline: prices come from the requested name.
    routePlan: null,
    target: { model: 'gpt-4o-mini', provider: { settings: { name: 'openai', type: 'openai' } } },
    status: 200,
    usage: { prompt_tokens: 40, completion_tokens: 60, total_tokens: 100 },
    state: new Map(),
    clientIp: '127.0.0.1',
  } as unknown as RequestContext;
}

async function measure(label: string, config: unknown): Promise<void> {
  const limiter = new RateLimiter(rateLimitConfigSchema.parse(config), { logger: pino({ level: 'silent' }), metrics: new GatewayMetrics() });
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: 3 });
  const remote = limiter.backend.kind === 'redis';
  const started = performance.now();
  for (let index = 0; index < iterations + warmup; index++) {
    // Built outside the timed part; not kept, so the heap stays the size of a running gateway's.
    const ctx = context(index);
    const before = process.hrtime.bigint();
    const pending = limiter.onRequest(ctx);
    if (pending) await pending;
    limiter.onLog(ctx);
    const nanoseconds = Number(process.hrtime.bigint() - before);
    if (index >= warmup) histogram.recordValue(nanoseconds);
    if (index === warmup - 1 && remote) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const micro = (value: number) => (value / 1000).toFixed(2);
  console.log(
    `${label.padEnd(44)} n=${iterations}  mean ${micro(histogram.mean)} µs  p50 ${micro(histogram.getValueAtPercentile(50))} µs  p99 ${micro(histogram.getValueAtPercentile(99))} µs  p99.9 ${micro(histogram.getValueAtPercentile(99.9))} µs  (${Math.round((iterations + warmup) / seconds)} req/s on one core)`,
  );
  await limiter.close();
}

const requestsAndTokens = [
  { scope: 'key', requests: 1_000_000, per: 'minute' },
  { scope: 'key', tokens: 1_000_000_000, per: 'minute' },
];

console.log(`rate-limit plugin, onRequest + onLog per request (Node ${process.version})`);
await measure('no limits (fast path)', {});
await measure('memory: requests + tokens per key', { limits: requestsAndTokens });
await measure('memory: + team cost_usd budget per month', { limits: [...requestsAndTokens, { scope: 'team', cost_usd: 1_000_000, per: 'month', alerts: [] }] });
if (process.argv.includes('--redis')) {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  await measure('redis: requests + tokens per key (sequential)', { backend: 'redis', redis_url: url, key_prefix: `bench:${Date.now()}:`, limits: requestsAndTokens });
}
