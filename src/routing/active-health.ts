import type { Logger } from 'pino';
import { UpstreamClient } from '../upstream/upstream-client.ts';
import type { RoutedTarget } from './target.ts';

export interface ActiveCheck {
  targets: RoutedTarget[];
  intervalMs: number;
  path: string;
  timeoutMs: number;
}

/**
 * Active health checks for self-hosted upstreams: every interval, a cheap GET {base_url}{path}
 * (default /models) per provider. An answer below 500 closes the circuit of that provider's
 * targets; no answer (or a 5xx) opens it, so traffic stops before a real request fails.
 * Timers are unref'd: they never keep the process alive.
 */
export class ActiveHealthChecker {
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #upstream: UpstreamClient;
  readonly #ownsUpstream: boolean;
  readonly #logger: Logger | undefined;
  #stopped = false;

  constructor(checks: ActiveCheck[], upstream: UpstreamClient | undefined, logger: Logger | undefined) {
    this.#upstream = upstream ?? new UpstreamClient({ connections: 2, keepAliveTimeout: 4_000 });
    this.#ownsUpstream = upstream === undefined;
    this.#logger = logger;
    for (const check of checks) {
      const byProvider = new Map<string, RoutedTarget[]>();
      for (const target of check.targets) {
        const list = byProvider.get(target.provider.settings.name) ?? [];
        list.push(target);
        byProvider.set(target.provider.settings.name, list);
      }
      for (const targets of byProvider.values()) {
        const timer = setInterval(() => void this.#check(targets, check), check.intervalMs);
        timer.unref();
        this.#timers.push(timer);
      }
    }
  }

  async #check(targets: RoutedTarget[], check: ActiveCheck): Promise<void> {
    if (this.#stopped) return;
    const settings = targets[0].provider.settings;
    const headers: Record<string, string> = { ...settings.headers };
    if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
    let healthy = false;
    try {
      const response = await this.#upstream.request({
        url: settings.baseUrl.replace(/\/+$/, '') + check.path,
        method: 'GET',
        headers,
        signal: AbortSignal.timeout(check.timeoutMs),
        timeouts: { connect: check.timeoutMs, firstByte: check.timeoutMs, idle: check.timeoutMs, total: check.timeoutMs },
        provider: settings.name,
      });
      await response.body.dump().catch(() => {});
      healthy = response.status < 500;
    } catch {
      healthy = false;
    }
    if (this.#stopped) return;
    const now = performance.now();
    for (const target of targets) {
      const before = target.health.state;
      target.health.recordCheck(now, healthy);
      if (before !== target.health.state) this.#logger?.warn({ provider: settings.name, model: target.model, state: target.health.state }, 'active health check changed a target state');
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.length = 0;
    if (this.#ownsUpstream) await this.#upstream.close();
  }
}
