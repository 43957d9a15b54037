import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { runIdentityCommand } from '../../src/cli/identity-commands.ts';
import { runMigrateCommand } from '../../src/cli/migrate-command.ts';
import { expiryFromFlag } from '../../src/cli/parse-duration.ts';
import { latestSchemaVersion } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/open-store.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

const cli = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Runs a command in-process (a spawned CLI costs about a second of start-up per call). */
async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const names = ['TOLLGATE_ADMIN_URL', 'TOLLGATE_ADMIN_TOKEN', 'TOLLGATE_STORAGE', 'TOLLGATE_CONFIG'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  for (const name of names) {
    if (env[name] === undefined) delete process.env[name];
    else process.env[name] = env[name];
  }
  let stdout = '';
  let stderr = '';
  const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text) };
  try {
    const code = args[0] === 'migrate' ? await runMigrateCommand(args.slice(1), io) : await runIdentityCommand(args, io);
    return { code, stdout, stderr };
  } finally {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** The real `tollgate` entry point, spawned, to check the commands are wired into it. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tollgate CLI: keys, consumers, teams through the Admin API', () => {
  let gw: RunningGateway;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    gw = await startGateway('admin: { tokens: [{ token: cli-admin, role: admin }, { token: cli-viewer, role: viewer }] }\nplugins: { key-auth: {} }');
    env = { TOLLGATE_ADMIN_URL: gw.adminUrl, TOLLGATE_ADMIN_TOKEN: 'cli-admin' };
  });
  after(() => gw.close());

  it('creates and lists teams and consumers', async () => {
    const team = await run(['teams', 'create', 'platform'], env);
    assert.equal(team.code, 0, team.stderr);
    assert.match(team.stdout, /Team platform created: team_/);
    assert.match((await run(['teams', 'list'], env)).stdout, /platform/);
    const consumer = await run(['consumers', 'create', 'app1', '--team', 'platform', '--metadata', 'tier=gold'], env);
    assert.equal(consumer.code, 0, consumer.stderr);
    const listed = await run(['consumers', 'list', '--json'], env);
    const body = JSON.parse(listed.stdout) as { data: Array<{ name: string; metadata: Record<string, string> }> };
    assert.deepEqual(body.data.map((row) => [row.name, row.metadata]), [['app1', { tier: 'gold' }]]);
  });

  it('gives a team and a consumer limits and a budget', async () => {
    const team = await run(['teams', 'create', 'budgeted', '--budget', '500', '--budget-period', 'day', '--json'], env);
    assert.equal(team.code, 0, team.stderr);
    assert.deepEqual((JSON.parse(team.stdout) as { budget: unknown }).budget, { max_usd: 500, period: 'day' });
    const consumer = await run(['consumers', 'create', 'limited', '--team', 'budgeted', '--rpm', '30', '--json'], env);
    assert.equal(consumer.code, 0, consumer.stderr);
    assert.deepEqual((JSON.parse(consumer.stdout) as { limits: unknown }).limits, { rpm: 30 });
    // Gone again, so the lists the other tests read are as they were.
    assert.equal((await run(['consumers', 'delete', (JSON.parse(consumer.stdout) as { id: string }).id], env)).code, 0);
    assert.equal((await run(['teams', 'delete', (JSON.parse(team.stdout) as { id: string }).id], env)).code, 0);
  });

  it('creates a key that works, lists it without the secret, and revokes it', async () => {
    const created = await run(['keys', 'create', '--consumer', 'app1', '--models', 'echo/*', '--expires', '30d', '--rpm', '60'], env);
    assert.equal(created.code, 0, created.stderr);
    const secret = created.stdout.split('\n')[0];
    assert.match(secret, /^tg-[A-Za-z0-9_-]{43}$/);
    assert.match(created.stdout, /not shown again/);
    const id = /Key (key_\w+)/.exec(created.stdout)![1];

    const shown = JSON.parse((await run(['keys', 'get', id, '--json'], env)).stdout) as { models: string[]; limits: unknown; expires_at: string };
    assert.deepEqual(shown.models, ['echo/*']);
    assert.deepEqual(shown.limits, { rpm: 60 });
    const days = (Date.parse(shown.expires_at) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `${days} days`);

    const ask = () => fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal((await ask()).status, 200);

    const listed = await run(['keys', 'list', '--consumer', 'app1'], { ...env, TOLLGATE_ADMIN_TOKEN: 'cli-viewer' });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(id));
    assert.match(listed.stdout, /tg-\S{4}…\S{4}/);
    assert.ok(!listed.stdout.includes(secret));

    const revoked = await run(['keys', 'revoke', id], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await ask()).status, 401);
  });

  it('is wired into the tollgate command', async () => {
    const listed = await spawnCli(['teams', 'list'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /platform/);
    const help = await spawnCli(['--help'], {});
    assert.match(help.stdout, /migrate \[--storage URL\]/);
    assert.match(help.stdout, /keys create --consumer C/);
  });

  it('takes the Admin API flags before the command too; an unknown flag is a usage error, not a stack trace', async () => {
    const listed = await spawnCli(['--admin-url', gw.adminUrl, '--admin-token', 'cli-admin', 'teams', 'list'], {});
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /platform/);
    const unknown = await spawnCli(['config', 'validate', '--confg', 'x.yaml'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^tollgate: Unknown option '--confg'/);
    assert.doesNotMatch(unknown.stderr, /\n\s+at /, 'no stack trace');
    assert.match(unknown.stderr, /config validate/, 'the usage follows');
    // `tollgate config` alone names its two subcommands, not "Unknown command: config".
    const bare = await spawnCli(['config'], env);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /^tollgate config: name what to do: config validate \[FILE\] .* or config schema/);
    const wrong = await spawnCli(['config', 'check'], env);
    assert.match(wrong.stderr, /^tollgate config: unknown subcommand "check"/);
  });

  it('reports API refusals and an unreachable API clearly', async () => {
    const viewer = await run(['keys', 'create', '--consumer', 'app1'], { ...env, TOLLGATE_ADMIN_TOKEN: 'cli-viewer' });
    assert.equal(viewer.code, 1);
    assert.match(viewer.stderr, /viewer role/);
    const missing = await run(['keys', 'create'], env);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'tollgate keys create: --consumer is required\n', 'the command is named once');
    assert.equal((await run(['keys', 'create', '--consumer', 'app1', '--budget-period', 'day'], env)).stderr, 'tollgate keys create: --budget-period needs --budget USD\n');
    assert.equal((await run(['keys', 'revoke'], env)).stderr, 'tollgate keys revoke: name the key id\n');
    const unknownFlag = await run(['keys', 'list', '--bogus'], env);
    assert.equal(unknownFlag.code, 2);
    const down = await run(['keys', 'list', '--admin-url', 'http://127.0.0.1:9'], env);
    assert.equal(down.code, 3);
    assert.match(down.stderr, /cannot reach the Admin API at http:\/\/127\.0\.0\.1:9/);
  });
});

