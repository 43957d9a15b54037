import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { chat, controlledUpstream, providersYaml, type ControlledUpstream } from './upstream-control.ts';

describe('passive health: circuit breaker and half-open probes', () => {
  let gw: RunningGateway;
  let bad: ControlledUpstream;
  let good: ControlledUpstream;

  before(async () => {
    [bad, good] = await Promise.all([controlledUpstream('bad'), controlledUpstream('good')]);
    gw = await startGateway(`
providers:
${providersYaml([bad, good])}
routing:
  health: { consecutive_failures: 3, cooldown: 1s, max_cooldown: 4s }
models:
  pool:
    strategy: weighted
    targets: [{ provider: bad, model: m }, { provider: good, model: m }]
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([bad, good].map((upstream) => upstream.standIn.close()));
  });

  it('a dead target stops receiving traffic after N failures, and clients never see them', async () => {
    bad.mode = '500';
    bad.hits = 0;
    for (let request = 0; request < 12; request++) {
      const answer = await chat(gw.baseURL, 'pool');
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('x-tollgate-provider'), 'good');
    }
    assert.equal(bad.hits, 3, 'the circuit opened after 3 consecutive failures');
  });

  it('a failed half-open probe re-opens the circuit for twice as long; a good probe closes it', async () => {
    await sleep(1050);
    bad.hits = 0;
    await chat(gw.baseURL, 'pool');
    await chat(gw.baseURL, 'pool');
    assert.equal(bad.hits, 1, 'exactly one probe after the cooldown');
    // Now open for 2 s: after 1 s it is still skipped.
    await sleep(1000);
    for (let request = 0; request < 4; request++) await chat(gw.baseURL, 'pool');
    assert.equal(bad.hits, 1, 'the cooldown grew');
    await sleep(1050);
    bad.mode = 'ok';
    for (let request = 0; request < 10; request++) assert.equal((await chat(gw.baseURL, 'pool')).status, 200);
    assert.ok(bad.hits >= 5, `the recovered target is back in rotation (${bad.hits} of 10)`);
  });
});

describe('retry budget', () => {
  let gw: RunningGateway;
  let storm: ControlledUpstream;

  before(async () => {
    storm = await controlledUpstream('storm');
    gw = await startGateway(`
providers:
${providersYaml([storm])}
routing:
  health: { consecutive_failures: 0 }
models:
  storm:
    retry: { attempts: 3, backoff: { base: 1ms, max: 2ms }, budget: { ratio: 0.2, min_per_second: 0, window: 10s } }
    targets: [{ provider: storm, model: m }]
  storm-default:
    retry: { attempts: 3, backoff: { base: 1ms, max: 2ms } }
    targets: [{ provider: storm, model: m }]
`);
  });
  after(async () => {
    await gw.close();
    await storm.standIn.close();
  });

  it('the retry budget holds under a 100% failure storm', async (t) => {
    storm.mode = '500';
    storm.hits = 0;
    const requests = 100;
    let failed = 0;
    for (let batch = 0; batch < requests / 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => chat(gw.baseURL, 'storm')));
      failed += answers.filter((answer) => answer.status === 500).length;
    }
    assert.equal(failed, requests);
    t.diagnostic(`${storm.hits} upstream attempts for ${requests} requests with attempts: 3 (without the budget: ${requests * 4})`);
    assert.ok(storm.hits >= requests && storm.hits <= requests * 1.2 + 1, `${storm.hits} upstream attempts for ${requests} requests (without the budget: ${requests * 4})`);
  });

  it('with the default budget the storm gets at most the documented 100 + 20% + 10/s × 10 s = 220 attempts', async (t) => {
    storm.mode = '500';
    storm.hits = 0;
    const requests = 100;
    for (let batch = 0; batch < requests / 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => chat(gw.baseURL, 'storm-default')));
      assert.ok(answers.every((answer) => answer.status === 500));
    }
    t.diagnostic(`${storm.hits} upstream attempts for ${requests} requests with the default budget`);
    // docs/routing.md (Budget): ratio 0.2 of the first attempts plus min_per_second × window.
    assert.ok(storm.hits <= requests + requests * 0.2 + 10 * 10, `${storm.hits} upstream attempts`);
    assert.ok(storm.hits > requests * 1.2, `the steady allowance adds retries beyond (1 + ratio) × the load (${storm.hits})`);
  });
});

describe('timeouts, deadline and active health checks', () => {
  let gw: RunningGateway;
  let slow: ControlledUpstream;
  let fine: ControlledUpstream;
  let checked: ControlledUpstream;
  let other: ControlledUpstream;

  before(async () => {
    [slow, fine, checked, other] = await Promise.all([controlledUpstream('slow'), controlledUpstream('fine'), controlledUpstream('checked'), controlledUpstream('other')]);
    slow.mode = 'hang';
    gw = await startGateway(`
providers:
  slow: { type: openai-compatible, base_url: "${slow.url}/v1", timeouts: { first_byte: 200ms } }
${providersYaml([fine, checked, other])}
models:
  hanging: { targets: [{ provider: slow, model: m }, { provider: fine, model: m }] }
  hang-only: { retry: { attempts: 5, backoff: { base: 1ms } }, targets: [{ provider: slow, model: m }] }
  watched:
    health_check: { interval: 100ms, timeout: 200ms }
    targets: [{ provider: checked, model: m }, { provider: other, model: m }]
routes:
  - { name: bounded, match: { model: bounded }, model: hang-only, deadline: 700ms }
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([slow, fine, checked, other].map((upstream) => upstream.standIn.close()));
  });

  it('a hanging target times out (first byte) and the next target answers', async () => {
    const answer = await chat(gw.baseURL, 'hanging');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-tollgate-provider'), 'fine');
    assert.equal(answer.headers.get('x-tollgate-attempts'), '2');
  });

  it('the total request deadline bounds all attempts together', async () => {
    const answer = await chat(gw.baseURL, 'bounded');
    assert.equal(answer.status, 504);
    assert.equal(answer.body.error?.code, 'deadline_exceeded');
    assert.ok(answer.ms >= 650 && answer.ms < 1500, `${answer.ms} ms`);
  });

  it('active checks take a target out of rotation before a request fails, and bring it back', async () => {
    checked.modelsStatus = 503;
    checked.hits = 0;
    await sleep(250);
    for (let request = 0; request < 6; request++) assert.equal((await chat(gw.baseURL, 'watched')).headers.get('x-tollgate-provider'), 'other');
    assert.equal(checked.hits, 0);
    checked.modelsStatus = 200;
    await sleep(250);
    const providers = new Set<string>();
    for (let request = 0; request < 4; request++) providers.add((await chat(gw.baseURL, 'watched')).headers.get('x-tollgate-provider')!);
    assert.ok(providers.has('checked'));
  });
});

describe('a group with every circuit open (fail_fast)', () => {
  let gw: RunningGateway;
  let broken: ControlledUpstream;
  let backup: ControlledUpstream;

  before(async () => {
    [broken, backup] = await Promise.all([controlledUpstream('broken'), controlledUpstream('backup')]);
    broken.mode = '500';
    gw = await startGateway(`
providers:
${providersYaml([broken, backup])}
routing:
  health: { consecutive_failures: 2, cooldown: 5s, fail_fast: true }
models:
  lonely: { targets: [{ provider: broken, model: m }] }
  spare:  { targets: [{ provider: backup, model: m }] }
routes:
  - { name: rescue, match: { model: rescue }, model: lonely, fallbacks: [spare] }
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([broken, backup].map((upstream) => upstream.standIn.close()));
  });

  it('fails fast with 503 no_healthy_target and Retry-After; a route falls back without trying it', async () => {
    assert.equal((await chat(gw.baseURL, 'lonely')).status, 500);
    assert.equal((await chat(gw.baseURL, 'lonely')).status, 500);
    const fast = await chat(gw.baseURL, 'lonely');
    assert.equal(fast.status, 503);
    assert.equal(fast.body.error?.code, 'no_healthy_target');
    assert.equal(fast.headers.get('retry-after'), '5');
    assert.equal(broken.hits, 2);
    const rescued = await chat(gw.baseURL, 'rescue');
    assert.equal(rescued.status, 200);
    assert.equal(rescued.headers.get('x-tollgate-provider'), 'backup');
    assert.equal(rescued.headers.get('x-tollgate-attempts'), '1');
    assert.equal(broken.hits, 2);
  });
});

describe('a group with every circuit open (default: last-resort try)', () => {
  let gw: RunningGateway;
  let single: ControlledUpstream;

  before(async () => {
    single = await controlledUpstream('single');
    gw = await startGateway(`
providers:
${providersYaml([single])}
routing:
  health: { consecutive_failures: 2, cooldown: 5s }
`);
  });
  after(async () => {
    await gw.close();
    await single.standIn.close();
  });

  it('still sends the request when no fallback could take over, so the client gets the provider’s own answer', async () => {
    single.queue = ['500', '500', '500', '429:60000'];
    assert.equal((await chat(gw.baseURL, 'single/m')).status, 500);
    assert.equal((await chat(gw.baseURL, 'single/m')).status, 500);
    assert.equal((await chat(gw.baseURL, 'single/m')).status, 500, 'the circuit is open, but this is the only way to an answer');
    const limited = await chat(gw.baseURL, 'single/m');
    assert.equal(limited.status, 429);
    const recovered = await chat(gw.baseURL, 'single/m');
    assert.equal(recovered.status, 200, 'a cooling-down single target is still tried');
    assert.equal(single.hits, 5);
  });
});

describe('a circuit that opens during a request', () => {
  let gw: RunningGateway;
  let flaky: ControlledUpstream;
  let shaky: ControlledUpstream;
  let reserve: ControlledUpstream;

  before(async () => {
    [flaky, shaky, reserve] = await Promise.all([controlledUpstream('flaky'), controlledUpstream('shaky'), controlledUpstream('reserve')]);
    gw = await startGateway(`
providers:
${providersYaml([flaky, shaky, reserve])}
routing:
  health: { consecutive_failures: 3, cooldown: 1s, max_cooldown: 4s }
  retry: { backoff: { base: 20ms, max: 40ms } }
models:
  rep:      { retry: { attempts: 3 }, targets: [{ provider: flaky, model: m }] }
  shaky:    { retry: { attempts: 3 }, targets: [{ provider: shaky, model: m }] }
  reserve:  { targets: [{ provider: reserve, model: m }] }
routes:
  - { name: only-unavailable, match: { model: guarded }, model: shaky, fallbacks: [reserve], fallback_on: [unavailable] }
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([flaky, shaky, reserve].map((upstream) => upstream.standIn.close()));
  });

  it('does not cut the configured attempts short when the only target is the one whose circuit opened', async () => {
    flaky.hits = 0;
    flaky.queue = ['500', '500', '500'];
    const answer = await chat(gw.baseURL, 'rep');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.headers.get('x-tollgate-attempts'), '4', 'attempts: 3 is 1 + 3 attempts, circuit or not');
    assert.equal(flaky.hits, 4);
  });

  it('a failed half-open probe is followed by the request\'s own retries', async () => {
    await sleep(1050);
    flaky.hits = 0;
    flaky.queue = ['500'];
    const answer = await chat(gw.baseURL, 'rep');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.headers.get('x-tollgate-attempts'), '2');
    assert.equal(flaky.hits, 2);
  });

  it('uses up the attempts and says so (x-should-retry: false) when the target never recovers', async () => {
    flaky.hits = 0;
    flaky.queue = ['500', '500', '500', '500'];
    const answer = await chat(gw.baseURL, 'rep');
    assert.equal(answer.status, 500);
    assert.equal(answer.headers.get('x-tollgate-attempts'), '4');
    assert.equal(answer.headers.get('x-should-retry'), 'false');
    assert.equal(flaky.hits, 4);
  });

  it('a group that became unavailable mid-request falls back under fallback_on: [unavailable]', async () => {
    shaky.hits = 0;
    reserve.hits = 0;
    shaky.mode = '500';
    const answer = await chat(gw.baseURL, 'guarded');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.headers.get('x-tollgate-provider'), 'reserve');
    assert.equal(shaky.hits, 3, 'the group stops where its circuit opened: a fallback takes over');
    assert.equal(answer.headers.get('x-tollgate-attempts'), '4');
    shaky.mode = 'ok';
  });
});

