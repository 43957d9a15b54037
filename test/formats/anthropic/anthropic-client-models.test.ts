import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';

const gatewayKey = 'tg-models-key';
const limitedKey = 'tg-limited-key';

/** What the gateway answers for a model it knows no release date of (Anthropic documents an epoch value). */
function modelInfo(id: string): Record<string, unknown> {
  return { type: 'model', id, display_name: id, created_at: '1970-01-01T00:00:00Z', capabilities: null, deprecated_at: null, lifecycle: 'active', line: null, max_input_tokens: null, max_tokens: null, retires_at: null };
}

/**
 * The model list to the Anthropic SDK (which always sends `anthropic-version`): Anthropic's Models
 * API shape, paging and errors; the OpenAI SDK keeps OpenAI's list. And Anthropic endpoints the
 * gateway does not serve (Message Batches) answer 404 in Anthropic's error shape.
 */
describe("Anthropic SDK clients: GET /v1/models in Anthropic's shape, unserved /v1/messages/ endpoints", () => {
  let gateway: RunningGateway;
  let client: Anthropic;

  before(async () => {
    gateway = await startGateway(`
providers:
  anth: { type: anthropic, base_url: "http://127.0.0.1:9", api_key: upstream-key, models: [claude-sonnet-4-5, claude-opus-4-1, claude-haiku-4-5] }
models:
  smart: { targets: [{ provider: anth, model: claude-sonnet-4-5 }] }
plugins:
  key-auth: { keys: [{ key: "${gatewayKey}", consumer: app }, { key: "${limitedKey}", consumer: limited, models: ["anth/claude-haiku-4-5"] }] }
`);
    client = new Anthropic({ baseURL: gateway.url, apiKey: gatewayKey, maxRetries: 0 });
  });
  after(() => gateway.close());

  it('models.list: ModelInfo entries, has_more, first_id and last_id', async () => {
    const page = await client.models.list();
    const ids = page.data.map((model) => model.id);
    assert.ok(ids.includes('smart') && ids.includes('anth/claude-sonnet-4-5'), ids.join(','));
    assert.deepEqual(page.data.find((model) => model.id === 'anth/claude-opus-4-1'), modelInfo('anth/claude-opus-4-1'));
    assert.equal(page.has_more, false);
    assert.equal(page.first_id, ids[0]);
    assert.equal(page.last_id, ids.at(-1));
  });

  it('limit, after_id and before_id page through the list; the SDK iterates every page in order', async () => {
    const all = (await client.models.list({ limit: 1000 })).data.map((model) => model.id);
    assert.ok(all.length >= 4);
    const first = await client.models.list({ limit: 2 });
    assert.deepEqual(first.data.map((model) => model.id), all.slice(0, 2));
    assert.equal(first.has_more, true);
    const second = await client.models.list({ limit: 2, after_id: first.last_id! });
    assert.deepEqual(second.data.map((model) => model.id), all.slice(2, 4));
    const before = await client.models.list({ limit: 1, before_id: all[2] });
    assert.deepEqual([before.data.map((model) => model.id), before.has_more], [[all[1]], true]);
    const iterated: string[] = [];
    for await (const model of client.models.list({ limit: 1 })) iterated.push(model.id);
    assert.deepEqual(iterated, all);
    // Every model the gateway serves is active.
    assert.deepEqual((await client.models.list({ lifecycle: ['retired'] })).data, []);
    assert.deepEqual((await client.models.list({ lifecycle: ['active', 'deprecated'] })).data.length, all.length);
  });

  it('models.retrieve: one ModelInfo, for any id a request could use; an unknown one is not_found_error', async () => {
    assert.deepEqual({ ...(await client.models.retrieve('anth/claude-sonnet-4-5')) }, modelInfo('anth/claude-sonnet-4-5'));
    assert.deepEqual({ ...(await client.models.retrieve('anth/claude-3-7-sonnet-latest')) }, modelInfo('anth/claude-3-7-sonnet-latest'));
    const missing = await client.models.retrieve('nowhere/model').catch((error: unknown) => error);
    assert.ok(missing instanceof Anthropic.NotFoundError);
    assert.equal((missing.error as { type: string; error: { type: string } }).type, 'error');
    assert.equal((missing.error as { error: { type: string } }).error.type, 'not_found_error');
    assert.match(String(missing.requestID), /^[0-9a-f-]{36}$/);
  });

  it("errors in Anthropic's shape: a bad limit (400), a wrong key (401), a model the key may not use (403)", async () => {
    const badLimit = await client.models.list({ limit: 0 }).catch((error: unknown) => error);
    assert.ok(badLimit instanceof Anthropic.BadRequestError);
    assert.equal((badLimit.error as { error: { type: string } }).error.type, 'invalid_request_error');
    const unknownKey = new Anthropic({ baseURL: gateway.url, apiKey: 'wrong', maxRetries: 0 });
    const unauthenticated = await unknownKey.models.list().catch((error: unknown) => error);
    assert.ok(unauthenticated instanceof Anthropic.AuthenticationError);
    assert.equal((unauthenticated.error as { error: { type: string } }).error.type, 'authentication_error');
    const limited = new Anthropic({ baseURL: gateway.url, apiKey: limitedKey, maxRetries: 0 });
    assert.deepEqual((await limited.models.list()).data.map((model) => model.id), ['anth/claude-haiku-4-5']);
    const forbidden = await limited.models.retrieve('smart').catch((error: unknown) => error);
    assert.ok(forbidden instanceof Anthropic.PermissionDeniedError);
    assert.equal((forbidden.error as { error: { type: string } }).error.type, 'permission_error');
  });

  it("the OpenAI SDK (no anthropic-version) keeps OpenAI's list", async () => {
    const openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: gatewayKey, maxRetries: 0 });
    const list = await openai.models.list();
    assert.deepEqual(list.data.find((model) => model.id === 'smart'), { id: 'smart', object: 'model', created: 0, owned_by: 'tollgate' });
    assert.deepEqual({ ...(await openai.models.retrieve('anth/claude-sonnet-4-5')) }, { id: 'anth/claude-sonnet-4-5', object: 'model', created: 0, owned_by: 'anth' });
  });

  it("F12: Message Batches (not served) answer 404 in Anthropic's error shape", async () => {
    const calls = [
      () => client.messages.batches.create({ requests: [{ custom_id: 'a', params: { model: 'smart', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] } }] }),
      () => client.messages.batches.list(),
      () => client.messages.batches.retrieve('msgbatch_01'),
    ];
    for (const call of calls) {
      const error = await call().catch((caught: unknown) => caught);
      assert.ok(error instanceof Anthropic.NotFoundError);
      assert.equal((error.error as { type: string }).type, 'error');
      assert.equal((error.error as { error: { type: string; message: string } }).error.type, 'not_found_error');
      assert.match((error.error as { error: { message: string } }).error.message, /not an endpoint of this gateway/);
      assert.match(String(error.requestID), /^[0-9a-f-]{36}$/);
    }
  });
});
