import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { Usage } from '../canonical/chat.ts';
import type { CanonicalRequest, Operation } from '../canonical/operation.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { ClientFormat } from '../providers/provider.ts';
import type { CompiledRoute } from '../routing/router.ts';
import type { Target } from '../routing/target.ts';

/** Who is calling, once an auth plugin has said so (anonymous otherwise). */
export interface Caller {
  consumer?: string;
  key?: string;
  team?: string;
  metadata?: Record<string, string>;
}

/**
 * Everything one request carries through the phases. Plugins keep their own state under
 * `state.get(pluginName)`, never in shared fields.
 */
export interface RequestContext {
  readonly id: string;
  /** performance.now() when the request arrived. */
  readonly receivedAt: number;
  /** Wall-clock time of arrival (ms since epoch), for logs and records. */
  readonly startedAt: number;
  readonly clientFormat: ClientFormat;
  readonly operation: Operation;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly clientIp: string | undefined;
  /** The client's body bytes, exactly as received. */
  readonly rawBody: Buffer;
  /** The parsed body; plugins that change it must set `bodyChanged`. */
  body: CanonicalRequest;
  bodyChanged: boolean;
  /** The model the client asked for. */
  readonly requestedModel: string;
  readonly stream: boolean;
  /** Aborted when the client disconnects before the response is complete. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  caller: Caller;
  route: CompiledRoute | null;
  /** The target that served (or last failed) the request. */
  target: Target | null;
  /** The target whose in-flight count this request holds until the log phase. */
  inFlightTarget: Target | null;
  attempts: number;
  /** Set by the pipeline when the response is done. */
  status: number;
  error: GatewayError | null;
  usage: Usage | null;
  /** performance.now() when the provider's response headers (or first chunk) arrived. */
  upstreamStartedAt: number;
  upstreamFirstByteAt: number;
  finishedAt: number;
  bytesOut: number;
  state: Map<string, unknown>;
}
