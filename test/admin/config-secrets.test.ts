import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { redactSecrets } from '../../src/admin/redact-secrets.ts';
import { redactUrlSecrets } from '../../src/config/redact-url-secrets.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// The read-only views of the YAML hide the secrets a URL carries (docs/admin-api.md, "YAML and
// the Admin API": secrets show as ***), to a viewer token as to an admin one.

const adminToken = 'secrets-admin-token';
const viewerToken = 'secrets-viewer-token';
const secrets = ['WebhookTokSECRET', 'RlRedisSECRET', 'CacheRedisSECRET', 'RouteSigSECRET', 'sk-provider-secret'];

describe('Admin API: secrets inside URLs of the YAML', () => {
  let gw: RunningGateway;
  const get = async (path: string, token = viewerToken) => {
    const response = await fetch(`${gw.adminUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    assert.equal(response.status, 200, `${path}: ${text}`);
    return { text, body: JSON.parse(text) };
  };

  before(async () => {
    gw = await startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }, { token: ${viewerToken}, role: viewer }] }
providers:
  up: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1", api_key: "sk-provider-secret", models: [m1] }
routes:
  - name: hooked
    match: { model: "hooked-*" }
    model: up/m1
    plugins: { rate-limit: { backend: memory, webhook_url: "https://hooks.example.com/route?sig=RouteSigSECRET&channel=ops" } }
plugins:
  rate-limit:
    backend: memory
    webhook_url: "https://hooks.example.com/budgets?token=WebhookTokSECRET&channel=ops"
    redis_url: "redis://:RlRedisSECRET@127.0.0.1:6379/5"
  cache: { backend: memory, redis_url: "redis://cache-user:CacheRedisSECRET@127.0.0.1:6379/5" }`);
  });
  after(() => gw.close());

  it('shows no password or credential parameter of any URL, and keeps the rest readable', async () => {
    const answers = await Promise.all(['/plugins', '/plugins/rate-limit', '/plugins/cache', '/plugins/hooked:rate-limit', '/providers', '/providers/up', '/routes', '/routes/hooked'].map((path) => get(path)));
    const everything = answers.map((answer) => answer.text).join('\n');
    for (const secret of secrets) assert.ok(!everything.includes(secret), `${secret} is shown`);

    const [, rateLimit, cache, routeRateLimit, , provider] = answers.map((answer) => answer.body);
    assert.equal(rateLimit.config.webhook_url, 'https://hooks.example.com/budgets?token=***&channel=ops');
    assert.equal(rateLimit.config.redis_url, 'redis://:***@127.0.0.1:6379/5');
    assert.equal(cache.config.redis_url, 'redis://cache-user:***@127.0.0.1:6379/5');
    assert.equal(routeRateLimit.config.webhook_url, 'https://hooks.example.com/route?sig=***&channel=ops');
    // A base_url with credentials or a query string is refused by the config (test/config/base-url-parts.test.ts).
    assert.equal(provider.base_url, 'http://127.0.0.1:9/v1');
    assert.equal(provider.api_key_set, true);
    // The admin token sees no more than the viewer.
    assert.equal((await get('/providers/up', adminToken)).body.base_url, provider.base_url);
  });
});

describe('redactUrlSecrets', () => {
  it('masks userinfo passwords, lone userinfo tokens and credential parameters, nothing else', () => {
    const cases: Array<[string, string]> = [
      ['redis://:pw@127.0.0.1:6379/5', 'redis://:***@127.0.0.1:6379/5'],
      ['rediss://default:pw@cache.internal:6380', 'rediss://default:***@cache.internal:6380'],
      ['https://ghp_token@github.com/org/repo.git', 'https://***@github.com/org/repo.git'],
      ['http://user:@host/', 'http://user:@host/'],
      ['https://host/path?key=a&apiKey=b&api-key=c&client_secret=d&password=e&access_token=f&sig=g&X-Amz-Signature=h&X-Amz-Credential=i&X-Amz-Security-Token=j&region=eu', 'https://host/path?key=***&apiKey=***&api-key=***&client_secret=***&password=***&access_token=***&sig=***&X-Amz-Signature=***&X-Amz-Credential=***&X-Amz-Security-Token=***&region=eu'],
      ['https://app.example.com/callback#access_token=abc&state=xyz', 'https://app.example.com/callback#access_token=***&state=xyz'],
      ['http://127.0.0.1:8080/v1', 'http://127.0.0.1:8080/v1'],
      ['https://host/path?token=', 'https://host/path?token='],
      ['see http://a:b@c/d and https://e/f?token=t', 'see http://a:***@c/d and https://e/f?token=***'],
      ['not a url: key=value', 'not a url: key=value'],
    ];
    for (const [input, expected] of cases) assert.equal(redactUrlSecrets(input), expected, input);
  });

  it('applies inside any config value, beside the secret-named fields', () => {
    assert.deepEqual(redactSecrets({ endpoint: 'https://u:p@collector/v1/traces', headers: { authorization: 'Bearer x' }, list: ['redis://:p@h'], port: 6379 }), {
      endpoint: 'https://u:***@collector/v1/traces',
      headers: { authorization: '***' },
      list: ['redis://:***@h'],
      port: 6379,
    });
  });

  it('hides every header value, and text under names that end in key or token or hold secret, password, authorization, cookie, credential (dash audit: x-api-key, dd-api-key, x-honeycomb-team, authToken... were shown to viewers)', () => {
    const config = {
      exporter: { endpoint: 'http://collector:4318', headers: { 'x-api-key': 'k1', 'dd-api-key': 'k2', 'x-honeycomb-team': 'k3', 'Ocp-Apim-Subscription-Key': 'k4', cookie: 'k5' } },
      custom: { authToken: 'k6', secretKey: 'k7', passwd: 'k8', 'x-goog-api-key': 'k9', 'proxy-authorization': 'k10', 'x-secret': 'k11', credentials: { client_email: 'a@b', private_key: 'k12' } },
      limits: [{ scope: 'key', tokens: 200000, per: 'minute' }],
      keys: [{ key: 'tg-k13', consumer: 'app' }],
      key_prefix: 'tollgate:cache:',
      timeout: '5s',
    };
    const shown = JSON.stringify(redactSecrets(config));
    for (let index = 1; index <= 13; index++) assert.ok(!shown.includes(`"k${index}"`) && !shown.includes('tg-k13'), `k${index} is shown: ${shown}`);
    assert.deepEqual((redactSecrets(config) as typeof config).limits, config.limits, 'numbers are no secrets');
    assert.equal((redactSecrets(config) as typeof config).keys[0].consumer, 'app');
    assert.equal((redactSecrets(config) as typeof config).timeout, '5s');
    assert.deepEqual(Object.keys((redactSecrets(config) as typeof config).exporter.headers), Object.keys(config.exporter.headers), 'header names stay readable');
  });
});
