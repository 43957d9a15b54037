import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { formatIssues } from '../../config/format-issues.ts';
import { errors } from '../../errors/catalogue.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { IdentityCache } from '../../identity/identity-cache.ts';
import { configConsumerId } from '../../identity/consumer-identity.ts';
import { declaredKeyId, hashKeySecret } from '../../identity/key-secret.ts';
import { writeJson, writeOpenAIError } from '../../server/write-response.ts';
import { StoreUnavailableError, type Store } from '../../store/store.ts';
import type { UsageLedger } from '../../usage/usage-ledger.ts';
import { ownUsageQuerySchema, toUsageQuery, usageReportBody, UsageQueryError } from '../../usage/usage-report-query.ts';
import { keyAuthConfigSchema } from '../key-auth/key-auth-config.ts';
import { keyAuthErrors } from '../../errors/authentication-errors.ts';
import { readCredentials } from '../key-auth/read-credentials.ts';

export interface OwnUsageDependencies {
  store: Pick<Store, 'usageReport'>;
  /** Flushed first, so a request that just finished on this node is in the answer. */
  ledger?: Pick<UsageLedger, 'flush'>;
  /** Keys from the store. */
  identity?: IdentityCache;
  /** The running config's `plugins.key-auth` (its declared keys); read per request, a reload changes it. */
  keyAuthConfig: () => unknown;
  logger: Logger;
}

/** Who presented the key: the ledger's key id, consumer name and consumer id, as key-auth records them. */
interface Owner {
  keyId: string;
  consumer: string | null;
  /** What `scope=consumer` reads: the consumer's id (src/identity/consumer-identity.ts), never its name. */
  consumerId: string | null;
}

export type OwnUsageHandler = (request: IncomingMessage, response: ServerResponse, requestId: string) => Promise<void>;

/** The paths of the own-usage endpoint (with and without /v1, like every data-plane path). */
export const ownUsagePaths: ReadonlySet<string> = new Set(['/v1/tollgate/usage', '/tollgate/usage']);

// Declared keys by SHA-256, once per config object (a reload makes a new one).
const declaredByConfig = new WeakMap<object, Map<string, Owner>>();

function declaredOwners(config: unknown): Map<string, Owner> {
  if (config === null || typeof config !== 'object') return new Map();
  let owners = declaredByConfig.get(config);
  if (!owners) {
    owners = new Map();
    const parsed = keyAuthConfigSchema.safeParse(config);
    // The same ids key-auth gives declared keys, so the ledger matches.
    if (parsed.success) for (const entry of parsed.data.keys) if (entry.key !== '') owners.set(hashKeySecret(entry.key), { keyId: declaredKeyId(entry.key), consumer: entry.consumer, consumerId: configConsumerId(entry.consumer) });
    declaredByConfig.set(config, owners);
  }
  return owners;
}

/**
 * `GET /v1/tollgate/usage` on the data plane: a caller's own spend, authenticated by the caller's
 * Tollgate key exactly as key-auth checks it (unknown, disabled, expired, IP rules) — but with no
 * model rule, since no model is called. The answer covers only that key (`scope=key`, default)
 * or every key of its consumer (`scope=consumer`, by the consumer's id); nobody else's usage is
 * reachable, also not that of another consumer of the same name.
 */
export function createOwnUsageHandler(dependencies: OwnUsageDependencies): OwnUsageHandler {
  function authenticate(request: IncomingMessage): Owner {
    const credentials = readCredentials(request.headers);
    if (credentials.length === 0) throw keyAuthErrors.missingKey();
    const declared = declaredOwners(dependencies.keyAuthConfig());
    for (const credential of credentials) {
      const hash = hashKeySecret(credential);
      const fromConfig = declared.get(hash);
      if (fromConfig) return fromConfig;
      const cached = dependencies.identity?.lookup(hash);
      if (!cached) continue;
      const consumer = dependencies.identity!.consumer(cached.key.consumer_id);
      if (!cached.key.enabled) throw keyAuthErrors.invalidKey('disabled');
      if (consumer?.enabled === false) throw keyAuthErrors.invalidKey('consumer_disabled');
      if (Date.now() >= cached.expiresAt) throw keyAuthErrors.invalidKey('expired');
      if (cached.rules.ips && !cached.rules.ips(request.socket.remoteAddress)) throw keyAuthErrors.ipNotAllowed();
      return { keyId: cached.key.id, consumer: consumer?.name ?? cached.key.consumer_id, consumerId: cached.key.consumer_id };
    }
    throw keyAuthErrors.invalidKey('unknown');
  }

  return async (request, response, requestId) => {
    const headers = { 'x-request-id': requestId };
    try {
      // HEAD answers as GET without the body (Node's server leaves a HEAD response's body out).
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        writeOpenAIError(response, errors.methodNotAllowed(request.method ?? '', '/v1/tollgate/usage'), { ...headers, allow: 'GET, HEAD' });
        return;
      }
      const owner = authenticate(request);
      const search = new URL(request.url ?? '/', 'http://gateway').searchParams;
      const parsed = ownUsageQuerySchema.safeParse(Object.fromEntries(search));
      if (!parsed.success) throw errors.invalidRequest(`Invalid query: ${formatIssues(parsed.error.issues).join('; ')}`);
      const { scope = 'key', ...parameters } = parsed.data;
      if (scope === 'consumer' && owner.consumerId === null) throw errors.invalidRequest('This key has no consumer; use scope=key.', 'scope');
      // The consumer by id: a consumer that carries a deleted one's name, or a declared key's
      // consumer's, sees only its own keys' records.
      const query = toUsageQuery({ ...parameters, ...(scope === 'key' ? { key: owner.keyId } : { consumer_id: owner.consumerId! }) });
      await dependencies.ledger?.flush();
      const report = await dependencies.store.usageReport(query);
      writeJson(response, 200, { ...usageReportBody(query, report), scope, key: owner.keyId, consumer: owner.consumer, consumer_id: owner.consumerId }, headers);
    } catch (error) {
      let gatewayError: GatewayError;
      if (error instanceof GatewayError) gatewayError = error;
      else if (error instanceof UsageQueryError) gatewayError = errors.invalidRequest(error.message);
      // A database outage: 503 with Retry-After, which retrying cures (logged once by the store).
      else if (error instanceof StoreUnavailableError) gatewayError = errors.storeUnavailable();
      else {
        dependencies.logger.error({ err: error, requestId }, 'the own-usage endpoint failed');
        gatewayError = errors.internal();
      }
      if (!response.headersSent) writeOpenAIError(response, gatewayError, headers);
    }
  };
}
