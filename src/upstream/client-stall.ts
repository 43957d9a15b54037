import { GatewayError } from '../errors/gateway-error.ts';
import type { UpstreamTimeouts } from './upstream-client.ts';

/** The least a client that stopped reading is waited for, however short the provider's idle timeout. */
const shortestStallMs = 60_000;

/**
 * How long a client may take none of a stream's bytes (the gateway has paused the provider for it,
 * or waits for its socket to drain) before the gateway closes the connection: the longer of the
 * provider's idle timeout and a minute, and never past the attempt's total timeout. Without it a
 * client that never reads again would hold its request, its limits' slots and the upstream
 * connection for good.
 */
export function clientStallLimit(timeouts: UpstreamTimeouts): number {
  return Math.min(timeouts.total, Math.max(timeouts.idle > 0 ? timeouts.idle : timeouts.total, shortestStallMs));
}

export function isClientStall(error: unknown): error is GatewayError {
  return error instanceof GatewayError && error.code === 'client_stalled';
}
