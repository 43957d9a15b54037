import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunReport } from '../../bench/runner/report.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The benchmark suite still runs end to end: a quick run of `direct`, the two bare Node proxy
 * references (undici request() and dispatch) and the Tollgate passthrough (no peer) produces
 * numbers for every measurement and no errors. No thresholds: CI machines are too noisy for
 * performance assertions; `npm run bench` is where the numbers are read.
 */
test('the quick benchmark measures direct, the bare Node proxies and the passthrough without errors', { timeout: 120_000 }, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'tollgate-bench-smoke-'));
  try {
    const json = join(folder, 'run.json');
    const args = [join(repoRoot, 'bench/run.ts'), '--quick', '--only=direct,node-proxy,node-dispatch,passthrough', '--peer=none', `--results-dir=${folder}`, `--json=${json}`];
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (piece: Buffer) => (stdout += piece.toString()));
    child.stderr.on('data', (piece: Buffer) => (stderr += piece.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 0, `bench exited with ${code}: ${stderr.slice(-2000)}`);

    const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
    for (const id of ['direct', 'passthrough']) {
      const result = report.results.find((entry) => entry.id === id);
      assert.ok(result, `${id} is in the report`);
      assert.equal(result.status, 'measured', `${id}: ${result.note}`);
      assert.deepEqual(result.failures, [], `${id} measurements that broke`);

      assert.ok(result.throughput && result.throughput.requestsPerSecond > 0, `${id}: max throughput`);
      assert.deepEqual(result.throughput.errors, { non2xx: 0, socket: 0, incomplete: 0, unfinished: 0, samples: [] }, `${id}: closed-loop errors`);
      assert.equal(result.latency.length, report.profile.rates.length, `${id}: one latency measurement per rate`);
      for (const measured of [...result.latency, result.streams!, result.manyStreams!]) {
        assert.ok(measured, `${id}: every open-loop measurement ran`);
        assert.deepEqual(measured.errors, { non2xx: 0, socket: 0, incomplete: 0, unfinished: 0, samples: [] }, `${id} at ${measured.rate}/s: errors`);
        assert.equal(measured.succeeded, measured.measured, `${id} at ${measured.rate}/s: every request answered`);
        assert.ok(measured.latency.count > 0 && Number.isFinite(measured.latency.p50) && Number.isFinite(measured.latency.p99), `${id} at ${measured.rate}/s: latency percentiles`);
      }
      assert.ok(result.streams?.firstByte && Number.isFinite(result.streams.firstByte.p99), `${id}: stream first-byte percentiles`);
    }
    for (const id of ['node-proxy', 'node-dispatch']) {
      const nodeProxy = report.results.find((entry) => entry.id === id);
      assert.equal(nodeProxy?.status, 'measured', `${id}: ${nodeProxy?.note}`);
      assert.deepEqual(nodeProxy.failures, [], `${id} measurements that broke`);
      assert.ok(nodeProxy.throughput && nodeProxy.throughput.requestsPerSecond > 0, `${id}: max throughput`);
      for (const measured of [...nodeProxy.latency, nodeProxy.streams!]) {
        assert.deepEqual(measured.errors, { non2xx: 0, socket: 0, incomplete: 0, unfinished: 0, samples: [] }, `${id} at ${measured.rate}/s: errors`);
        assert.equal(measured.succeeded, measured.measured, `${id} at ${measured.rate}/s: every request answered`);
      }
    }
    const passthrough = report.results.find((entry) => entry.id === 'passthrough')!;
    assert.ok(passthrough.memory?.idle && passthrough.memory.idle > 0, 'the gateway\'s idle RSS is read');
    const anonymous = passthrough.memory.idleAnonymous;
    assert.ok(anonymous !== null && anonymous > 0 && anonymous < passthrough.memory.idle, `its anonymous part is read and is part of it (${anonymous} of ${passthrough.memory.idle} MiB)`);

    const markdown = readdirSync(folder).find((name) => name.endsWith('-quick.md'));
    assert.ok(markdown, 'a markdown report is written');
    const text = readFileSync(join(folder, markdown), 'utf8');
    assert.match(text, /\| tollgate passthrough \| [\d,]+ \|/);
    assert.ok(stdout.includes('## Requests'), 'the report is printed');
    assert.doesNotMatch(text, /invalid \(/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
