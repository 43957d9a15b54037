import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { runCli } from '../helpers/run-cli.ts';
import { startGateway } from '../helpers/start-gateway.ts';

// src/usage/README.md: "A model the catalog lacks needs at least `input` and `output`." An entry
// that gives only one of them would price nothing (the model recorded at $0 while the operator
// thinks it priced), so it is a config problem naming its path: for `config validate`, at start
// and at reload. A "*" entry prices only models the catalog lacks, so it needs both too. An entry
// for a model the catalog has may change one price.

const halfPriced = `
providers:
  noprice: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1", models: [half-priced] }
pricing:
  noprice:
    half-priced: { input: 1 }
    "*": { output: 2 }
  openai:
    gpt-4o: { input: 2 }
    brand-new-model: { output: 3 }
`;

const problems = ['pricing.noprice.half-priced', 'pricing.noprice."*"', 'pricing.openai.brand-new-model'];

describe('a pricing: entry with only input or only output for a model the price catalog lacks', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tollgate-pricing-'));
  });
  after(() => rm(directory, { recursive: true, force: true }));

  it('`tollgate config validate` names each one and fails', async () => {
    const path = join(directory, 'half.yaml');
    await writeFile(path, halfPriced);
    const { code, stderr } = await runCli(['config', 'validate', path]);
    assert.equal(code, 1, stderr);
    for (const problem of problems) assert.ok(stderr.includes(problem), `${problem} in:\n${stderr}`);
    assert.ok(!stderr.includes('pricing.openai.gpt-4o'), 'a catalog model may change one price');
    assert.match(stderr, /needs both input and output/);
  });

  it('the gateway refuses to start on it', async () => {
    await assert.rejects(startGateway(halfPriced), (error: Error) => problems.every((problem) => error.message.includes(problem)));
  });

  it('a reload to it is rejected and the running prices stay', async () => {
    const path = join(directory, 'reload.yaml');
    const valid = 'pricing:\n  echo: { "*": { input: 1000, output: 1000 } }\n';
    await writeFile(path, valid);
    const gateway = await startGateway('', {}, { configPath: path });
    try {
      const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
      const price = async () => Number((await client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }).withResponse()).response.headers.get('x-tollgate-cost-usd'));
      const before = await price();
      assert.ok(before > 0);
      await writeFile(path, 'pricing:\n  echo: { "*": { input: 5000 } }\n');
      assert.equal(await gateway.gateway.reload(), false);
      assert.equal(await price(), before);
    } finally {
      await gateway.close();
    }
  });
});
