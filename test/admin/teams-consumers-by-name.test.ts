import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runIdentityCommand } from '../../src/cli/identity-commands.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

const token = 'admin-token-7c2e9b14d05a3f68';

// Finding 4 of the operator audit: GET /teams/{id} takes the name, but DELETE of the same URL
// (and `tollgate teams delete payments`) answered "No team with id ...". The URLs GET answers
// now act on the same object for PATCH and DELETE, for teams and consumers alike.
describe('teams and consumers by name: PATCH and DELETE take what GET takes', () => {
  let gw: RunningGateway;

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${gw.adminUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }

  async function tollgate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runIdentityCommand([...args, '--admin-url', gw.adminUrl, '--admin-token', token], { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) });
    return { code, stdout, stderr };
  }

  before(async () => {
    gw = await startGateway(`admin: { tokens: [{ token: ${token}, role: admin }] }`);
  });
  after(() => gw.close());

  it('the API: PATCH and DELETE /teams/{name} and /consumers/{name} act on the object GET shows; the answer names its id', async () => {
    const team = (await call('POST', '/teams', { name: 'search' })).body;
    const consumer = (await call('POST', '/consumers', { name: 'checkout', team: 'search' })).body;
    assert.equal((await call('GET', '/teams/search')).body.id, team.id);

    const patched = await call('PATCH', '/consumers/checkout', { limits: { rpm: 20 } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.id, consumer.id);
    assert.equal((await call('PATCH', '/teams/search', { metadata: { owner: 'ops' } })).body.id, team.id);

    // A team with a consumer is refused as by id (409), not "no such team".
    assert.equal((await call('DELETE', '/teams/search')).status, 409);
    assert.deepEqual(await call('DELETE', '/consumers/checkout'), { status: 200, body: { id: consumer.id, deleted: true } });
    assert.deepEqual(await call('DELETE', '/teams/search'), { status: 200, body: { id: team.id, deleted: true } });
    const gone = await call('DELETE', '/teams/search');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.message, 'No team with id or name "search".');
  });

  it('the CLI: teams delete and consumers delete take the name', async () => {
    assert.equal((await tollgate(['teams', 'create', 'payments'])).code, 0);
    assert.equal((await tollgate(['consumers', 'create', 'billing'])).code, 0);
    const consumer = await tollgate(['consumers', 'delete', 'billing']);
    assert.equal(consumer.code, 0, consumer.stderr);
    assert.match(consumer.stdout, /^Deleted billing \(con_[0-9a-z]{25}\)\.$/m);
    const team = await tollgate(['teams', 'delete', 'payments']);
    assert.equal(team.code, 0, team.stderr);
    assert.match(team.stdout, /^Deleted payments \(team_[0-9a-z]{25}\)\.$/m);
    const again = await tollgate(['teams', 'delete', 'payments']);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'tollgate teams delete: No team with id or name "payments".\n');
  });
});
