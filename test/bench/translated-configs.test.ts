import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort, startNode, stopProcess, waitUntilListening } from '../../bench/runner/processes.ts';
import { scenarios, translatedModels } from '../../bench/scenarios.ts';
import { chatBody } from '../../bench/targets/target.ts';
import { startUpstream } from '../../bench/upstream.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Each translated bench config, run by the real gateway (from the sources, so a stale dist/ cannot
 * hide a missing adapter) in front of the stand-in, answers the bench's own requests: a chat
 * completion, and a stream with the shape's content chunks, the usage asked for, and `[DONE]`.
 * That is what the load generator counts as success; a wrong path, content type or final event
 * in the stand-in, or a wrong config, fails here before it fails a bench run.
 */

let upstream: Server;
let upstreamUrl: string;

before(async () => {
  ({ server: upstream, url: upstreamUrl } = await startUpstream({ port: 0, host: '127.0.0.1', defaultShape: { chunks: 20, delayMs: 20 } }));
});

after(() => {
  upstream.closeAllConnections();
  upstream.close();
});

const chunks = 4;

for (const type of ['cohere', 'ollama', 'bedrock'] as const) {
  test(`translated-${type}: the gateway with bench/configs/translated-${type}.yaml answers the bench's chat and stream requests`, { timeout: 60_000 }, async () => {
    const scenario = scenarios.find((entry) => entry.id === `translated-${type}`);
    assert.ok(scenario, `scenarios.ts has translated-${type}`);
    assert.equal(scenario.unavailable({ providerTypes: new Set([type]), pluginNames: new Set(), peersOff: true, nginx: null }), null);
    assert.match(scenario.unavailable({ providerTypes: new Set(), pluginNames: new Set(), peersOff: true, nginx: null }) ?? '', /adapter not present/);

    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-bench-translated-'));
    const gateway = startNode({
      args: [join(repoRoot, 'src/cli/main.ts'), 'start', '--config', join(repoRoot, 'bench/configs', `translated-${type}.yaml`)],
      core: undefined,
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BENCH_GATEWAY_PORT: String(port), BENCH_UPSTREAM_URL: upstreamUrl, BENCH_DATA_DIR: dataDir, BENCH_STREAM_PREFIX: `/shape/${chunks}x1`, BENCH_MANY_STREAMS_PREFIX: '/shape/2x1' },
      stdout: 'tail',
    });
    try {
      const origin = `http://127.0.0.1:${port}`;
      await waitUntilListening(`${origin}/v1/models`, gateway, 30_000);
      const model = `${type}-standin/${translatedModels[type]}`;
      const send = (body: string) => fetch(`${origin}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer bench', 'content-type': 'application/json' }, body });

      const chat = await send(chatBody(model, false));
      const completion = (await chat.json()) as { choices: Array<{ message: { content: string }; finish_reason: string }>; usage: { completion_tokens: number } };
      assert.equal(chat.status, 200, JSON.stringify(completion));
      assert.match(completion.choices[0].message.content, /stand-in/);
      assert.equal(completion.choices[0].finish_reason, 'stop');
      assert.ok(completion.usage.completion_tokens > 0);

      const stream = await send(chatBody(model, true));
      const text = await stream.text();
      assert.equal(stream.status, 200, text);
      assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
      const data = text.split('\n\n').filter((block) => block.startsWith('data: ')).map((block) => block.slice('data: '.length));
      assert.equal(data.at(-1), '[DONE]', 'the stream ends with [DONE], what the load generator waits for');
      const events = data.slice(0, -1).map((line) => JSON.parse(line) as { choices: Array<{ delta: { content?: string }; finish_reason: string | null }>; usage?: { completion_tokens: number } | null });
      const tokens = events.flatMap((event) => event.choices).filter((choice) => choice.delta.content === ' token');
      assert.equal(tokens.length, chunks, 'one content chunk per content event of the shape');
      assert.ok(events.some((event) => event.choices[0]?.finish_reason === 'stop'), 'a finish chunk');
      assert.ok(events.at(-1)!.usage && events.at(-1)!.usage!.completion_tokens > 0, 'the usage chunk the client asked for');
    } finally {
      await stopProcess(gateway);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
