import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runIdentityCommand } from '../../src/cli/identity-commands.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// docs/deployment.md's first key on a fresh store: `keys create --consumer app-one` needs the
// consumer first. The command says so, and the documented sequence works.

describe('the first key on a fresh store', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway('admin: { tokens: [{ token: first-key-admin, role: admin }] }\nplugins: { key-auth: {} }');
  });
  after(() => gw.close());

  async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runIdentityCommand([...args, '--admin-url', gw.adminUrl, '--admin-token', 'first-key-admin'], { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
    return { code, stdout, stderr };
  }

  it('keys create for a consumer that does not exist says to create it first; consumers create, then keys create, works', async () => {
    const missing = await run(['keys', 'create', '--consumer', 'app-one']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'tollgate keys create: No consumer with id or name "app-one". Create it first: tollgate consumers create app-one\n');
    assert.equal((await run(['consumers', 'create', 'app-one'])).code, 0);
    const created = await run(['keys', 'create', '--consumer', 'app-one']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^tg-/);
  });
});
