import type { RetryConfig } from '../config/schema.ts';
import type { Provider } from '../providers/provider.ts';
import type { ModelPrice } from './price-lookup.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { RetryBudget } from './retry-budget.ts';
import type { SelectionInput, StrategyName } from './strategies.ts';
import type { TargetHealth } from './target-health.ts';

/** One place a request can go: a provider and its model name (what the pipeline and logs see). */
export interface Target {
  provider: Provider;
  model: string;
  weight: number;
  priority: number;
  /** Requests in flight to this target (kept by the pipeline; read by least-busy). */
  inFlight: number;
}

/** A target inside a model group, with what routing knows of it. */
export interface RoutedTarget extends Target {
  /** `provider/model` (with `#n` when a group names the same pair twice); stable across reloads. */
  id: string;
  /** Position in the group's target list. */
  index: number;
  region: string | null;
  price: ModelPrice;
  /** Shared by every group that names the same provider and model. */
  health: TargetHealth;
}

/** A model name clients can use, the targets that serve it, and how one is chosen. */
export interface ModelGroup {
  name: string;
  strategy: StrategyName;
  targets: RoutedTarget[];
  /** Retry settings: routing.retry with the group's own overrides. */
  retry: RetryPolicy;
  /** The same before compiling, for routes that layer their own overrides on top. */
  retryConfig: RetryConfig;
  /** Caps retries across every request to this group. */
  budget: RetryBudget;
  /** The largest known context window among the targets (null when one is unknown). */
  largestContextWindow: number | null;
  /**
   * Orders the usable targets for one request: the first is tried first, the rest are failovers.
   * `usable` is a subset of `targets` in list order (health, region and credentials applied).
   */
  order(usable: readonly RoutedTarget[], input: SelectionInput): readonly RoutedTarget[];
}
