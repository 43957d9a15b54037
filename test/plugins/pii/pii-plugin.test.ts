import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from 'pino';
import type { ChatRequest, ChatResponse } from '../../../src/canonical/chat.ts';
import type { RequestContext } from '../../../src/pipeline/context.ts';
import type { PluginDependencies } from '../../../src/pipeline/plugin.ts';
import { piiDefinition } from '../../../src/plugins/pii/definition.ts';
import { createPiiPlugin } from '../../../src/plugins/pii/index.ts';
import { piiConfigSchema, resolvePolicy } from '../../../src/plugins/pii/pii-config.ts';
import { pluginDefinitions } from '../../../src/plugins/registry.ts';

function recordingLogger(lines: unknown[]): Logger {
  const record = (object: unknown, message?: string) => lines.push({ object, message });
  return { info: record, warn: record, error: record, debug: record } as unknown as Logger;
}

function context(body: object, operation: RequestContext['operation'] = 'chat'): RequestContext {
  return { id: 'req-1', operation, body, bodyChanged: false, state: new Map(), stream: false } as unknown as RequestContext;
}

function plugin(config: unknown, lines: unknown[] = []) {
  return createPiiPlugin(piiConfigSchema.parse(config), { logger: recordingLogger(lines) } as unknown as PluginDependencies);
}

