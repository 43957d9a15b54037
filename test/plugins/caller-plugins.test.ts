import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { refusal } from '../helpers/openai-sdk.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// Plugins per team and per consumer (`teams:`, `consumers:`), through the real gateway with the
// openai SDK: the most specific config wins (consumer, then team, then route, then global).

const adminToken = 'caller-plugins-admin-token';
const prompt = 'write to jane.doe@example.com please';

const config = `admin: { tokens: [{ token: ${adminToken}, role: admin }] }
plugins:
  key-auth:
    keys:
      - { key: tg-alice-0123456789, consumer: alice, team: web }
      - { key: tg-bob-0123456789, consumer: bob, team: web }
      - { key: tg-carol-0123456789, consumer: carol }
      - { key: tg-erin-0123456789, consumer: erin }
routes:
  - name: open
    match: { model: "echo/open*" }
    plugins: { pii: false }
teams:
  web:
    plugins:
      pii: { request: redact }
consumers:
  bob:
    plugins:
      pii: false
  carol:
    plugins:
      rate-limit: { limits: [{ scope: consumer, requests: 1, per: minute }] }
  dave:
    plugins:
      pii: { request: redact }
`;

function client(gw: RunningGateway, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: gw.baseURL, apiKey, maxRetries: 0 });
}

async function echoed(gw: RunningGateway, apiKey: string, model = 'echo/test'): Promise<string> {
  const answer = await client(gw, apiKey).chat.completions.create({ model, messages: [{ role: 'user', content: prompt }] });
  return answer.choices[0].message.content ?? '';
}

async function problemsOf(yaml: string): Promise<string> {
  let problems = '';
  await startGateway(yaml).then(
    (started) => started.close().then(() => assert.fail('the config was accepted')),
    (error: { problems?: string[] }) => (problems = String(error.problems ?? error)),
  );
  return problems;
}

describe('plugins per team and per consumer', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(config);
  });
  after(() => gw.close());

  it("a team's plugin applies to its consumers only", async () => {
    assert.match(await echoed(gw, 'tg-alice-0123456789'), /write to \[EMAIL\] please/);
    assert.match(await echoed(gw, 'tg-erin-0123456789'), /jane\.doe@example\.com/, 'a consumer of no team: no pii plugin');
  });

  it("a consumer's own config wins over its team's (false turns the plugin off)", async () => {
    assert.match(await echoed(gw, 'tg-bob-0123456789'), /jane\.doe@example\.com/);
  });

  it("a team's plugin wins over the route's, which turns it off for everyone else", async () => {
    assert.match(await echoed(gw, 'tg-alice-0123456789', 'echo/open-1'), /\[EMAIL\]/);
    assert.match(await echoed(gw, 'tg-erin-0123456789', 'echo/open-1'), /jane\.doe@example\.com/);
  });

  it("a consumer's own rate limit counts and refuses its requests only, and the 429 is recorded under it", async () => {
    assert.match(await echoed(gw, 'tg-carol-0123456789'), /jane/);
    const refused = await refusal(echoed(gw, 'tg-carol-0123456789'));
    assert.equal(refused.status, 429);
    assert.equal((refused.error as { type?: string }).type, 'rate_limit_error');
    assert.ok(refused.headers?.get('retry-after'));
    assert.ok(refused.headers?.get('x-request-id'));
    // Others are not limited by carol's plugin.
    for (let index = 0; index < 3; index++) await echoed(gw, 'tg-erin-0123456789');
    const usage = await fetch(`${gw.adminUrl}/usage?group_by=consumer,status`, { headers: { authorization: `Bearer ${adminToken}` } });
    const rows = ((await usage.json()) as { data: Array<{ consumer: string | null; status: number; requests: number }> }).data;
    assert.deepEqual(rows.filter((row) => row.consumer === 'carol').map((row) => [row.status, row.requests]).sort(), [[200, 1], [429, 1]]);
  });

  it('applies to consumers made through the Admin API, by name', async () => {
    const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    const consumer = (await (await fetch(`${gw.adminUrl}/consumers`, { method: 'POST', headers, body: JSON.stringify({ name: 'dave' }) })).json()) as { id: string };
    const key = (await (await fetch(`${gw.adminUrl}/keys`, { method: 'POST', headers, body: JSON.stringify({ consumer: consumer.id }) })).json()) as { key: string };
    assert.match(await echoed(gw, key.key), /\[EMAIL\]/);
  });

  it('keeps the count_tokens estimate behind the caller’s guardrails', async () => {
    // pii block for a consumer: its count_tokens is refused like its messages would be.
    const blocking = await startGateway(`plugins: { key-auth: { keys: [{ key: tg-frank-0123456789, consumer: frank }, { key: tg-gina-0123456789, consumer: gina }] } }
consumers: { frank: { plugins: { pii: { request: block } } } }`);
    try {
      const count = (apiKey: string) =>
        fetch(`${blocking.url}/v1/messages/count_tokens`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'echo/test', messages: [{ role: 'user', content: prompt }] }) });
      const refused = await count('tg-frank-0123456789');
      assert.equal(refused.status, 400);
      assert.equal(((await refused.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
      const counted = await count('tg-gina-0123456789');
      assert.equal(counted.status, 200);
      assert.ok(((await counted.json()) as { input_tokens: number }).input_tokens > 0);
    } finally {
      await blocking.close();
    }
  });

  it('refuses authentication plugins and unknown plugins per caller, naming the path', async () => {
    assert.match(await problemsOf('consumers: { alice: { plugins: { key-auth: {} } } }'), /consumers\.alice\.plugins\.key-auth: runs before the caller is known/);
    assert.match(await problemsOf('teams: { web: { plugins: { jwt: { secret: x } } } }'), /teams\.web\.plugins\.jwt: runs before the caller is known/);
    assert.match(await problemsOf('teams: { web: { plugins: { no-such-plugin: {} } } }'), /teams\.web\.plugins\.no-such-plugin: unknown plugin/);
    assert.match(await problemsOf('consumers: { alice: { plugins: { pii: { request: shout } } } }'), /consumers\.alice\.plugins\.pii\.request/);
    assert.match(await problemsOf('consumers: { alice: { plugin: {} } }'), /consumers\.alice/);
  });
});
