import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey, type JWTPayload } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { toMilliseconds } from '../../config/units.ts';
import { configConsumerId } from '../../identity/consumer-identity.ts';
import { configTeamId } from '../../identity/team-identity.ts';
import { storedCallerLimits } from '../../identity/stored-caller-limits.ts';
import type { IdentityCache } from '../../identity/identity-cache.ts';
import type { Caller, RequestContext } from '../../pipeline/context.ts';
import type { Plugin, PluginDependencies } from '../../pipeline/plugin.ts';
import { StoreConflictError, type Consumer, type Store } from '../../store/store.ts';
import { jwtPriority } from './definition.ts';
import { JwksCache, JwksUnavailableError } from './jwks-cache.ts';
import type { JwtConfig } from './jwt-config.ts';
import { jwtErrors } from './jwt-errors.ts';
import { mapClaims, type MappedClaims } from './map-claims.ts';
import { readToken } from './read-token.ts';
import { staticKey } from './verification-key.ts';

/** Why jose refused a token, in words that never contain the token or a claim's value. */
function reasonFor(error: unknown, config: JwtConfig): string {
  if (error instanceof joseErrors.JWTExpired) return 'it has expired (exp).';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'its issuer (iss) is not accepted.';
    if (error.claim === 'aud') return 'its audience (aud) is not accepted.';
    if (error.claim === 'nbf') return 'it is not valid yet (nbf).';
    if (error.claim === 'iat') return 'its issue time (iat) is invalid.';
    if (error.claim === 'exp' && error.reason === 'missing') return 'it has no expiry (exp), which this gateway requires (jwt require_exp).';
    return `its ${error.claim} claim is invalid.`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'its signature is invalid.';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `its algorithm is not allowed (accepted: ${(config.algorithms ?? []).join(', ') || 'the key\'s own'}).`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the issuer matches its key id (kid).';
  if (error instanceof joseErrors.JWKSMultipleMatchingKeys) return 'several keys of the issuer match it; it needs a kid.';
  if (error instanceof JwksUnavailableError) return `${error.message}.`;
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JOSENotSupported) return 'it is not a well-formed signed JWT.';
  return 'it could not be verified.';
}

/** Maps the token's consumer claim to a stored consumer, creating it once when auto_create is on. */
class ConsumerResolver {
  readonly #identity: IdentityCache;
  readonly #store: Store | undefined;
  readonly #autoCreate: boolean;
  readonly #logger: Logger;
  readonly #creating = new Map<string, Promise<Consumer>>();

  constructor(identity: IdentityCache, store: Store | undefined, autoCreate: boolean, logger: Logger) {
    this.#identity = identity;
    this.#store = store;
    this.#autoCreate = autoCreate;
    this.#logger = logger;
  }

  async resolve(name: string, team: string | undefined): Promise<Consumer | undefined> {
    const known = this.#identity.consumerByName(name);
    if (known || !this.#autoCreate || !this.#store || name.length > 200) return known;
    let pending = this.#creating.get(name);
    if (!pending) {
      pending = this.#create(this.#store, name, team).finally(() => this.#creating.delete(name));
      this.#creating.set(name, pending);
    }
    return pending;
  }

  // The one database write jwt makes, once per new consumer (then it is in the identity cache).
  async #create(store: Store, name: string, teamName: string | undefined): Promise<Consumer> {
    const team = teamName === undefined ? null : await store.getTeam(teamName);
    try {
      const consumer = await store.createConsumer({ name, team_id: team?.id ?? null, metadata: { created_by: 'jwt' } }, 'jwt');
      this.#logger.info({ consumer: consumer.id }, 'jwt: created a consumer named by a token (auto_create)');
      await this.#identity.refresh();
      return consumer;
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      // Another node (or request) created it first.
      await this.#identity.refresh();
      const existing = this.#identity.consumerByName(name) ?? (await store.getConsumer(name));
      if (!existing) throw error;
      return existing;
    }
  }
}

