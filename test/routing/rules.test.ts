import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatRequest, decide, routerFrom, routerProblems } from './routing-fixtures.ts';

const router = routerFrom(`
models:
  default-group: { targets: [{ provider: a, model: m }] }
  long:     { targets: [{ provider: b, model: long }] }
  short:    { targets: [{ provider: b, model: short }] }
  vision:   { targets: [{ provider: c, model: vision }] }
  tools:    { targets: [{ provider: c, model: tools }] }
  code:     { targets: [{ provider: d, model: code }] }
  translate: { targets: [{ provider: d, model: translate }] }
  priority: { targets: [{ provider: e, model: priority }] }
  premium:  { targets: [{ provider: e, model: premium }] }
  gold:     { targets: [{ provider: e, model: gold }] }
routes:
  - name: smart
    match: { model: smart }
    model: default-group
    rules:
      - { name: long-prompts, when: { prompt_tokens_above: 1000 }, model: long }
      - { name: images, when: { has_images: true }, model: vision }
      - { name: tools, when: { has_tools: true }, model: tools }
      - { name: code, when: { last_user_message_matches: "/\\\\b(function|class)\\\\b/i" }, model: code }
      - { name: translate, when: { last_user_message_contains: [translate, traduis] }, model: translate }
      - { name: header, when: { headers: { x-priority: high } }, model: priority }
      - { name: metadata, when: { metadata: { plan: enterprise } }, model: premium }
      - { name: tier, when: { tier: [gold, platinum] }, model: gold }
      - { name: tiny, when: { prompt_tokens_below: 8 }, model: short }
`);

function routed(fields: Parameters<typeof chatRequest>[0]): { group: string; rule: string | null } {
  const decision = decide(router, chatRequest(fields));
  return { group: decision.groups[0].name, rule: decision.rule };
}

describe('content-based rules (first match wins, default group otherwise)', () => {
  it('estimated prompt tokens above and below N', () => {
    assert.deepEqual(routed({ model: 'smart', content: 'word '.repeat(1200) }), { group: 'long', rule: 'long-prompts' });
    assert.deepEqual(routed({ model: 'smart', content: 'x' }), { group: 'short', rule: 'tiny' });
    assert.deepEqual(routed({ model: 'smart', content: 'an ordinary question about the weather' }), { group: 'default-group', rule: null });
  });

  it('messages with images or tools', () => {
    const image = [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }];
    assert.equal(routed({ model: 'smart', content: image }).group, 'vision');
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: {} } }];
    assert.equal(routed({ model: 'smart', content: 'call something please', body: { tools } }).group, 'tools');
    const toolResult = { messages: [{ role: 'user', content: 'hi there friend' }, { role: 'assistant', tool_calls: [{ id: '1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: '1', content: '42' }] };
    assert.equal(routed({ model: 'smart', body: toolResult }).group, 'tools');
  });

  it('a regex and keywords on the last user message', () => {
    assert.equal(routed({ model: 'smart', content: 'Write a Function that adds two numbers' }).group, 'code');
    assert.equal(routed({ model: 'smart', content: 'Please TRANSLATE this to French' }).group, 'translate');
    const earlierOnly = { messages: [{ role: 'user', content: 'translate this' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'thanks a lot for that' }] };
    assert.equal(routed({ model: 'smart', body: earlierOnly }).group, 'default-group', 'only the last user message counts');
  });

  it('header values, caller metadata and consumer tier', () => {
    const plain = 'an ordinary question about the weather';
    assert.equal(routed({ model: 'smart', content: plain, headers: { 'x-priority': 'high' } }).group, 'priority');
    assert.equal(routed({ model: 'smart', content: plain, headers: { 'x-priority': 'low' } }).group, 'default-group');
    assert.equal(routed({ model: 'smart', content: plain, caller: { consumer: 'acme', metadata: { plan: 'enterprise' } } }).group, 'premium');
    assert.equal(routed({ model: 'smart', content: plain, caller: { consumer: 'acme', metadata: { tier: 'platinum' } } }).group, 'gold');
    assert.equal(routed({ model: 'smart', content: plain, caller: { consumer: 'acme', metadata: { tier: 'free' } } }).group, 'default-group');
  });

  it('rules are evaluated in order: the first match wins', () => {
    const both = [{ type: 'text', text: 'word '.repeat(1200) }, { type: 'image_url', image_url: { url: 'data:,' } }];
    assert.equal(routed({ model: 'smart', content: both }).group, 'long');
  });

  it('reports bad regexes and unknown groups at config load', () => {
    const problems = routerProblems(`
models: { g: { targets: [{ provider: a, model: m }] } }
routes:
  - match: { model: x }
    rules: [{ when: { last_user_message_matches: "(" }, model: g }, { when: { has_tools: true }, model: nowhere }]
    split: [{ model: g, weight: 1 }, { model: missing, weight: 1 }]
`);
    assert.match(problems[0], /^routes\[0\]\.rules\[0\]\.when\.last_user_message_matches: not a valid regular expression/);
    assert.match(problems[1], /^routes\[0\]\.rules\[1\]\.model: "nowhere" names no model group/);
    assert.match(problems[2], /^routes\[0\]\.split\[1\]\.model: "missing" names no model group/);
  });
});

describe('route matching', () => {
  const routes = routerFrom(`
models:
  g1: { targets: [{ provider: a, model: one }] }
  g2: { targets: [{ provider: b, model: two }] }
  g3: { targets: [{ provider: c, model: three }] }
  g4: { targets: [{ provider: d, model: four, region: eu-west }, { provider: e, model: four, region: us-east }] }
routes:
  - { name: by-path, match: { path: /v1/embeddings }, model: g3 }
  - { name: glob, match: { model: "gpt-4*", headers: { x-team: search } }, model: g1 }
  - { name: premium, match: { model: gpt-4o, metadata: { tier: premium } }, model: g2 }
  - { name: exact, match: { model: gpt-4o }, model: g3 }
  - { name: eu, match: { model: eu-only }, model: g4, region: "eu-*" }
`);

  it('matches path, model globs and exact names, headers, in config order', () => {
    assert.equal(routes.plan('gpt-4o', '/v1/embeddings', {}).route?.name, 'by-path');
    assert.equal(routes.plan('gpt-4o', '/v1/chat/completions', { 'x-team': 'search' }).route?.name, 'glob');
    assert.equal(routes.plan('gpt-4o', '/v1/chat/completions', {}).route?.name, 'exact');
    assert.equal(routes.matchRoute("gpt-4o-mini", "/v1/chat/completions", {}), null);
  });

  it('matches caller metadata once the caller is known', () => {
    const request = chatRequest({ model: 'gpt-4o', caller: { consumer: 'x', metadata: { tier: 'premium' } } });
    const decision = decide(routes, request);
    assert.equal(decision.route?.name, 'premium');
    assert.equal(decision.groups[0].name, 'g2');
    assert.equal(decide(routes, chatRequest({ model: 'gpt-4o', caller: { metadata: { tier: 'basic' } } })).route?.name, 'exact');
  });

  it('a region restriction keeps only targets of that region', async () => {
    const { usableTargets } = await import('../../src/routing/selection.ts');
    const decision = decide(routes, chatRequest({ model: 'eu-only' }));
    const usable = usableTargets(decision.groups[0], decision.route, () => true, performance.now());
    assert.deepEqual(usable.map((target) => target.region), ['eu-west']);
  });
});
