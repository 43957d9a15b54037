import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

const run = promisify(execFile);
const token = 'admin-token-5d9e2b7c4a1f8e36';

/** Every `curl` line of docs/admin-api.md, and the `export ADMIN=... T=...` line the examples start from. */
async function docExamples(): Promise<{ setup: string; lines: string[] }> {
  const text = await readFile(new URL('../../docs/admin-api.md', import.meta.url), 'utf8');
  const lines = text.split('\n').filter((line) => line.startsWith('curl '));
  const setups = [...new Set(text.split('\n').filter((line) => line.startsWith('export ADMIN=')))];
  assert.equal(setups.length, 1, `one way to set ADMIN and T, got ${JSON.stringify(setups)}`);
  return { setup: setups[0], lines };
}

// Finding 2 of the operator audit: the examples under "Limits and budgets of consumers and
// teams" had neither the token nor the JSON content type, and failed (415) as written. Every curl
// line of the guide is run here, as written, in a shell, against a gateway (only the guide's
// address and its `key_...` placeholder are replaced).
describe('docs/admin-api.md: every curl example works as written', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(`admin: { tokens: [{ token: ${token}, role: admin }] }`, { OPENAI_API_KEY: 'sk-test-doc-examples', TOLLGATE_MASTER_KEY: 'ab'.repeat(32) });
    // What the examples presuppose: the consumer the limits example changes.
    const created = await fetch(`${gw.adminUrl}/consumers`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"name":"checkout"}' });
    assert.equal(created.status, 201);
  });
  after(() => gw.close());

  it('answers each with a 2xx', async () => {
    const { setup, lines } = await docExamples();
    assert.ok(lines.length >= 9, `the guide's curl examples: ${lines.length}`);
    for (const line of lines) {
      let command = line;
      if (command.includes('key_...')) {
        // A key of its own to revoke: the placeholder stands for an id from POST /keys.
        const key = (await (await fetch(`${gw.adminUrl}/keys`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"consumer":"checkout"}' })).json()) as { id: string };
        command = command.replace('key_...', key.id);
      }
      const script = `export TOLLGATE_ADMIN_TOKEN=${token}\n${setup}\nADMIN=${gw.adminUrl}\n${command} -w '\\n%{http_code}'`;
      const { stdout } = await run('bash', ['-c', script]);
      const status = Number(stdout.trim().split('\n').at(-1));
      assert.ok(status >= 200 && status < 300, `${line}\n-> ${stdout}`);
    }
  });
});