/** The jwt plugin's instance: its verification key (static or a JWKS cache) and the consumer lookup (definition.ts). */
export function createJwtPlugin(config: JwtConfig, { logger, identity, store }: PluginDependencies): Plugin {
  const header = config.header?.toLowerCase();
  let key: KeyObject | Uint8Array | JWTVerifyGetKey;
  let algorithms: string[];
  let jwks: JwksCache | null = null;
  if (config.jwks_url !== undefined) {
    jwks = new JwksCache(config.jwks_url, {
      refreshIntervalMs: toMilliseconds(config.jwks_refresh_interval),
      minRefetchIntervalMs: toMilliseconds(config.jwks_min_refetch_interval),
      timeoutMs: toMilliseconds(config.jwks_timeout),
      logger,
    });
    jwks.start();
    const cache = jwks;
    key = (protectedHeader, token) => cache.key(protectedHeader, token);
    algorithms = config.algorithms ?? ['RS256', 'ES256'];
  } else {
    const parsed = staticKey(config.secret, config.public_key, config.algorithms);
    if (config.secret !== undefined && Buffer.byteLength(config.secret) < 32) logger.warn('jwt: the HS256 secret is shorter than 32 bytes; use a longer random secret');
    key = parsed.key;
    algorithms = parsed.algorithms;
  }
  const verifyOptions = { algorithms, issuer: config.issuer, audience: config.audience, clockTolerance: toMilliseconds(config.clock_tolerance) / 1000, requiredClaims: config.require_exp ? ['exp'] : [] };
  const consumers = identity ? new ConsumerResolver(identity, store, config.auto_create, logger) : null;
  if (config.auto_create && !store) logger.warn('jwt: auto_create is on but no store is open; token consumers are accepted by name');

  async function callerFor(claims: MappedClaims): Promise<Caller> {
    const claim = config.claims.consumer;
    if (claims.consumer === undefined) throw jwtErrors.invalidToken(`it has no '${claim}' claim naming the consumer.`);
    // Without a store (config validate, embedded use) the claim is the consumer's name.
    if (!consumers || !identity) return { consumer: claims.consumer, consumerId: configConsumerId(claims.consumer), team: claims.team, teamId: claims.team === undefined ? undefined : configTeamId(claims.team), metadata: claims.metadata };
    const consumer = await consumers.resolve(claims.consumer, claims.team);
    if (!consumer) throw jwtErrors.invalidToken(`the consumer its '${claim}' claim names is not known to this gateway.`);
    if (!consumer.enabled) throw jwtErrors.invalidToken(`the consumer its '${claim}' claim names is disabled.`);
    // A team claim means the store team that carries the name now (as the consumer claim does), else a config team of that name.
    const team = claims.team === undefined ? identity.team(consumer.team_id) : identity.teamByName(claims.team);
    const teamName = claims.team ?? team?.name;
    const teamId = team?.id ?? (claims.team === undefined ? undefined : configTeamId(claims.team));
    const caller: Caller = { consumer: consumer.name, consumerId: consumer.id, team: teamName, teamId, metadata: { ...consumer.metadata, ...claims.metadata } };
    // The consumer's and its team's limits from the store, as for a key of theirs.
    const limits = storedCallerLimits({ consumer, team }, logger);
    if (limits !== undefined) caller.limits = limits;
    return caller;
  }

  return {
    name: 'jwt',
    priority: jwtPriority,
    async onRequest(ctx: RequestContext) {
      const presented = readToken(ctx.headers, header);
      if (!presented) throw jwtErrors.missingToken(config.header);
      if ('unrecognized' in presented) throw jwtErrors.notAJwt(presented.unrecognized, config.header);
      if ('malformed' in presented) throw jwtErrors.invalidToken('it is not a well-formed signed JWT.');
      let payload: JWTPayload;
      try {
        // The overloads differ only by key type; both are handled by jose at run time.
        ({ payload } = await jwtVerify(presented.token, key as Uint8Array, verifyOptions));
      } catch (error) {
        throw jwtErrors.invalidToken(reasonFor(error, config));
      }
      ctx.caller = await callerFor(mapClaims(payload, config.claims));
      // Whichever header it came in, the token is never a BYOK provider key (call-provider.ts).
      ctx.gatewayCredential = presented.token;
    },
    close() {
      jwks?.close();
    },
  };
}
