import assert from 'node:assert/strict';
import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { changedRestartOnlySettings, restartOnlySettingNames } from '../../src/gateway/restart-only-settings.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { startGateway } from '../helpers/start-gateway.ts';

const oldToken = 'old-admin-token-0123456789';
const newToken = 'new-admin-token-9876543210';

function configText(token: string, port: number, extra = ''): string {
  return `server: { port: ${port}, host: 127.0.0.1 }\nadmin: { tokens: [{ token: ${token} }] }\nlog: { format: json }\n${extra}`;
}

/**
 * Replaces the file in one step (written beside it, renamed over it), as an editor does, and
 * returns the log lines of the reload the gateway's watcher makes of it, up to its "configuration
 * reloaded" line.
 */
async function reloadWith(path: string, text: string, lines: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
  const from = lines.length;
  await writeFile(`${path}.next`, text);
  await rename(`${path}.next`, path);
  for (let waited = 0; waited < 5000; waited += 25) {
    const done = lines.findIndex((line, index) => index >= from && /^configuration reload/.test(String(line.msg)));
    if (done !== -1) return lines.slice(from, done + 1);
    await sleep(25);
  }
  assert.fail('the gateway did not reload the file');
}

describe('a reload that changes a setting applied only at the next start', () => {
  it('succeeds, keeps the running value, and logs a warning naming each such setting, never a secret', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-restart-only-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, configText(oldToken, 18000));
    const lines: Array<Record<string, unknown>> = [];
    const gw = await startGateway('', {}, { configPath: path, logLines: lines });
    try {
      const whoami = async (token: string) => (await fetch(`${gw.adminUrl}/whoami`, { headers: { authorization: `Bearer ${token}` } })).status;

      // A reload that changes only what a reload applies says nothing more.
      const plain = await reloadWith(path, configText(oldToken, 18000, 'models: { smart: { targets: [{ provider: echo, model: one }] } }\n'), lines);
      assert.equal(plain.at(-1)!.msg, 'configuration reloaded');
      assert.deepEqual(plain.filter((line) => line.level === 40), [], 'no warning for a change a reload applies');

      const logged = await reloadWith(path, configText(newToken, 18001, 'models: { smart: { targets: [{ provider: echo, model: one }] } }\n'), lines);
      assert.equal(logged.at(-1)!.level, 30, 'the reload is not refused');
      const warnings = logged.filter((line) => line.level === 40);
      assert.deepEqual(warnings.map((line) => line.setting).sort(), ['admin.tokens', 'server.port']);
      const port = warnings.find((line) => line.setting === 'server.port')!;
      assert.deepEqual([port.running, port.file], [18000, 18001]);
      assert.match(String(port.msg), /server\.port changed in the config file but applies only at the next start.*18000.*18001/);
      const tokens = warnings.find((line) => line.setting === 'admin.tokens')!;
      assert.match(String(tokens.msg), /admin\.tokens changed in the config file but applies only at the next start \(value not shown\)/);
      assert.ok(!('running' in tokens) && !('file' in tokens));
      const reloaded = logged.find((line) => String(line.msg).startsWith('configuration reloaded'))!;
      assert.deepEqual(reloaded.restart_needed, ['server.port', 'admin.tokens']);
      assert.doesNotMatch(JSON.stringify(lines), new RegExp(`${oldToken}|${newToken}`), 'no token in any log line');

      // As documented: the token in effect is still the one the gateway started with.
      assert.equal(await whoami(oldToken), 200);
      assert.equal(await whoami(newToken), 401);
      assert.equal(await readFile(path, 'utf8'), configText(newToken, 18001, 'models: { smart: { targets: [{ provider: echo, model: one }] } }\n'));
    } finally {
      await gw.close();
    }
  });

  it('compares every restart-only setting, values only of those that are not secret', () => {
    const running = parseConfig('storage: "postgres://tollgate:first-password@db/tollgate"\n', 'running', {}).config;
    const file = parseConfig('storage: "postgres://tollgate:second-password@db/tollgate"\nserver: { workers: 4, request_timeout: 10s }\nlog: { level: warn }\nupstream: { connections: 8 }\n', 'file', {}).config;
    const changed = changedRestartOnlySettings(running, file);
    assert.deepEqual(changed.map((entry) => entry.setting), ['server.workers', 'server.request_timeout', 'log.level', 'storage', 'upstream.connections']);
    assert.deepEqual(changed.find((entry) => entry.setting === 'storage'), { setting: 'storage' });
    assert.deepEqual(changed.find((entry) => entry.setting === 'log.level'), { setting: 'log.level', running: 'info', file: 'warn' });
    assert.deepEqual(changedRestartOnlySettings(running, running), []);
  });

  it('the README names every restart-only setting', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const paragraph = readme.split('\n\n').map((text) => text.replace(/\s+/g, ' ')).find((text) => text.includes('which apply only at the next start')) ?? '';
    for (const name of restartOnlySettingNames) assert.ok(paragraph.includes(`\`${name}\``), `README lists ${name} among the settings a reload does not apply`);
  });
});
