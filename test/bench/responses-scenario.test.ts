import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { dirname, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runOpenLoop } from '../../bench/load/open-loop.ts';
import { runProbe } from '../../bench/load/probe.ts';
import { quickProfile } from '../../bench/runner/profile.ts';
import { scenarios } from '../../bench/scenarios.ts';
import type { RunningTarget } from '../../bench/targets/target.ts';
import { startUpstream } from '../../bench/upstream.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The `responses` scenario (OpenAI's Responses API in front of the OpenAI-format stand-in) answers
 * the bench's own requests, and the load generator counts its streams as complete: they end with
 * `response.completed`, not `[DONE]`, and its event (the whole response) fits in the end of the
 * stream the generator keeps.
 */
let upstream: Server;
let target: RunningTarget;

before(async () => {
  const started = await startUpstream({ port: 0, host: '127.0.0.1', defaultShape: { chunks: 20, delayMs: 20 } });
  upstream = started.server;
  const scenario = scenarios.find((entry) => entry.id === 'responses');
  assert.ok(scenario, 'scenarios.ts has responses');
  target = await scenario.start({
    repoRoot,
    upstreamUrl: started.url,
    profile: quickProfile,
    pinning: { available: false, targetCore: undefined, loadCore: undefined, description: 'none (test)' },
    cpuProfileDir: null,
    tollgate: { env: {}, nodeFlags: [] },
  });
});

after(async () => {
  await target?.stop();
  upstream?.closeAllConnections();
  upstream?.close();
});

test('the responses scenario answers the probe, and a short open-loop stream load completes without errors', { timeout: 60_000 }, async () => {
  const chat = target.request('chat');
  const stream = target.request('stream');
  assert.equal(chat.path, '/v1/responses');
  assert.equal(stream.endMarker, 'response.completed');
  const probe = await runProbe({ kind: 'probe', requests: [chat, stream] });
  assert.deepEqual(probe, { kind: 'probe', ok: true, problem: null });

  const answer = await fetch(`${stream.origin}${stream.path}`, { method: 'POST', headers: { ...stream.headers, 'content-type': 'application/json' }, body: stream.body });
  const text = await answer.text();
  const lastEvent = text.slice(text.lastIndexOf('event: response.completed'));
  assert.ok(Buffer.byteLength(lastEvent) < 4096, `the final event (${Buffer.byteLength(lastEvent)} bytes) fits in the 4 KiB the generator keeps`);

  const result = await runOpenLoop({ kind: 'open-loop', request: stream, rate: 50, warmupMs: 200, durationMs: 1000, connections: 100, drainMs: 5000 });
  assert.deepEqual(result.errors, { non2xx: 0, socket: 0, incomplete: 0, unfinished: 0, samples: [] });
  assert.ok(result.succeeded > 0 && result.firstByte !== null);
});
