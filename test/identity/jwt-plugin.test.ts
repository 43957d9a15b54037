import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdentityCache } from '../../src/identity/identity-cache.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { jwtConfigSchema } from '../../src/plugins/jwt/jwt-config.ts';
import { looksLikeJwt } from '../../src/plugins/jwt/read-token.ts';
import { isMissingCredential, isUnrecognizedCredential } from '../../src/pipeline/authentication.ts';
import type { GatewayError } from '../../src/errors/gateway-error.ts';
import { audience, ecPair, hsKey, hsSecret, issuer, jwtPlugin, refusalOf, requestContext, rsaPair, sign } from './jwt-helpers.ts';

const base = { issuer, audience };
const now = () => Math.floor(Date.now() / 1000);

describe('jwt plugin: verification', () => {
  const plugin = jwtPlugin({ ...base, secret: hsSecret });

  async function refused(token: string) {
    const error = await refusalOf(plugin.onRequest!(requestContext({ authorization: `Bearer ${token}` })));
    assert.equal(error.status, 401);
    assert.equal(error.type, 'authentication_error');
    assert.equal(error.code, 'invalid_token');
    assert.ok(!error.message.includes(token), 'the message must not echo the token');
    return error.message;
  }

  it('accepts a valid HS256 token and names the consumer by sub (no store: the claim is the name)', async () => {
    const ctx = requestContext({ authorization: `Bearer ${await sign(hsKey(), 'HS256')}` });
    await plugin.onRequest!(ctx);
    assert.equal(ctx.caller.consumer, 'app1');
  });

  it('refuses a wrong signature', async () => {
    assert.match(await refused(await sign(hsKey('another-secret-that-is-also-32-bytes-long!!'), 'HS256')), /signature is invalid/);
  });

  it('refuses a wrong audience and a wrong issuer', async () => {
    assert.match(await refused(await sign(hsKey(), 'HS256', { aud: 'someone-else' })), /audience \(aud\)/);
    assert.match(await refused(await sign(hsKey(), 'HS256', { iss: 'https://evil.test' })), /issuer \(iss\)/);
  });

  it('refuses an expired token and one not valid yet, with a small clock tolerance', async () => {
    assert.match(await refused(await sign(hsKey(), 'HS256', { exp: now() - 120 })), /expired/);
    assert.match(await refused(await sign(hsKey(), 'HS256', { nbf: now() + 300 })), /not valid yet \(nbf\)/);
    // Within the default 30 s tolerance: accepted.
    await plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(hsKey(), 'HS256', { exp: now() - 10, nbf: now() + 10 })}` }));
  });

  it('refuses a token without exp (valid for ever) unless require_exp is false', async () => {
    const forever = await sign(hsKey(), 'HS256', { exp: undefined });
    assert.match(await refused(forever), /no expiry \(exp\)/);
    const lenient = jwtPlugin({ secret: hsSecret, issuer, audience, require_exp: false });
    const ctx = requestContext({ authorization: `Bearer ${forever}` });
    await lenient.onRequest!(ctx);
    assert.equal(ctx.caller.consumer, 'app1');
  });

  it('refuses unsigned (alg none) and malformed tokens', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', iss: issuer, aud: audience, exp: now() + 60 })).toString('base64url');
    assert.match(await refused(`${header}.${payload}.x`), /not a well-formed|algorithm/);
    assert.match(await refused('aaa.bbb.ccc'), /not a well-formed/);
  });

  it('says missing_token only when no credential came at all; a credential that is no JWT is an unrecognised invalid_token, which other plugins can still accept', async () => {
    const none = await refusalOf(plugin.onRequest!(requestContext({})));
    assert.equal(none.status, 401);
    assert.equal(none.code, 'missing_token');
    assert.equal(isMissingCredential(none as GatewayError), true);
    for (const headers of [{ authorization: 'Bearer tg-abc' }, { authorization: 'Bearer sk-proj-abc' }, { authorization: 'Basic dXNlcjpwYXNz' }, { 'x-api-key': 'tg-abc' }, { 'api-key': 'azure-key' }] as Array<Record<string, string>>) {
      const error = await refusalOf(plugin.onRequest!(requestContext(headers)));
      assert.equal(error.status, 401);
      assert.equal(error.code, 'invalid_token', JSON.stringify(headers));
      assert.equal(isMissingCredential(error as GatewayError), false, 'a presented credential is never "none"');
      assert.equal(isUnrecognizedCredential(error as GatewayError), true, 'another plugin (key-auth) may own it: its refusal comes first');
      assert.ok(!error.message.includes('abc') && !error.message.includes('azure-key'), 'the message does not echo the credential');
    }
    assert.equal(looksLikeJwt('tg-abc'), false);
    assert.equal(looksLikeJwt('eyJ.eyJ.sig'), true);
  });

  it('refuses a damaged JWT (cut to two segments, a stray character, a space inside) as a malformed token of its own', async () => {
    const token = await sign(hsKey(), 'HS256');
    const [header, payload, signature] = token.split('.');
    for (const damaged of [`${header}.${payload}`, `${token}!`, `${header}.${payload} .${signature}`, `${header}.${payload}.${signature.slice(0, 10)} ${signature.slice(10)}`]) {
      const error = await refusalOf(plugin.onRequest!(requestContext({ authorization: `Bearer ${damaged}` })));
      assert.equal(error.code, 'invalid_token');
      assert.match(error.message, /not a well-formed|signature is invalid/);
      assert.equal(isUnrecognizedCredential(error as GatewayError), false, 'a damaged JWT is jwt\'s own credential');
    }
  });

  it('reads a configured header, with or without Bearer', async () => {
    const custom = jwtPlugin({ ...base, secret: hsSecret, header: 'X-JWT-Assertion' });
    const token = await sign(hsKey(), 'HS256', { sub: 'from-header' });
    for (const value of [token, `Bearer ${token}`]) {
      const ctx = requestContext({ 'x-jwt-assertion': value, authorization: 'Bearer sk-provider-key' });
      await custom.onRequest!(ctx);
      assert.equal(ctx.caller.consumer, 'from-header');
      // The token is never a provider key, whichever header it came in; Authorization's sk-… is still the client's BYOK key.
      assert.equal(ctx.gatewayCredential, token);
    }
  });

  it('marks a Bearer JWT as the gateway credential (never forwarded as a BYOK key)', async () => {
    const token = await sign(hsKey(), 'HS256');
    const ctx = requestContext({ authorization: `Bearer ${token}` });
    await plugin.onRequest!(ctx);
    assert.equal(ctx.gatewayCredential, token);
  });

  it('verifies RS256 with a PEM public key and ES256 with a JWK', async () => {
    const rsa = await rsaPair();
    const ec = await ecPair();
    const rsPlugin = jwtPlugin({ ...base, public_key: rsa.pem });
    const esPlugin = jwtPlugin({ ...base, public_key: ec.jwk });
    const esFromJsonText = jwtPlugin({ ...base, public_key: JSON.stringify(ec.jwk) });
    await rsPlugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(rsa.privateKey, 'RS256')}` }));
    await esPlugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(ec.privateKey, 'ES256')}` }));
    await esFromJsonText.onRequest!(requestContext({ authorization: `Bearer ${await sign(ec.privateKey, 'ES256')}` }));
    // An ES256 token against the RSA key, and an HS256 token made with the PEM text as the secret
    // (the classic algorithm-confusion attack), are refused.
    const wrongAlg = await refusalOf(rsPlugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(ec.privateKey, 'ES256')}` })));
    assert.equal(wrongAlg.code, 'invalid_token');
    const confusion = await refusalOf(rsPlugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(new TextEncoder().encode(rsa.pem), 'HS256')}` })));
    assert.equal(confusion.code, 'invalid_token');
    assert.match(confusion.message, /algorithm is not allowed/);
  });

  it('refuses configs that cannot work, with the reason', () => {
    assert.equal(jwtConfigSchema.safeParse({}).success, false);
    assert.equal(jwtConfigSchema.safeParse({ secret: 'x', jwks_url: 'https://a.test/jwks' }).success, false);
    assert.equal(jwtConfigSchema.safeParse({ secret: hsSecret, algorithms: ['RS256'] }).success, false);
    assert.throws(() => jwtPlugin({ public_key: 'not a key' }), /public_key: not a PEM public key or a JWK/);
  });
});

describe('jwt plugin: claims to caller', () => {
  let store: KyselyStore;
  let identity: IdentityCache;

  before(async () => {
    store = (await openStore('sqlite::memory:')).store;
    const team = await store.createTeam({ name: 'payments' }, 'test');
    await store.createConsumer({ name: 'known-app', team_id: team.id, metadata: { region: 'eu' } }, 'test');
    await store.createConsumer({ name: 'disabled-app', enabled: false }, 'test');
    identity = new IdentityCache(store);
    await identity.start();
  });
  after(async () => {
    await identity.stop();
    await store.close();
  });

  it('maps the consumer, team, tier and metadata claims (dotted paths too)', async () => {
    const plugin = jwtPlugin({ ...base, secret: hsSecret, claims: { consumer: 'client_id', team: 'org.team', tier: 'plan', metadata: { department: 'dept' } } });
    const token = await sign(hsKey(), 'HS256', { client_id: 'svc-7', org: { team: 'search' }, plan: 'gold', dept: 'R&D' });
    const ctx = requestContext({ authorization: `Bearer ${token}` });
    await plugin.onRequest!(ctx);
    assert.deepEqual(ctx.caller, { consumer: 'svc-7', consumerId: 'config:svc-7', team: 'search', teamId: 'config:search', metadata: { department: 'R&D', tier: 'gold' } });
  });

  it('with a store: a team claim is the store team that carries the name now, else a config team of that name', async () => {
    const plugin = jwtPlugin({ ...base, secret: hsSecret, claims: { team: 'org_team' } }, { identity, store });
    const named = requestContext({ authorization: `Bearer ${await sign(hsKey(), 'HS256', { sub: 'known-app', org_team: 'payments' })}` });
    await plugin.onRequest!(named);
    assert.equal(named.caller.team, 'payments');
    assert.equal(named.caller.teamId, identity.teamByName('payments')?.id);
    assert.match(named.caller.teamId ?? '', /^team_/);
    const unknown = requestContext({ authorization: `Bearer ${await sign(hsKey(), 'HS256', { sub: 'known-app', org_team: 'no-such-team' })}` });
    await plugin.onRequest!(unknown);
    assert.equal(unknown.caller.team, 'no-such-team');
    assert.equal(unknown.caller.teamId, 'config:no-such-team', 'a name no store team carries is a config team, never the store consumer\'s team');
  });

  it('with a store: the consumer must exist; its team and metadata apply; disabled ones are refused', async () => {
    const plugin = jwtPlugin({ ...base, secret: hsSecret, claims: { tier: 'tier' } }, { identity, store });
    const ctx = requestContext({ authorization: `Bearer ${await sign(hsKey(), 'HS256', { sub: 'known-app', tier: 'silver' })}` });
    await plugin.onRequest!(ctx);
    assert.deepEqual(ctx.caller, { consumer: 'known-app', consumerId: identity.consumerByName('known-app')?.id, team: 'payments', teamId: identity.teamByName('payments')?.id, metadata: { region: 'eu', tier: 'silver' } });

    const unknown = await refusalOf(plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(hsKey(), 'HS256', { sub: 'stranger@example.com' })}` })));
    assert.equal(unknown.code, 'invalid_token');
    assert.match(unknown.message, /not known/);
    assert.ok(!unknown.message.includes('stranger'), 'the claim value is not echoed');
    const disabled = await refusalOf(plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(hsKey(), 'HS256', { sub: 'disabled-app' })}` })));
    assert.match(disabled.message, /disabled/);
    const noClaim = await refusalOf(plugin.onRequest!(requestContext({ authorization: `Bearer ${await sign(hsKey(), 'HS256', { sub: undefined })}` })));
    assert.match(noClaim.message, /no 'sub' claim/);
  });

  it('auto_create makes the consumer once (in its team), then it is found in memory', async () => {
    const plugin = jwtPlugin({ ...base, secret: hsSecret, auto_create: true, claims: { team: 'team' } }, { identity, store });
    const token = await sign(hsKey(), 'HS256', { sub: 'new-app', team: 'payments' });
    const contexts = [requestContext({ authorization: `Bearer ${token}` }), requestContext({ authorization: `Bearer ${token}` })];
    await Promise.all(contexts.map((ctx) => plugin.onRequest!(ctx)));
    for (const ctx of contexts) assert.equal(ctx.caller.consumer, 'new-app');
    const created = await store.getConsumer('new-app');
    assert.ok(created);
    assert.equal(created.team_id, (await store.getTeam('payments'))!.id);
    assert.equal(created.metadata.created_by, 'jwt');
    const audit = await store.listAudit({ limit: 10, resource: 'consumers', resource_id: created.id });
    assert.equal(audit.data.length, 1, 'created once, despite two concurrent requests');
    assert.equal(audit.data[0].actor, 'jwt');
    assert.ok(identity.consumerByName('new-app'));
  });
});
