import { SlidingWindow } from './sliding-window.ts';

/** Passive-health settings, compiled from `routing.health` (milliseconds). */
export interface HealthSettings {
  /** Failures in a row that open the circuit; 0 turns this check off. */
  consecutiveFailures: number;
  /** Failure share in the window that opens the circuit; null turns this check off. */
  errorRate: { threshold: number; windowMs: number; minRequests: number } | null;
  cooldownMs: number;
  maxCooldownMs: number;
  rateLimitCooldownMs: number;
  /** When every target of the last group is out: true answers 503 at once, false tries them anyway. */
  failFast: boolean;
}

export const defaultHealthSettings: HealthSettings = {
  consecutiveFailures: 5,
  errorRate: null,
  cooldownMs: 5_000,
  maxCooldownMs: 300_000,
  rateLimitCooldownMs: 1_000,
  failFast: false,
};

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Weight of the newest sample in the latency average. */
const latencyAlpha = 0.3;
/** A latency sample older than this is treated as unknown, so a target once slow is tried again. */
const latencyStaleMs = 60_000;

/**
 * The health of one upstream (provider + model), shared by every group that names it:
 * a circuit breaker fed by real attempts (and optional active checks), a rate-limit cooldown,
 * and an EWMA of time to first byte. Times are performance.now() milliseconds.
 */
export class TargetHealth {
  readonly settings: HealthSettings;
  state: CircuitState = 'closed';
  /** When an open circuit may let a half-open probe through. */
  openUntil = 0;
  /** How many times in a row the circuit has opened (the cooldown doubles each time). */
  openings = 0;
  probeInFlight = false;
  consecutiveFailures = 0;
  /** A 429 (or 503 with Retry-After) keeps the target out of rotation until then. */
  cooldownUntil = 0;
  /** When the last rate limit was recorded: answers to attempts sent before it say nothing about it. */
  #cooldownStartedAt = 0;
  latencyMs = 0;
  latencySamples = 0;
  lastSampleAt = 0;
  readonly #window: SlidingWindow | null;

  constructor(settings: HealthSettings) {
    this.settings = settings;
    this.#window = settings.errorRate ? new SlidingWindow(settings.errorRate.windowMs) : null;
  }

  /** True when a strategy may pick this target now (closed, or a half-open probe is due). */
  isAvailable(now: number): boolean {
    if (now < this.cooldownUntil) return false;
    if (this.state === 'closed') return true;
    if (this.probeInFlight) return false;
    return this.state === 'half-open' || now >= this.openUntil;
  }

  /**
   * When the target is worth waiting for within a request: the end of a rate-limit cooldown.
   * An open circuit is never waited for (Infinity): it means fail fast.
   */
  availableAt(now: number): number {
    if (this.state !== 'closed' && !(this.state === 'open' && now >= this.openUntil && !this.probeInFlight)) return Infinity;
    return Math.max(now, this.cooldownUntil);
  }

  /**
   * Called as an attempt starts; returns true when the attempt is the half-open probe. An attempt
   * on a target that is not available (the last-resort try when a whole group is out) is no probe.
   */
  beginAttempt(now: number): boolean {
    if (this.state === 'closed' || this.probeInFlight) return false;
    if (this.state === 'open') {
      if (now < this.openUntil) return false;
      this.state = 'half-open';
    }
    this.probeInFlight = true;
    return true;
  }

  /**
   * The attempt got an answer from the upstream (any status it is not to blame for). An attempt
   * sent after a rate-limit cooldown began and answered ends the cooldown: the target takes
   * requests again, whatever Retry-After said (`sentAt` unknown: the cooldown stays).
   */
  recordSuccess(now: number, isProbe: boolean, latencyMs: number | null, sentAt?: number): void {
    if (isProbe) this.probeInFlight = false;
    this.consecutiveFailures = 0;
    if (sentAt !== undefined && this.cooldownUntil > now && sentAt >= this.#cooldownStartedAt) this.cooldownUntil = 0;
    this.#window?.add(now, 1, 0);
    // A late answer to a request sent before the circuit opened does not close it; a probe does.
    if (this.state === 'half-open' || (this.state === 'open' && isProbe)) {
      this.state = 'closed';
      this.openings = 0;
    }
    if (latencyMs !== null) this.recordLatency(now, latencyMs);
  }

  /** The attempt failed in a way that speaks about the upstream's health (connect, timeout, 5xx). */
  recordFailure(now: number, isProbe: boolean, latencyMs: number | null): void {
    if (isProbe) this.probeInFlight = false;
    this.consecutiveFailures++;
    this.#window?.add(now, 1, 1);
    if (latencyMs !== null) this.recordLatency(now, latencyMs);
    if (this.state === 'half-open' || (isProbe && this.state === 'open')) {
      this.#open(now);
      return;
    }
    if (this.state === 'open') return;
    const { consecutiveFailures, errorRate } = this.settings;
    if (consecutiveFailures > 0 && this.consecutiveFailures >= consecutiveFailures) {
      this.#open(now);
      return;
    }
    if (errorRate && this.#window) {
      const { first: attempts, second: failures } = this.#window.totals(now);
      if (attempts >= errorRate.minRequests && failures / attempts >= errorRate.threshold) this.#open(now);
    }
  }

  /**
   * A 429 (or 503 with Retry-After): this target only rests, it is not broken. A wait that never
   * ends (Infinity: an account out of credit, isQuotaExhausted) rests it for `max_cooldown`, the
   * longest an open circuit rests: requests go to the group's other targets first meanwhile, and
   * after it one request finds out whether credit was added.
   */
  recordRateLimit(now: number, isProbe: boolean, retryAfterMs: number | null): void {
    if (isProbe) {
      this.probeInFlight = false;
      this.state = 'closed';
      this.openings = 0;
    }
    this.consecutiveFailures = 0;
    this.#cooldownStartedAt = now;
    const restMs = retryAfterMs === Infinity ? this.settings.maxCooldownMs : (retryAfterMs ?? this.settings.rateLimitCooldownMs);
    this.cooldownUntil = Math.max(this.cooldownUntil, now + restMs);
  }

  /** The attempt ended without a verdict (client gone, plugin threw): free the probe slot. */
  abandon(isProbe: boolean): void {
    if (isProbe) this.probeInFlight = false;
  }

  /** An active health check's verdict. */
  recordCheck(now: number, healthy: boolean): void {
    if (healthy) {
      if (this.state !== 'closed') {
        this.state = 'closed';
        this.openings = 0;
        this.consecutiveFailures = 0;
      }
    } else if (this.state === 'closed' || now >= this.openUntil) {
      this.#open(now);
    }
  }

  recordLatency(now: number, latencyMs: number): void {
    this.latencyMs = this.latencySamples === 0 || now - this.lastSampleAt > latencyStaleMs ? latencyMs : this.latencyMs + latencyAlpha * (latencyMs - this.latencyMs);
    this.latencySamples++;
    this.lastSampleAt = now;
  }

  /** The latency estimate, or null when there is no recent sample (worth exploring). */
  latencyEstimate(now: number): number | null {
    return this.latencySamples === 0 || now - this.lastSampleAt > latencyStaleMs ? null : this.latencyMs;
  }

  #open(now: number): void {
    this.openings++;
    const cooldown = Math.min(this.settings.maxCooldownMs, this.settings.cooldownMs * 2 ** (this.openings - 1));
    this.state = 'open';
    this.openUntil = now + cooldown;
    this.consecutiveFailures = 0;
    this.#window?.reset();
  }
}