describe('pii plugin', () => {
  it('is registered with a priority in the guardrails range', () => {
    assert.equal(pluginDefinitions.get('pii'), piiDefinition);
    assert.ok(piiDefinition.priority >= 1000 && piiDefinition.priority <= 1999);
  });

  it('a request with nothing found keeps no state when the response is not scanned; one with a find, or a response scan, does', () => {
    const requestOnly = plugin({ request: 'mask' });
    const clean = context({ model: 'm', messages: [{ role: 'user', content: 'Hello there' }] });
    requestOnly.onRequest!(clean);
    assert.equal(clean.state.has('pii'), false, 'nothing held for the life of a clean request (a stream lives seconds)');
    assert.equal(requestOnly.rewritesStream!(clean), false);
    const found = context({ model: 'm', messages: [{ role: 'user', content: 'Mail me at ana@example.com' }] });
    requestOnly.onRequest!(found);
    assert.equal(found.state.has('pii'), true);
    assert.equal(requestOnly.rewritesStream!(found), true);
    const bothWays = plugin({ request: 'mask', response: 'redact' });
    const cleanBothWays = context({ model: 'm', messages: [{ role: 'user', content: 'Hello there' }] });
    bothWays.onRequest!(cleanBothWays);
    assert.equal(cleanBothWays.state.has('pii'), true);
  });

  it('config: `{ request: mask, response: redact }` turns every built-in detector on, person_name on requests only', () => {
    const policy = resolvePolicy(piiConfigSchema.parse({ request: 'mask', response: 'redact' }));
    assert.equal(policy.enabled.length, 18);
    assert.ok(policy.enabled.includes('street_address') && policy.enabled.includes('national_id'));
    assert.deepEqual(policy.actions.get('email'), { request: 'mask', response: 'redact' });
    assert.deepEqual(policy.actions.get('person_name'), { request: 'mask', response: 'off' });
    const answers = resolvePolicy(piiConfigSchema.parse({ request: 'mask', response: 'redact', entities: { person_name: { response: 'redact' } } }));
    assert.deepEqual(answers.actions.get('person_name'), { request: 'mask', response: 'redact' });
    const off = resolvePolicy(piiConfigSchema.parse({ request: 'mask', entities: { person_name: false } }));
    assert.ok(!off.enabled.includes('person_name'));
  });

  it('config: entities narrow and tune; per-entity actions override the direction defaults', () => {
    const policy = resolvePolicy(
      piiConfigSchema.parse({
        request: 'mask',
        response: 'redact',
        entities: { email: { action: 'block' }, phone: false, ssn: { response: 'log-only' }, ip_address: { action: 'off' } },
        custom: [{ name: 'EMPLOYEE_ID', pattern: 'E-\\d{6}', action: 'redact' }],
      }),
    );
    assert.ok(!policy.enabled.includes('phone') && !policy.enabled.includes('ip_address'));
    assert.deepEqual(policy.actions.get('email'), { request: 'block', response: 'block' });
    assert.deepEqual(policy.actions.get('ssn'), { request: 'mask', response: 'log-only' });
    assert.deepEqual(policy.actions.get('EMPLOYEE_ID'), { request: 'redact', response: 'redact' });
  });

  it('config: rejects unknown entities, bad actions, bad regexes and lower-case custom names', () => {
    for (const bad of [{ entities: { passport: false } }, { request: 'hide' }, { custom: [{ name: 'X', pattern: '(' }] }, { custom: [{ name: 'employee', pattern: 'x' }] }, { extra: 1 }]) {
      assert.equal(piiConfigSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
    assert.equal(piiConfigSchema.safeParse({}).success, true);
  });

  it('redacts a request and sets bodyChanged; leaves an untouched request alone', async () => {
    const pii = plugin({ request: 'redact' });
    const ctx = context({ model: 'm', messages: [{ role: 'user', content: 'mail me at a.b@example.com' }] });
    await pii.onRequest!(ctx);
    assert.equal((ctx.body as ChatRequest).messages[0].content, 'mail me at [EMAIL]');
    assert.equal(ctx.bodyChanged, true);
    const clean = context({ model: 'm', messages: [{ role: 'user', content: 'nothing to see' }] });
    await pii.onRequest!(clean);
    assert.equal(clean.bodyChanged, false);
  });

  it('log-only changes nothing but is logged as types and counts', async () => {
    const lines: unknown[] = [];
    const pii = plugin({ request: 'log-only' }, lines);
    const ctx = context({ model: 'm', messages: [{ role: 'user', content: 'a.b@example.com and c@example.com, SSN 536-22-1234' }] });
    await pii.onRequest!(ctx);
    assert.equal(ctx.bodyChanged, false);
    pii.onLog!(ctx);
    assert.equal(lines.length, 1);
    const logged = JSON.stringify(lines[0]);
    assert.match(logged, /"EMAIL":2/);
    assert.match(logged, /"SSN":1/);
    assert.ok(!logged.includes('example.com') && !logged.includes('536-22'), 'no raw values in the log');
  });

  it('masks the completions prompt and embedding inputs, restores text completions', async () => {
    const pii = plugin({ request: 'mask' });
    const completion = context({ model: 'm', prompt: 'call +44 20 7946 0958' }, 'completions');
    await pii.onRequest!(completion);
    assert.equal((completion.body as { prompt: string }).prompt, 'call <PHONE_1>');
    const response = { id: 'x', object: 'text_completion', created: 1, model: 'm', choices: [{ index: 0, text: 'ok <PHONE_1>', finish_reason: 'stop', logprobs: null }] };
    await pii.onResponse!(completion, response as never);
    assert.equal(response.choices[0].text, 'ok +44 20 7946 0958');
    const embeddings = context({ model: 'm', input: ['a@example.com', 'plain'] }, 'embeddings');
    await pii.onRequest!(embeddings);
    assert.deepEqual((embeddings.body as { input: string[] }).input, ['<EMAIL_1>', 'plain']);
  });

  it('response block: a non-streamed answer with a blocked entity becomes pii_detected', async () => {
    const pii = plugin({ request: 'off', response: 'redact', entities: { credit_card: { response: 'block' } } });
    const ctx = context({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await pii.onRequest!(ctx);
    const response: ChatResponse = { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'card 4111111111111111' }, finish_reason: 'stop' }] };
    await assert.rejects(async () => pii.onResponse!(ctx, response), (error: { code: string; message: string }) => error.code === 'pii_detected' && !error.message.includes('4111'));
  });

  it('response mask pseudonymises new values without restoring them or clashing with request placeholders', async () => {
    const pii = plugin({ request: 'mask', response: 'mask' });
    const ctx = context({ model: 'm', messages: [{ role: 'user', content: 'I am ann@example.com' }] });
    await pii.onRequest!(ctx);
    const response: ChatResponse = { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi <EMAIL_1>, I cc’d bob@example.com.' }, finish_reason: 'stop' }] };
    await pii.onResponse!(ctx, response);
    assert.equal(response.choices[0].message.content, 'Hi ann@example.com, I cc’d <EMAIL_2>.');
  });
});
