import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';
import type { Provider } from '../../src/providers/provider.ts';
import { maxCachedPatternLists, maxUndeclaredGroups, Router } from '../../src/routing/router.ts';
import { fakeProvider, routerFrom } from './routing-fixtures.ts';

/**
 * Leak audit, finding 1: every `provider/<name>` a client sent stayed in memory for good (its
 * group, health record and retry budget, ~2.5 KB a name, also for names the provider refused with
 * 404). Groups of names the config does not declare are now the maxUndeclaredGroups most recently
 * used, never one with a request in flight; declared and configured names stay.
 */

/** V8's collector, for a check that a let-go group is really unreachable. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  return collect;
}

function declaring(name: string, models: string[]): Provider {
  const provider = fakeProvider(name);
  return { ...provider, settings: { ...provider.settings, models } };
}

function build(yamlText: string, providers: Provider[], previous?: Router): Router {
  const problems: string[] = [];
  const router = Router.build(configSchema.parse(parse(yamlText) ?? {}), new Map(providers.map((provider) => [provider.settings.name, provider])), problems, { previous });
  assert.deepEqual(problems, []);
  return router;
}

describe('per-model state of names the config does not declare is bounded', () => {
  it('5,000 invented names leave at most maxUndeclaredGroups groups, and the first ones are collected', async () => {
    const router = routerFrom('{}');
    const collect = collector();
    const first = new WeakRef(router.resolve('a/invented-0'));
    for (let index = 1; index < 5_000; index++) router.resolve(`a/invented-${index}`);
    assert.equal(router.undeclaredGroupCount, maxUndeclaredGroups);
    assert.equal(router.healthRecordCount, 0, 'no health record is kept apart from its group');
    await nextTurn();
    collect();
    assert.equal(first.deref(), undefined, 'the least recently used group (and its health) is let go');
    assert.notEqual(router.resolve('a/invented-0'), undefined, 'a let-go name still resolves, to a new group');
  });

  it('a name in use keeps its group and health while invented names come and go', () => {
    const router = routerFrom('{}');
    const hot = router.resolve('a/hot');
    hot.targets[0].health.recordRateLimit(performance.now(), false, 60_000);
    for (let index = 0; index < 5_000; index++) {
      router.resolve(`b/flood-${index}`);
      if (index % 500 === 0) assert.equal(router.resolve('a/hot'), hot);
    }
    assert.equal(router.resolve('a/hot'), hot);
    assert.ok(hot.targets[0].health.cooldownUntil > performance.now(), 'its rate-limit cooldown is still known');
    assert.equal(router.undeclaredGroupCount, maxUndeclaredGroups);
  });

  it('never lets go of a group with a request in flight; it goes once the request is done and others push it out', () => {
    const router = routerFrom('{}');
    const busy = router.resolve('a/busy');
    busy.targets[0].inFlight = 1;
    for (let index = 0; index < 5_000; index++) router.resolve(`a/flood-${index}`);
    assert.equal(router.resolve('a/busy'), busy, 'the state the request updates is the one the next request finds');
    assert.ok(router.undeclaredGroupCount <= maxUndeclaredGroups + 1);
    busy.targets[0].inFlight = 0;
    for (let index = 0; index < maxUndeclaredGroups; index++) router.resolve(`a/later-${index}`);
    assert.notEqual(router.resolve('a/busy'), busy);
    assert.equal(router.undeclaredGroupCount, maxUndeclaredGroups);
  });

  it('keeps declared models and configured targets for good, sharing their health with provider/model', () => {
    const router = build('models: { smart: { targets: [{ provider: a, model: grouped }] } }', [declaring('a', ['listed']), fakeProvider('b')]);
    const listed = router.resolve('a/listed');
    const plain = router.resolve('listed');
    const grouped = router.groups.get('smart')!.targets[0].health;
    for (let index = 0; index < 5_000; index++) router.resolve(`a/unlisted-${index}`);
    assert.equal(router.resolve('a/listed'), listed);
    assert.equal(router.resolve('listed'), plain);
    assert.equal(plain.targets[0].health, listed.targets[0].health, 'one health record per provider + model');
    assert.equal(router.resolve('a/grouped').targets[0].health, grouped, 'a configured target shares its record with provider/model');
    assert.equal(router.healthRecordCount, 2, 'only the declared and configured targets have records kept for good');
    assert.equal(router.undeclaredGroupCount, maxUndeclaredGroups);
  });

  it('bounds the candidate lists of glob routes', () => {
    const router = routerFrom('routes: [{ match: { model: "a/*" }, retry: { attempts: 1 } }, { match: { model: "*-mini" } }]');
    for (let index = 0; index < 5_000; index++) router.matchRoute(`a/model-${index}`, '/v1/chat/completions', {});
    assert.equal(router.patternListCount, maxCachedPatternLists);
    assert.equal(router.matchRoute('a/x', '/v1/chat/completions', {})?.index, 0);
    assert.equal(router.matchRoute('b/x-mini', '/v1/chat/completions', {})?.index, 1);
    assert.equal(router.matchRoute('b/x', '/v1/chat/completions', {}), null);
  });

  it('carries an undeclared target’s health over a reload, and a declared one’s', async () => {
    const providers = [declaring('a', ['listed'])];
    const first = build('{}', providers);
    const undeclared = first.resolve('a/open').targets[0].health;
    const declared = first.resolve('a/listed').targets[0].health;
    const second = build('{}', providers, first);
    assert.equal(second.resolve('a/open').targets[0].health, undeclared);
    assert.equal(second.resolve('a/listed').targets[0].health, declared);
    const changed = build('routing: { health: { cooldown: 1s } }', providers, first);
    assert.notEqual(changed.resolve('a/open').targets[0].health, undeclared, 'new health settings start fresh');
    await Promise.all([first.close(), second.close(), changed.close()]);
  });
});
