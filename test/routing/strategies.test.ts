import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashRing } from '../../src/routing/hash-ring.ts';
import { RequestFacts } from '../../src/routing/request-facts.ts';
import { usableTargets } from '../../src/routing/selection.ts';
import type { ModelGroup, RoutedTarget } from '../../src/routing/target.ts';
import type { RoutingRequest } from '../../src/routing/routing-request.ts';
import { chatRequest, decide, routerFrom } from './routing-fixtures.ts';

const acceptAll = (): boolean => true;

/** Resolve + choose as the pipeline does: usable targets, then the strategy's order. */
function choose(group: ModelGroup, request: RoutingRequest, now = performance.now()): readonly RoutedTarget[] {
  return group.order(usableTargets(group, null, acceptAll, now), { request, facts: new RequestFacts(request), now });
}

function shares(counts: Map<string, number>, total: number): Record<string, number> {
  return Object.fromEntries([...counts].map(([key, count]) => [key, (count / total) * 100]));
}

describe('weighted', () => {
  it('10,000 requests over 70/20/10 land within ±2 points (exactly, for smooth weighted)', () => {
    const router = routerFrom(`
models:
  pool:
    strategy: weighted
    targets: [{ provider: a, model: m, weight: 70 }, { provider: b, model: m, weight: 20 }, { provider: c, model: m, weight: 10 }]
`);
    const counts = new Map<string, number>();
    for (let index = 0; index < 10_000; index++) {
      const request = chatRequest({ model: 'pool' });
      const decision = decide(router, request);
      const first = choose(decision.groups[0], request)[0];
      counts.set(first.provider.settings.name, (counts.get(first.provider.settings.name) ?? 0) + 1);
    }
    const percent = shares(counts, 10_000);
    for (const [name, expected] of [['a', 70], ['b', 20], ['c', 10]] as const) assert.ok(Math.abs(percent[name] - expected) <= 2, `${name}: ${percent[name]}%`);
    assert.deepEqual(Object.fromEntries(counts), { a: 7000, b: 2000, c: 1000 });
  });

  it('skips a target in cooldown and shares its traffic among the rest; every order lists all usable targets', () => {
    const router = routerFrom(`
models:
  pool:
    strategy: weighted
    targets: [{ provider: a, model: m, weight: 70 }, { provider: b, model: m, weight: 20 }, { provider: c, model: m, weight: 10 }]
`);
    const group = router.groups.get('pool')!;
    const now = performance.now();
    group.targets[0].health.recordRateLimit(now, false, 60_000);
    const counts = new Map<string, number>();
    for (let index = 0; index < 3000; index++) {
      const order = choose(group, chatRequest({ model: 'pool' }), now);
      assert.equal(order.length, 2);
      counts.set(order[0].provider.settings.name, (counts.get(order[0].provider.settings.name) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(counts), { b: 2000, c: 1000 });
  });
});

describe('least-busy, lowest-latency, lowest-cost', () => {
  it('least-busy picks the target with the fewest requests in flight', () => {
    const group = routerFrom('models: { pool: { strategy: least-busy, targets: [{ provider: a, model: m }, { provider: b, model: m }, { provider: c, model: m }] } }').groups.get('pool')!;
    group.targets[0].inFlight = 5;
    group.targets[1].inFlight = 1;
    group.targets[2].inFlight = 3;
    assert.deepEqual(choose(group, chatRequest({ model: 'pool' })).map((target) => target.provider.settings.name), ['b', 'c', 'a']);
  });

  it('lowest-latency explores unmeasured targets first, then prefers the lowest EWMA of time to first byte', () => {
    const group = routerFrom('models: { pool: { strategy: lowest-latency, targets: [{ provider: a, model: m }, { provider: b, model: m }, { provider: c, model: m }] } }').groups.get('pool')!;
    const now = performance.now();
    group.targets[0].health.recordLatency(now, 300);
    group.targets[1].health.recordLatency(now, 80);
    assert.equal(choose(group, chatRequest({ model: 'pool' }), now)[0].provider.settings.name, 'c', 'unmeasured first');
    group.targets[2].health.recordLatency(now, 150);
    assert.deepEqual(choose(group, chatRequest({ model: 'pool' }), now).map((target) => target.provider.settings.name), ['b', 'c', 'a']);
    // b slows down: the average follows real attempts.
    for (let sample = 0; sample < 10; sample++) group.targets[1].health.recordLatency(now, 400);
    assert.equal(choose(group, chatRequest({ model: 'pool' }), now)[0].provider.settings.name, 'c');
  });

  it('lowest-cost picks the cheapest target whose context window fits the estimated prompt', () => {
    const router = routerFrom(`
models:
  pool:
    strategy: lowest-cost
    targets:
      - { provider: a, model: big,   input_cost_per_mtok: 2.5,  output_cost_per_mtok: 10,  context_window: 128000 }
      - { provider: b, model: small, input_cost_per_mtok: 0.15, output_cost_per_mtok: 0.6, context_window: 1000 }
      - { provider: c, model: unpriced }
`);
    const group = router.groups.get('pool')!;
    const short = choose(group, chatRequest({ model: 'pool', content: 'hi' }));
    assert.deepEqual(short.map((target) => target.model), ['small', 'big', 'unpriced']);
    const long = choose(group, chatRequest({ model: 'pool', content: 'word '.repeat(3000) }));
    assert.deepEqual(long.map((target) => target.model), ['big', 'unpriced'], 'the small window is dropped');
  });

  it('lowest-cost takes prices from a catalog when the target has no override', async () => {
    const { Router } = await import('../../src/routing/router.ts');
    const { configSchema } = await import('../../src/config/schema.ts');
    const { fakeProvider } = await import('./routing-fixtures.ts');
    const config = configSchema.parse({ models: { pool: { strategy: 'lowest-cost', targets: [{ provider: 'a', model: 'x' }, { provider: 'b', model: 'y', input_cost_per_mtok: 5 }] } } });
    const problems: string[] = [];
    const prices = { lookup: (_provider: { name: string; type: string }, model: string) => (model === 'x' ? { inputPerMTok: 9, contextWindow: 8000 } : { inputPerMTok: 1 }) };
    const router = Router.build(config, new Map([['a', fakeProvider('a')], ['b', fakeProvider('b')]]), problems, { prices });
    const group = router.groups.get('pool')!;
    assert.deepEqual(group.targets.map((target) => target.price.inputPerMTok), [9, 5], 'the override wins over the catalog');
    assert.equal(choose(group, chatRequest({ model: 'pool' }))[0].model, 'y');
  });
});

describe('consistent-hash', () => {
  const yaml = (providers: string[]) => `
models:
  pool:
    strategy: consistent-hash
    hash_on: [header:x-session-id, consumer]
    targets: [${providers.map((provider) => `{ provider: ${provider}, model: m }`).join(', ')}]
`;

  it('keeps a key on one target, by header or by consumer', () => {
    const group = routerFrom(yaml(['a', 'b', 'c', 'd', 'e'])).groups.get('pool')!;
    for (let key = 0; key < 200; key++) {
      const first = choose(group, chatRequest({ model: 'pool', headers: { 'x-session-id': `s-${key}` } }))[0];
      for (let again = 0; again < 5; again++) assert.equal(choose(group, chatRequest({ model: 'pool', headers: { 'x-session-id': `s-${key}` } }))[0], first);
      const byConsumer = choose(group, chatRequest({ model: 'pool', caller: { consumer: `c-${key}` } }))[0];
      assert.equal(choose(group, chatRequest({ model: 'pool', caller: { consumer: `c-${key}` } }))[0], byConsumer);
    }
  });

  it('moves only about 1/N of keys when a target is removed, and only keys of that target', () => {
    const five = routerFrom(yaml(['a', 'b', 'c', 'd', 'e'])).groups.get('pool')!;
    const four = routerFrom(yaml(['a', 'b', 'c', 'd'])).groups.get('pool')!;
    const keys = 10_000;
    let moved = 0;
    const perTarget = new Map<string, number>();
    for (let key = 0; key < keys; key++) {
      const request = chatRequest({ model: 'pool', headers: { 'x-session-id': `user-${key}` } });
      const before = choose(five, request)[0].provider.settings.name;
      const after = choose(four, request)[0].provider.settings.name;
      perTarget.set(before, (perTarget.get(before) ?? 0) + 1);
      if (before !== after) {
        moved++;
        assert.equal(before, 'e', 'only keys of the removed target move');
      }
    }
    assert.ok(Math.abs(moved / keys - 1 / 5) < 0.05, `moved ${moved} of ${keys}`);
    for (const [name, count] of perTarget) assert.ok(Math.abs(count / keys - 0.2) < 0.05, `${name} holds ${count}`);
  });

  it('an unusable owner hands its keys to the next target clockwise; they return when it recovers', () => {
    const group = routerFrom(yaml(['a', 'b', 'c'])).groups.get('pool')!;
    const request = chatRequest({ model: 'pool', headers: { 'x-session-id': 'sticky' } });
    const [owner, heir] = choose(group, request);
    const now = performance.now();
    owner.health.recordRateLimit(now, false, 1000);
    assert.equal(choose(group, request, now)[0], heir);
    assert.equal(choose(group, request, now + 1001)[0], owner);
  });

  it('the ring spreads keys evenly with virtual nodes', () => {
    const ring = new HashRing(['x', 'y', 'z'].map((id) => ({ id, weight: 1, member: id })));
    const counts = new Map<string, number>();
    for (let key = 0; key < 30_000; key++) {
      const member = ring.lookup(`k${key}`)!;
      counts.set(member, (counts.get(member) ?? 0) + 1);
    }
    for (const count of counts.values()) assert.ok(Math.abs(count / 30_000 - 1 / 3) < 0.05, String(count));
  });
});

describe('canary split (through the router)', () => {
  const router = routerFrom(`
models:
  stable: { targets: [{ provider: a, model: m1 }] }
  candidate: { targets: [{ provider: b, model: m2 }] }
routes:
  - name: canary
    match: { model: chat }
    split: [{ model: stable, weight: 90 }, { model: candidate, weight: 10, name: v2 }]
    split_on: [header:x-user, consumer]
`);

  it('shares 10,000 keys 90/10 within ±2 points and names the variant', () => {
    const counts = new Map<string, number>();
    for (let key = 0; key < 10_000; key++) {
      const decision = decide(router, chatRequest({ model: 'chat', headers: { 'x-user': `u${key}` } }));
      counts.set(decision.variant!, (counts.get(decision.variant!) ?? 0) + 1);
      assert.equal(decision.groups[0].name, decision.variant === 'v2' ? 'candidate' : 'stable');
    }
    const percent = shares(counts, 10_000);
    assert.ok(Math.abs(percent.stable - 90) <= 2, JSON.stringify(percent));
    assert.ok(Math.abs(percent.v2 - 10) <= 2, JSON.stringify(percent));
  });

  it('is sticky per header and per consumer', () => {
    for (let key = 0; key < 300; key++) {
      const first = decide(router, chatRequest({ model: 'chat', headers: { 'x-user': `sticky-${key}` } })).variant;
      for (let again = 0; again < 3; again++) assert.equal(decide(router, chatRequest({ model: 'chat', headers: { 'x-user': `sticky-${key}` } })).variant, first);
      const consumer = decide(router, chatRequest({ model: 'chat', caller: { consumer: `team-${key}` } })).variant;
      assert.equal(decide(router, chatRequest({ model: 'chat', caller: { consumer: `team-${key}` } })).variant, consumer);
    }
  });
});
