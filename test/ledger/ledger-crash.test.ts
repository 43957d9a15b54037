import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import { databaseOf, echoPricing, runConcurrently, sendChat } from './ledger-helpers.ts';

const flushIntervalMs = 1000;

describe('usage ledger at the end of the process', () => {
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-crash-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('loses at most the last flush interval', { timeout: 60_000 }, async () => {
    const storage = `sqlite:${join(directory, 'crash.db')}`;
    const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-child.ts'), storage, `${flushIntervalMs}ms`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    try {
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      const baseURL = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/v1`;

      // Older requests, then a pause longer than the interval: they must all survive the crash.
      const early = await runConcurrently(300, 20, (index) => sendChat(baseURL, { requestId: `early-${index}`, stream: index % 5 === 0 }));
      await new Promise((resolve) => setTimeout(resolve, flushIntervalMs * 1.5));
      // The last requests finish right before the kill; these may be lost (at most one interval's worth).
      const lateStarted = performance.now();
      const late = await runConcurrently(200, 20, (index) => sendChat(baseURL, { requestId: `late-${index}` }));
      const lateMs = performance.now() - lateStarted;
      child.kill('SIGKILL');
      await exited;
      assert.ok(lateMs < flushIntervalMs, `the late burst took ${lateMs} ms, within one interval`);
      assert.ok([...early, ...late].every((result) => result.status === 200));

      const reopened = await openStore(storage);
      const rows = await databaseOf(reopened.store).selectFrom('usage_records').select('request_id').execute();
      await reopened.store.close();
      const recorded = new Set(rows.map((row) => row.request_id));
      const lostEarly = early.filter((result) => !recorded.has(result.requestId)).length;
      const lostLate = late.filter((result) => !recorded.has(result.requestId)).length;
      process.stderr.write(`kill -9: ${rows.length} of ${early.length + late.length} records survived; lost ${lostEarly} older and ${lostLate} of the last interval's requests\n`);
      assert.equal(lostEarly, 0, 'nothing older than one flush interval is lost');
      assert.equal(recorded.size, rows.length, 'no duplicates');
      assert.ok(rows.length >= early.length && rows.length <= early.length + late.length);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('tollgate start: SIGTERM writes every record before the process exits', { timeout: 60_000 }, async () => {
    const storage = `sqlite:${join(directory, 'sigterm.db')}`;
    const configPath = join(directory, 'sigterm.yaml');
    // A long flush interval: only the shutdown itself can have written the records.
    writeFileSync(configPath, `server: { port: 0, host: 127.0.0.1 }\nadmin: { enabled: false }\nlog: { format: json }\nstorage: "${storage}"\nusage: { flush_interval: 60s }\n${echoPricing}`);
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../src/cli/main.ts'), 'start', '--config', configPath], { stdio: ['ignore', 'pipe', 'inherit'], env: { PATH: process.env.PATH } });
    const exited = once(child, 'exit');
    let port = 0;
    for await (const line of createInterface({ input: child.stdout! })) {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (match) {
        port = Number(match[1]);
        break;
      }
    }
    assert.ok(port > 0);
    child.stdout!.resume();
    const results = await runConcurrently(200, 20, (index) => sendChat(`http://127.0.0.1:${port}/v1`, { requestId: `term-${index}`, stream: index % 4 === 0 }));
    assert.ok(results.every((result) => result.status === 200));
    child.kill('SIGTERM');
    const [code] = (await exited) as [number];
    assert.equal(code, 0);
    const reopened = await openStore(storage);
    const rows = await databaseOf(reopened.store).selectFrom('usage_records').select('request_id').execute();
    await reopened.store.close();
    assert.equal(rows.length, 200);
  });
});
