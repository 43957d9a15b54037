import type { Provider } from '../providers/provider.ts';

/** One place a request can go: a provider and its model name. */
export interface Target {
  provider: Provider;
  model: string;
  weight: number;
  priority: number;
  /** Requests in flight to this target (kept by the pipeline; read by least-busy). */
  inFlight: number;
}

/** A model name clients can use and the targets that serve it. */
export interface ModelGroup {
  name: string;
  strategy: 'priority' | 'weighted' | 'least-busy';
  targets: Target[];
  /** Orders the targets for one request: the first is tried first, the rest are failovers. */
  order(): Target[];
}
