import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { Caller, RequestContext } from '../../src/pipeline/context.ts';
import { createContext } from '../../src/pipeline/create-context.ts';
import type { Usage } from '../../src/canonical/chat.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';
import type { PluginDependencies } from '../../src/pipeline/plugin.ts';
import type { PricingConfig } from '../../src/usage/pricing-config.ts';

let sequence = 0;

/** A request context as the pipeline builds it, for driving a plugin's hooks directly. */
export function limitContext(fields: { caller?: Caller; model?: string; content?: string; maxTokens?: number; headers?: Record<string, string>; provider?: { name: string; type: string } } = {}): RequestContext {
  const model = fields.model ?? 'echo/x';
  const body = { model, messages: [{ role: 'user' as const, content: fields.content ?? 'hello there' }], ...(fields.maxTokens ? { max_tokens: fields.maxTokens } : {}) };
  const provider = fields.provider ?? { name: 'echo', type: 'echo' };
  const request = { method: 'POST', headers: fields.headers ?? {}, socket: { remoteAddress: '127.0.0.1' } } as unknown as IncomingMessage;
  const ctx = createContext({ id: `req-${++sequence}`, request, path: '/v1/chat/completions', clientFormat: 'openai', operation: 'chat', rawBody: Buffer.from(JSON.stringify(body)), body, signal: new AbortController().signal, logger: pino({ level: 'silent' }) });
  ctx.caller = fields.caller ?? {};
  ctx.target = { provider: { settings: provider } as never, model: model.slice(model.indexOf('/') + 1), weight: 1, priority: 0, inFlight: 0 } as never;
  ctx.attempts = 1;
  return ctx;
}

/** Marks a context finished as the pipeline does before the log phase. */
export function finish(ctx: RequestContext, status: number, usage: Usage | null): void {
  ctx.status = status;
  ctx.usage = usage;
}

/** Plugin dependencies with a logger whose lines the test can read. */
export function limitDependencies(pricing?: PricingConfig): { dependencies: PluginDependencies; lines: Array<Record<string, unknown>>; logger: Logger } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  return { dependencies: { logger, metrics: new GatewayMetrics(), pricing }, lines, logger };
}
