import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { runCli } from '../helpers/run-cli.ts';
import { startGateway } from '../helpers/start-gateway.ts';

// Blind audit (cost accounting, LOW 2): `pricing:` under a name that is neither a configured
// provider nor a provider type passed `config validate` and priced nothing, and so did a service
// tier no answer names (`turbo`). src/usage/README.md calls the entries that would price nothing
// config problems naming their path: `config validate` reports them, the gateway does not start
// with them, and a reload to them is rejected.

const pricesNothing = `
providers:
  local: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1", models: [llama] }
  claude: { type: anthropic, api_key: sk-ant-test }
pricing:
  nosuchprovider: { m: { input: 1, output: 2 } }
  openai:
    gpt-4o: { service_tiers: { turbo: { input: 1 }, priority: { input: 4 } } }
  claude:
    claude-sonnet-4-5: { service_tiers: { priority: { input: 4 } } }
  local:
    llama: { input: 0.1, output: 0.2, service_tiers: { anything-it-names: { input: 0.05 } } }
  groq:
    llama-3.3-70b-versatile: { service_tiers: { flex: { input: 0.5 }, default: { input: 0.6 } } }
`;

const problems = [
  "pricing.nosuchprovider: no provider is named 'nosuchprovider' and no provider type is",
  "pricing.openai.gpt-4o.service_tiers.turbo: openai answers never name the tier 'turbo' in service_tier (they name default, flex, priority, scale)",
  'pricing.claude.claude-sonnet-4-5.service_tiers.priority: the gateway reads no service tier from the answers of provider type anthropic',
  "pricing.groq.llama-3.3-70b-versatile.service_tiers.default: groq answers never name the tier 'default'",
];
const accepted = ['pricing.openai.gpt-4o.service_tiers.priority', 'pricing.local', 'pricing.groq.llama-3.3-70b-versatile.service_tiers.flex'];

describe('pricing: entries under an unknown provider name or an unknown service tier', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tollgate-pricing-names-'));
  });
  after(() => rm(directory, { recursive: true, force: true }));

  it('`tollgate config validate` names each one and fails', async () => {
    const path = join(directory, 'names.yaml');
    await writeFile(path, pricesNothing);
    const { code, stderr } = await runCli(['config', 'validate', path]);
    assert.equal(code, 1, stderr);
    for (const problem of problems) assert.ok(stderr.includes(problem), `${problem} in:\n${stderr}`);
    for (const fine of accepted) assert.ok(!stderr.includes(`${fine}:`), `${fine} is accepted:\n${stderr}`);
    assert.match(stderr, /write a provider name from providers: \(claude, echo, local\) or a provider type \([^)]*openai-compatible[^)]*\)/);
  });

  it('the gateway refuses to start on them', async () => {
    await assert.rejects(startGateway(pricesNothing), (error: Error) => problems.every((problem) => error.message.includes(problem)));
  });

  it('a reload to a misspelt provider name is rejected and the running prices stay', async () => {
    const path = join(directory, 'reload.yaml');
    await writeFile(path, 'pricing:\n  echo: { "*": { input: 1000, output: 1000 } }\n');
    const gateway = await startGateway('', {}, { configPath: path });
    try {
      const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
      const price = async () => Number((await client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }).withResponse()).response.headers.get('x-tollgate-cost-usd'));
      const before = await price();
      assert.ok(before > 0);
      await writeFile(path, 'pricing:\n  echo: { "*": { input: 1000, output: 1000 } }\n  ecoh: { "*": { input: 1, output: 1 } }\n');
      assert.equal(await gateway.gateway.reload(), false);
      assert.equal(await price(), before);
    } finally {
      await gateway.close();
    }
  });
});
