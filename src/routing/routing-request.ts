import type { IncomingHttpHeaders } from 'node:http';
import type { CanonicalRequest, Operation } from '../canonical/operation.ts';

/** Who is calling, as far as routing cares (the pipeline's Caller fits). */
export interface RoutingCaller {
  consumer?: string;
  key?: string;
  team?: string;
  metadata?: Record<string, string>;
  /** The models the caller's key may call, when it limits them: the group a route picks must be one (src/identity/routed-model-rule.ts). */
  allowsModel?: (model: string) => boolean;
}

/**
 * What routing reads from a request. The pipeline's RequestContext satisfies it, so routing
 * depends on no pipeline type and the router functions can be driven directly (tests, bench).
 */
export interface RoutingRequest {
  readonly id: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly operation: Operation;
  readonly requestedModel: string;
  readonly body: CanonicalRequest;
  readonly caller: RoutingCaller;
}
