import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { chat, controlledUpstream, deadPort, providersYaml, type ControlledUpstream } from './upstream-control.ts';

describe('retries with backoff, Retry-After and per-target 429 cooldown', () => {
  let gw: RunningGateway;
  let one: ControlledUpstream;
  let limited: ControlledUpstream;
  let spare: ControlledUpstream;
  let dead: number;

  before(async () => {
    [one, limited, spare] = await Promise.all([controlledUpstream('one'), controlledUpstream('limited'), controlledUpstream('spare')]);
    dead = await deadPort();
    gw = await startGateway(`
providers:
${providersYaml([one, limited, spare])}
  gone: { type: openai-compatible, base_url: "http://127.0.0.1:${dead}/v1" }
routing:
  retry: { backoff: { base: 20ms, max: 40ms }, retry_after_max: 1s }
models:
  solo:      { retry: { attempts: 2 }, targets: [{ provider: one, model: m }] }
  solo-once: { retry: { attempts: 1 }, targets: [{ provider: one, model: m }] }
  only-500:  { retry: { attempts: 2, on: [500] }, targets: [{ provider: one, model: m }] }
  refused:   { targets: [{ provider: gone, model: m }, { provider: spare, model: m }] }
  rate:      { targets: [{ provider: limited, model: m }, { provider: spare, model: m }] }
  rate-solo: { retry: { attempts: 1 }, targets: [{ provider: limited, model: solo }] }
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([one, limited, spare].map((upstream) => upstream.standIn.close()));
  });

  it('retries a 500 with backoff until the target answers', async () => {
    one.hits = 0;
    one.queue = ['500', '500'];
    const answer = await chat(gw.baseURL, 'solo');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.headers.get('x-tollgate-attempts'), '3');
    assert.equal(one.hits, 3);
    assert.ok(answer.ms < 1500, `backoff stays within its cap (${answer.ms} ms)`);
  });

  it('stops after the configured attempts and returns the last error', async () => {
    one.hits = 0;
    one.queue = ['500', '500', '500'];
    const answer = await chat(gw.baseURL, 'solo-once');
    assert.equal(answer.status, 500);
    assert.equal(answer.headers.get('x-tollgate-attempts'), '2');
    assert.equal(one.hits, 2);
    one.queue = [];
  });

  it('retries a reset connection, and only the conditions listed in `on`', async () => {
    one.hits = 0;
    one.queue = ['reset'];
    assert.equal((await chat(gw.baseURL, 'solo')).status, 200);
    assert.equal(one.hits, 2);
    one.hits = 0;
    one.queue = ['reset'];
    const notListed = await chat(gw.baseURL, 'only-500');
    assert.equal(notListed.status, 502);
    assert.equal(notListed.body.error?.code, 'upstream_unreachable');
    assert.equal(one.hits, 1);
  });

  it('fails over from a refused connection to the next target', async () => {
    const answer = await chat(gw.baseURL, 'refused');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-tollgate-provider'), 'spare');
    assert.equal(answer.headers.get('x-tollgate-attempts'), '2');
  });

  it('a 429 puts that target (not the group) in cooldown for Retry-After', async () => {
    limited.hits = 0;
    spare.hits = 0;
    limited.queue = ['429:600'];
    const first = await chat(gw.baseURL, 'rate');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-tollgate-provider'), 'spare');
    const during = await chat(gw.baseURL, 'rate');
    assert.equal(during.headers.get('x-tollgate-provider'), 'spare');
    assert.equal(during.headers.get('x-tollgate-attempts'), '1', 'the cooling target is skipped, not tried');
    assert.equal(limited.hits, 1);
    await new Promise((resolve) => setTimeout(resolve, 650));
    const later = await chat(gw.baseURL, 'rate');
    assert.equal(later.headers.get('x-tollgate-provider'), 'limited', 'back in rotation after Retry-After');
  });

  it('an answer to an attempt sent after the 429 ends the cooldown before Retry-After', async () => {
    await new Promise((resolve) => setTimeout(resolve, 650));
    limited.queue = ['429:60000'];
    assert.equal((await chat(gw.baseURL, 'rate')).headers.get('x-tollgate-provider'), 'spare');
    assert.equal((await chat(gw.baseURL, 'rate')).headers.get('x-tollgate-provider'), 'spare', 'cooling down');
    const direct = await chat(gw.baseURL, 'limited/m');
    assert.equal(direct.status, 200, 'the only target of its own group is tried anyway');
    assert.equal((await chat(gw.baseURL, 'rate')).headers.get('x-tollgate-provider'), 'limited', 'it answered, so it is back in rotation');
  });

  it('waits for Retry-After before retrying the same target, up to retry_after_max', async () => {
    limited.hits = 0;
    limited.queue = ['429:300'];
    const waited = await chat(gw.baseURL, 'rate-solo');
    assert.equal(waited.status, 200);
    assert.equal(limited.hits, 2);
    assert.ok(waited.ms >= 290, `waited ${waited.ms} ms`);
    limited.queue = ['429:5000'];
    const tooLong = await chat(gw.baseURL, 'rate-solo');
    assert.equal(tooLong.status, 429, 'a Retry-After beyond the max is returned at once');
    assert.equal(tooLong.headers.get('retry-after-ms'), '5000');
    assert.ok(tooLong.ms < 500);
  });
});

describe('fallbacks', () => {
  let gw: RunningGateway;
  const order: string[] = [];
  let first: ControlledUpstream;
  let second: ControlledUpstream;
  let third: ControlledUpstream;
  let small: ControlledUpstream;
  let medium: ControlledUpstream;
  let large: ControlledUpstream;

  before(async () => {
    [first, second, third, small, medium, large] = await Promise.all(['first', 'second', 'third', 'small', 'medium', 'large'].map((name) => controlledUpstream(name, order)));
    gw = await startGateway(`
providers:
${providersYaml([first, second, third, small, medium, large])}
models:
  g1: { targets: [{ provider: first, model: m1 }] }
  g2: { targets: [{ provider: second, model: m2 }] }
  g3: { targets: [{ provider: third, model: m3 }] }
  small:  { targets: [{ provider: small, model: s, context_window: 1000 }] }
  medium: { targets: [{ provider: medium, model: md, context_window: 1000 }] }
  large:  { targets: [{ provider: large, model: l, context_window: 200000 }] }
routes:
  - { name: chain, match: { model: chain }, model: g1, fallbacks: [g2, g3] }
  - { name: only-429, match: { model: picky }, model: g1, fallbacks: [g3], fallback_on: [rate_limit] }
  - { name: window, match: { model: window }, model: small, fallbacks: [medium, large] }
  - { name: filter, match: { model: filtered }, model: g1, fallbacks: [g3], fallback_on: [content_filter] }
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([first, second, third, small, medium, large].map((upstream) => upstream.standIn.close()));
  });

  it('takes the fallbacks in order and reports the model actually used', async () => {
    order.length = 0;
    first.queue = ['500'];
    second.queue = ['429:50'];
    const answer = await chat(gw.baseURL, 'chain');
    assert.equal(answer.status, 200);
    assert.deepEqual(order, ['first', 'second', 'third']);
    assert.equal(answer.headers.get('x-tollgate-model'), 'm3');
    assert.equal(answer.headers.get('x-tollgate-provider'), 'third');
    assert.equal(answer.headers.get('x-tollgate-attempts'), '3');
    assert.equal(answer.headers.get('x-tollgate-route'), 'chain');
  });

  it('takes a fallback only on the configured conditions', async () => {
    order.length = 0;
    first.queue = ['500'];
    const answer = await chat(gw.baseURL, 'picky');
    assert.equal(answer.status, 500);
    assert.deepEqual(order, ['first']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    order.length = 0;
    first.queue = ['429:10'];
    assert.equal((await chat(gw.baseURL, 'picky')).status, 200);
    assert.deepEqual(order, ['first', 'third']);
  });

  it('context_length_exceeded falls back to a model with a larger window, skipping no larger ones', async () => {
    order.length = 0;
    small.queue = ['context'];
    const answer = await chat(gw.baseURL, 'window');
    assert.equal(answer.status, 200);
    assert.deepEqual(order, ['small', 'large']);
    assert.equal(answer.headers.get('x-tollgate-model'), 'l');
  });

  it('a content-filter refusal falls back when configured', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    order.length = 0;
    first.queue = ['filter'];
    const answer = await chat(gw.baseURL, 'filtered');
    assert.equal(answer.status, 200);
    assert.deepEqual(order, ['first', 'third']);
    order.length = 0;
    first.queue = ['filter'];
    const byDefault = await chat(gw.baseURL, 'chain');
    assert.equal(byDefault.status, 400, 'content_filter is not a default fallback condition');
    assert.equal(byDefault.body.error?.code, 'content_policy_violation');
    assert.deepEqual(order, ['first']);
  });
});