describe('a circuit that opens during a request (fail_fast)', () => {
  let gw: RunningGateway;
  let brittle: ControlledUpstream;
  let fragile: ControlledUpstream;
  let sturdy: ControlledUpstream;

  before(async () => {
    [brittle, fragile, sturdy] = await Promise.all([controlledUpstream('brittle'), controlledUpstream('fragile'), controlledUpstream('sturdy')]);
    gw = await startGateway(`
providers:
${providersYaml([brittle, fragile, sturdy])}
routing:
  health: { consecutive_failures: 2, cooldown: 3s, fail_fast: true }
  retry: { backoff: { base: 20ms, max: 40ms } }
models:
  rep:     { retry: { attempts: 3 }, targets: [{ provider: brittle, model: m }] }
  fragile: { retry: { attempts: 3 }, targets: [{ provider: fragile, model: m }] }
  sturdy:  { targets: [{ provider: sturdy, model: m }] }
routes:
  - { name: on-retryable, match: { model: careful }, model: fragile, fallbacks: [sturdy], fallback_on: [retryable] }
`);
  });
  after(async () => {
    await gw.close();
    await Promise.all([brittle, fragile, sturdy].map((upstream) => upstream.standIn.close()));
  });

  it('a fallback that takes only `retryable` still takes over when the circuits stop the retries', async () => {
    fragile.queue = ['500', '500'];
    const answer = await chat(gw.baseURL, 'careful');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.headers.get('x-tollgate-provider'), 'sturdy');
    assert.equal(fragile.hits, 2);
  });

  it('answers 503 no_healthy_target with Retry-After (the remaining cooldown), left to the client to retry', async () => {
    brittle.queue = ['500', '500', '500'];
    const answer = await chat(gw.baseURL, 'rep');
    assert.equal(answer.status, 503, JSON.stringify(answer.body));
    assert.equal(answer.body.error?.code, 'no_healthy_target');
    assert.equal(answer.headers.get('retry-after'), '3');
    assert.equal(answer.headers.get('x-should-retry'), null, 'the retry policy was not used up: the SDK may wait and retry');
    assert.equal(answer.headers.get('x-tollgate-attempts'), '2');
    assert.equal(brittle.hits, 2);
  });
});
