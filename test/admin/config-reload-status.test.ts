import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

const adminToken = 'admin-token-4b8d1f0e6a2c9e57';
const viewerToken = 'viewer-token-1e5a9c3d7b2f6e08';

const good = (model: string) => `admin: { tokens: [{ token: ${adminToken}, role: admin }, { token: ${viewerToken}, role: viewer }] }
zero_config: false
models:
  ${model}: { targets: [{ provider: echo, model: m }] }
plugins: {}
`;

// Finding 7 of the operator audit: a rejected reload kept the running configuration and /readyz
// ready, so only the log said the edit was not applied. GET /config/status says how the last
// reload ended; POST /config/reload reloads as SIGHUP does and answers with the problems.
describe('Admin API: the config reload status, and a reload on request', () => {
  let folder: string;
  let path: string;
  let gw: RunningGateway;

  async function call(method: string, route: string, token = adminToken): Promise<{ status: number; body: any }> {
    const response = await fetch(`${gw.adminUrl}${route}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() };
  }

  /** The status once the file watch has reloaded (its own wait for a settled file is about half a second). */
  async function statusAfterWatch(result: 'applied' | 'rejected'): Promise<any> {
    for (let tries = 0; tries < 100; tries++) {
      const status = (await call('GET', '/config/status')).body;
      if (status.last_reload?.trigger === 'file' && status.last_reload.result === result) return status;
      await sleep(50);
    }
    assert.fail(`the file watch did not record a ${result} reload`);
  }

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tollgate-reload-status-'));
    path = join(folder, 'tollgate.yaml');
    await writeFile(path, good('first'));
    gw = await startGateway('', {}, { configPath: path });
  });
  after(async () => {
    await gw.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('before any reload: the file and when it was loaded, no last reload', async () => {
    const { status, body } = await call('GET', '/config/status', viewerToken);
    assert.equal(status, 200);
    assert.equal(body.config, path);
    assert.ok(Date.parse(body.loaded_at) <= Date.now());
    assert.equal(body.last_reload, null);
  });

  it('a rejected edit shows in the status (the problems counted), while the running configuration still serves', async () => {
    const before = (await call('GET', '/config/status')).body;
    await writeFile(path, good('second').replace('plugins: {}', 'plugins: { pii: { request: maks } }'));
    const status = await statusAfterWatch('rejected');
    assert.equal(status.last_reload.problem_count, 1);
    assert.deepEqual(status.last_reload.restart_needed, []);
    assert.equal(status.loaded_at, before.loaded_at, 'the running configuration is the one loaded before');
    assert.equal(JSON.stringify(status).includes('maks'), false, 'the status counts problems, it does not quote them');
    const served = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'first', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(served.status, 200);
  });

  it('POST /config/reload reloads now and answers with the problems; a viewer may not', async () => {
    assert.equal((await call('POST', '/config/reload', viewerToken)).status, 403);
    const rejected = await call('POST', '/config/reload');
    assert.equal(rejected.status, 200);
    assert.equal(rejected.body.trigger, 'admin_api');
    assert.equal(rejected.body.result, 'rejected');
    assert.equal(rejected.body.problem_count, 1);
    assert.match(rejected.body.problems[0], /^plugins\.pii\.request: expected one of .*got "maks" \(did you mean "mask"\?\)$/);
    assert.deepEqual((await call('GET', '/config/status')).body.last_reload, { at: rejected.body.at, trigger: 'admin_api', result: 'rejected', problem_count: 1, restart_needed: [] });

    await writeFile(path, good('second').replace(`{ token: ${viewerToken}, role: viewer }`, '{ token: another-viewer-token-0123456789, role: viewer }'));
    const applied = await call('POST', '/config/reload');
    assert.equal(applied.body.result, 'applied', JSON.stringify(applied.body));
    assert.deepEqual(applied.body.problems, []);
    assert.deepEqual(applied.body.restart_needed, ['admin.tokens']);
    const status = (await call('GET', '/config/status')).body;
    assert.ok(Date.parse(status.loaded_at) >= Date.parse(rejected.body.at));
    const served = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'second', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(served.status, 200);
  });

  it('a reload by signal is recorded as such', async () => {
    // The file watch's own reload of the last write first, so it cannot land after this one.
    await statusAfterWatch('applied');
    assert.equal(await gw.gateway.reload(), true);
    const last = (await call('GET', '/config/status')).body.last_reload;
    assert.deepEqual([last.trigger, last.result], ['signal', 'applied']);
  });
});
