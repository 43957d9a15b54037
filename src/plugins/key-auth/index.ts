import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { GatewayError } from '../../errors/gateway-error.ts';
import type { Caller, RequestContext } from '../../pipeline/context.ts';
import { storedCallerLimits } from '../../identity/stored-caller-limits.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import type { IdentityCache } from '../../identity/identity-cache.ts';
import { configConsumerId } from '../../identity/consumer-identity.ts';
import { configTeamId } from '../../identity/team-identity.ts';
import { declaredKeyId, hashKeySecret } from '../../identity/key-secret.ts';
import { compileRules, type KeyRules } from '../../identity/key-rules.ts';
import { keyAuthPriority } from './definition.ts';
import type { DeclaredKey, KeyAuthConfig } from './key-auth-config.ts';
import { keyAuthErrors } from '../../errors/authentication-errors.ts';
import { presentsCredential, readCredentials } from './read-credentials.ts';
import { unrecognizedCredential } from '../../pipeline/authentication.ts';

/** What a presented key resolves to, whichever source it came from. */
interface Identity {
  keyId: string;
  /** What refuses it when it is disabled: the key itself, or the consumer it belongs to; null when enabled. */
  disabled: 'key' | 'consumer' | null;
  expiresAt: number;
  rules: KeyRules;
  /** Keys from the store get their last-used time recorded; declared keys have no row. */
  fromStore: boolean;
  caller: () => Caller;
}

function declaredIdentity(entry: DeclaredKey): Identity {
  const rules = compileRules(entry.models, entry.ips);
  const caller: Caller = { consumer: entry.consumer, consumerId: configConsumerId(entry.consumer), key: declaredKeyId(entry.key), team: entry.team, teamId: entry.team === undefined ? undefined : configTeamId(entry.team), metadata: entry.metadata };
  if (rules.models) caller.allowsModel = rules.models;
  return {
    keyId: caller.key!,
    disabled: null,
    expiresAt: entry.expires_at === undefined ? Infinity : Date.parse(entry.expires_at),
    rules,
    fromStore: false,
    caller: () => caller,
  };
}

function declaredKeys(config: KeyAuthConfig, logger: Logger): Map<string, Identity> {
  const byHash = new Map<string, Identity>();
  config.keys.forEach((entry, index) => {
    if (entry.key === '') {
      logger.warn({ consumer: entry.consumer }, `key-auth: plugins.key-auth.keys[${index}] has an empty key (an unset variable?); skipped`);
      return;
    }
    byHash.set(hashKeySecret(entry.key), declaredIdentity(entry));
  });
  return byHash;
}

function storedIdentity(cache: IdentityCache, hash: string, logger: Logger): Identity | undefined {
  const cached = cache.lookup(hash);
  if (!cached) return undefined;
  const consumer = cache.consumer(cached.key.consumer_id);
  const team = cache.team(cached.key.team_id ?? consumer?.team_id ?? null);
  // The key's own limits, its consumer's and its team's: the same array for every request until one of them changes.
  const limits = storedCallerLimits({ key: cached.key, consumer, team }, logger);
  return {
    keyId: cached.key.id,
    disabled: !cached.key.enabled ? 'key' : consumer?.enabled === false ? 'consumer' : null,
    expiresAt: cached.expiresAt,
    rules: cached.rules,
    fromStore: true,
    caller: () => {
      const caller: Caller = { consumer: consumer?.name ?? cached.key.consumer_id, consumerId: cached.key.consumer_id, key: cached.key.id, team: team?.name, teamId: team?.id, metadata: { ...consumer?.metadata, ...cached.key.metadata } };
      if (limits !== undefined) caller.limits = limits;
      if (cached.rules.models) caller.allowsModel = cached.rules.models;
      return caller;
    },
  };
}

/**
 * The refusal of a request with no key key-auth can read: "missing" only when nothing at all came
 * in Authorization, x-api-key or api-key. Anything else there (`Basic …`, `Token …`, a key without
 * `Bearer `) was presented: 401 invalid_api_key, marked as not key-auth's format so that jwt's
 * refusal of its own token still tells more, and never "none", which anonymous would let in.
 */
function noUsableCredential(headers: IncomingHttpHeaders): GatewayError {
  return presentsCredential(headers) ? unrecognizedCredential(keyAuthErrors.invalidKey('unknown')) : keyAuthErrors.missingKey();
}

/**
 * The key-auth plugin's instance (definition.ts): the keys declared in the config by digest, then
 * the store's identity cache.
 *
 * Why no explicit constant-time compare: the secret is never compared. What is looked up is its
 * SHA-256 digest, and any timing difference in the Map's hashing or string comparison can only
 * tell an attacker about digests, which they cannot steer (choosing input to hit a digest
 * prefix needs preimages) and which would not help them forge a secret anyway.
 */
export function createKeyAuthPlugin(config: KeyAuthConfig, { logger, identity }: PluginDependencies): Plugin {
  const declared = declaredKeys(config, logger);
  if (!identity && declared.size === 0) logger.warn('key-auth is enabled but there is no key store and no declared keys: every request will be refused');

  function resolve(credential: string): Identity | undefined {
    const hash = hashKeySecret(credential);
    return declared.get(hash) ?? (identity ? storedIdentity(identity, hash, logger) : undefined);
  }

  return {
    name: 'key-auth',
    priority: keyAuthPriority,
    refusalFromHeaders(headers) {
      const credentials = readCredentials(headers);
      if (credentials.length === 0) return noUsableCredential(headers);
      return credentials.some((credential) => resolve(credential) !== undefined) ? null : keyAuthErrors.invalidKey('unknown');
    },
    onRequest(ctx: RequestContext) {
      const credentials = readCredentials(ctx.headers);
      if (credentials.length === 0) throw noUsableCredential(ctx.headers);
      let found: Identity | undefined;
      let accepted: string | undefined;
      for (const credential of credentials) {
        found = resolve(credential);
        if (found) {
          accepted = credential;
          break;
        }
      }
      if (!found) throw keyAuthErrors.invalidKey('unknown');
      if (found.disabled === 'key') throw keyAuthErrors.invalidKey('disabled');
      if (found.disabled === 'consumer') throw keyAuthErrors.invalidKey('consumer_disabled');
      if (Date.now() >= found.expiresAt) throw keyAuthErrors.invalidKey('expired');
      // A valid key identifies the caller before its rules are checked: a refusal (403) is recorded
      // in the usage ledger under the key and its consumer, which the key's own usage shows.
      ctx.caller = found.caller();
      // Whatever its prefix, the key that identified the caller is never a BYOK provider key (call-provider.ts).
      ctx.gatewayCredential = accepted;
      if (found.rules.ips && !found.rules.ips(ctx.clientIp)) throw keyAuthErrors.ipNotAllowed();
      // The model list names no model: it is filtered by the same rule instead (data-plane-server.ts).
      const listing = ctx.requestedModel === '' && (ctx.path === '/v1/models' || ctx.path === '/models');
      if (found.rules.models && !listing && !found.rules.models(ctx.requestedModel)) throw keyAuthErrors.modelNotAllowed(ctx.requestedModel);
      if (found.fromStore) identity?.noteUsed(found.keyId);
    },
  };
}