describe('tollgate migrate', () => {
  it('migrates once, then finds nothing to do, and refuses a newer database', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-migrate-'));
    const storage = `sqlite:${join(folder, 'data', 'tollgate.db')}`;
    try {
      const first = await run(['migrate', '--storage', storage]);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, new RegExp(`migrated from version 0 to ${latestSchemaVersion}`));
      const second = await run(['migrate'], { TOLLGATE_STORAGE: storage });
      assert.match(second.stdout, new RegExp(`schema is up to date \\(version ${latestSchemaVersion}\\)`));
      const { store } = await openStore(storage);
      await sql`insert into tollgate_schema (version, name, applied_at) values (99, 'future', '2099-01-01')`.execute(store.db);
      await store.close();
      const refused = await run(['migrate', '--storage', storage]);
      assert.equal(refused.code, 4);
      assert.match(refused.stderr, /schema version 99.*Refusing to start/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('reads --expires as a duration or an ISO time', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(expiryFromFlag('30d', now), '2026-01-31T00:00:00.000Z');
    assert.equal(expiryFromFlag('12h', now), '2026-01-01T12:00:00.000Z');
    assert.equal(expiryFromFlag('2027-02-03T04:05:06Z', now), '2027-02-03T04:05:06.000Z');
    assert.equal(expiryFromFlag('2027-03-01T20:00:00-05:00', now), '2027-03-02T01:00:00.000Z');
    assert.throws(() => expiryFromFlag('2027-02-30T00:00:00Z', now), /expected a duration such as 30d/, 'not rolled over into March');
    assert.throws(() => expiryFromFlag('soon', now), /expected a duration such as 30d/);
  });
});
