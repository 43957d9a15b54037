import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileIpRule, compileModelRule, isIpOrCidr, normalizeIp } from '../../src/identity/key-rules.ts';
import { displayKey, generateKeySecret, hashKeySecret, keyDisplayParts } from '../../src/identity/key-secret.ts';

describe('key rules', () => {
  it('matches model names exactly or by glob; no list means any model', () => {
    const rule = compileModelRule(['gpt-4o*', 'smart', 'anthropic/claude-?-haiku'])!;
    assert.equal(rule('gpt-4o'), true);
    assert.equal(rule('gpt-4o-mini'), true);
    assert.equal(rule('smart'), true);
    assert.equal(rule('smarter'), false);
    assert.equal(rule('anthropic/claude-3-haiku'), true);
    assert.equal(rule('gpt-4.1'), false);
    assert.equal(rule('xgpt-4o'), false, 'anchored');
    assert.equal(compileModelRule([]), null);
  });

  it('a pattern without a provider also matches the model part of provider/model; one with a provider only the whole name', () => {
    const rule = compileModelRule(['gpt-4o*', 'smart', 'anthropic/claude-?-haiku'])!;
    assert.equal(rule('openai/gpt-4o-mini'), true);
    assert.equal(rule('azure/gpt-4o'), true);
    assert.equal(rule('openai/smart'), true);
    assert.equal(rule('openai/gpt-4.1'), false);
    assert.equal(rule('bedrock/claude-3-haiku'), false, "anthropic/ pattern: another provider's model part does not match");
    assert.equal(rule('x/anthropic/claude-3-haiku'), false);
    assert.equal(rule('/gpt-4o'), false, 'no provider before the slash');
    assert.equal(compileModelRule(['openai/*'])!('azure/openai/x'), false);
  });

  it('matches IPv4 and IPv6 addresses and CIDRs, IPv4-mapped clients included', () => {
    const rule = compileIpRule(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32'])!;
    assert.equal(rule('10.1.2.3'), true);
    assert.equal(rule('::ffff:10.1.2.3'), true);
    assert.equal(rule('192.168.1.7'), true);
    assert.equal(rule('192.168.1.8'), false);
    assert.equal(rule('2001:db8::1'), true);
    assert.equal(rule('2001:db9::1'), false);
    assert.equal(rule(undefined), false);
    assert.equal(normalizeIp('::ffff:127.0.0.1'), '127.0.0.1');
  });

  it('fails closed on entries that do not parse', () => {
    const rule = compileIpRule(['not-an-address'])!;
    assert.equal(rule('127.0.0.1'), false);
    assert.equal(isIpOrCidr('10.0.0.0/33'), false);
    assert.equal(isIpOrCidr('10.0.0.0/8/1'), false);
    assert.equal(isIpOrCidr('::1/128'), true);
  });
});

describe('key secrets', () => {
  it('are tg- and 256 random bits, hashed with SHA-256, shown as prefix and last 4', () => {
    const secret = generateKeySecret();
    assert.match(secret, /^tg-[A-Za-z0-9_-]{43}$/);
    assert.notEqual(generateKeySecret(), secret);
    assert.match(hashKeySecret(secret), /^[0-9a-f]{64}$/);
    const parts = keyDisplayParts(secret);
    assert.equal(displayKey(parts.prefix, parts.last4), `${secret.slice(0, 7)}…${secret.slice(-4)}`);
  });
});
