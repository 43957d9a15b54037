import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from './start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn, type StandInHandler } from './stand-in-server.ts';

/** How a test points a gateway at its stand-in: an inline config (default `{}`) and the environment, from the stand-in's URL. */
export type GatewaySetup = (upstreamUrl: string) => { config?: string; env?: NodeJS.ProcessEnv };

/** A stand-in provider, a gateway in front of it and an OpenAI SDK client of that gateway. */
export interface ProviderGateway {
  upstream: StandIn;
  gateway: RunningGateway;
  client: OpenAI;
  /** Closes the gateway, then the stand-in. */
  close(): Promise<void>;
}

/**
 * Starts a stand-in answering with `handler`, then a gateway set up from its URL. The client does
 * not retry, so each call the test makes is at most one upstream request.
 */
export async function startProviderGateway(handler: StandInHandler, setup: GatewaySetup): Promise<ProviderGateway> {
  const upstream = await startStandIn(handler);
  const { config = '{}', env = {} } = setup(upstream.url);
  const gateway = await startGateway(config, env);
  const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  return {
    upstream,
    gateway,
    client,
    close: async () => {
      await gateway.close();
      await upstream.close();
    },
  };
}

/**
 * Runs `check` against its own stand-in and gateway, closed after whatever happens. For failures:
 * they feed the gateway's passive health (a 429 starts a cooldown, errors count toward the circuit
 * breaker), which a shared gateway would carry into the next test.
 */
export async function withProviderGateway(handler: StandInHandler, setup: GatewaySetup, check: (client: OpenAI, upstream: StandIn) => Promise<void>): Promise<void> {
  const running = await startProviderGateway(handler, setup);
  try {
    await check(running.client, running.upstream);
  } finally {
    await running.close();
  }
}

/**
 * The one request the stand-in got since its list was last emptied, checked to be a JSON POST to
 * `path`. Each provider then checks its own auth and headers on it.
 */
export function onlyRequest(upstream: StandIn, path: string): RecordedRequest {
  assert.equal(upstream.requests.length, 1);
  const [request] = upstream.requests;
  assert.equal(request.method, 'POST');
  assert.equal(request.path, path);
  assert.match(String(request.headers['content-type']), /^application\/json/);
  return request;
}
