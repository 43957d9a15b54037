import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runUsageCommand } from '../../src/cli/usage-command.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sendChat } from './ledger-helpers.ts';

// `tollgate usage` prints costs to the millionth of a dollar, as /usage reports them to the digit
// that matters for a call (a few cents, a fraction of a cent), not rounded to cents; a cost below
// that reads `<$0.000001`, never `$0.000000`.

describe('tollgate usage: costs in the table', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(`
admin: { tokens: [{ token: view, role: viewer }] }
pricing:
  echo:
    "*": { input: 1000, output: 2000 }
    tiny: { input: 0.001, output: 0.001 }
`);
    for (let index = 0; index < 3; index++) assert.equal((await sendChat(gw.baseURL, { requestId: `cents-${index}`, model: 'echo/m1', content: `a question ${index}` })).status, 200);
    assert.equal((await sendChat(gw.baseURL, { requestId: 'tiny', model: 'echo/tiny', content: 'hi' })).status, 200);
  });
  after(async () => gw?.close());

  it('six decimals for rows and the total; <$0.000001 for a smaller cost', async () => {
    const report = (await (await fetch(`${gw.adminUrl}/usage?group_by=model`, { headers: { authorization: 'Bearer view' } })).json()) as { totals: { cost_usd: number }; data: Array<{ model: string; cost_usd: number }> };
    const m1 = report.data.find((row) => row.model === 'm1')!.cost_usd;
    const tiny = report.data.find((row) => row.model === 'tiny')!.cost_usd;
    assert.ok(m1 > 0.01 && Number(m1.toFixed(2)) !== m1, `a cost that cents would round: ${m1}`);
    assert.ok(tiny > 0 && tiny < 0.0000005, `a cost below a millionth: ${tiny}`);

    let stdout = '';
    let stderr = '';
    const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text) };
    assert.equal(await runUsageCommand(['--group-by', 'model', '--admin-url', gw.adminUrl, '--admin-token', 'view'], io), 0, stderr);
    const line = (model: string) => stdout.split('\n').find((text) => text.startsWith(`${model} `)) ?? '';
    assert.match(line('m1'), new RegExp(` \\$${m1.toFixed(6).replace('.', '\\.')}$`));
    assert.match(line('tiny'), / <\$0\.000001$/);
    assert.match(stdout, new RegExp(`Total: 4 requests \\(0 errors\\), .* \\$${report.totals.cost_usd.toFixed(6).replace('.', '\\.')}\\n`));
  });
});
