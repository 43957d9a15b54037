import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { parseDocument } from 'yaml';
import { redisAvailable, redisUrl } from '../limits/redis-service.ts';
import { createTemporaryDatabase } from '../store/postgres-database.ts';
import { imageCommand, manifestOf, readDockerfile, readManifests, repoRoot, runtimeStage, stageEnv } from './deploy-files.ts';

/**
 * Two gateway processes, as two pods of deploy/kubernetes would run: the ConfigMap's config, the
 * image's command line (on the sources), one PostgreSQL database and one Redis. Only the ports
 * differ (0: free ones), as two pods' IPs would. Both start at once (migrations take turns), and
 * what one node is told reaches the other: a key made through one Admin API works on the other,
 * a rate limit on that key counts the requests of both (Redis), and one node's usage report holds
 * the other's requests (PostgreSQL).
 */

const documents = readManifests();
const configMap = manifestOf<{ data: Record<string, string> }>(documents, 'ConfigMap');
const container = manifestOf<{ spec: { template: { spec: { containers: Array<{ args: string[] }> } } } }>(documents, 'Deployment').spec.template.spec.containers[0];
const runtime = runtimeStage(readDockerfile());
const configText = configMap.data[posix.basename(stageEnv(runtime).TOLLGATE_CONFIG)];

const database = await createTemporaryDatabase();
const redisUp = await redisAvailable();
if (database && !redisUp) await database.drop();

interface Node {
  process: ChildProcess;
  url: string;
  adminUrl: string;
  output: () => string;
  exited: Promise<number | null>;
}

if (!database || !redisUp) {
  describe('deploy/kubernetes: two nodes on one PostgreSQL and one Redis', () => {
    it('SKIPPED: PostgreSQL or Redis is not reachable (set DATABASE_URL / REDIS_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)', { skip: 'PostgreSQL or Redis not reachable' }, () => {});
  });
} else {
  describe('deploy/kubernetes: two nodes on one PostgreSQL and one Redis', { timeout: 60_000 }, () => {
    const folder = mkdtempSync(join(tmpdir(), 'tollgate-nodes-'));
    // A Redis database of its own (other tests use 0), emptied of this test's keys afterwards.
    const redisOfTest = new URL(redisUrl);
    redisOfTest.pathname = `/${randomInt(1, 16)}`;
    const adminToken = randomBytes(16).toString('hex');
    const nodes: Node[] = [];
    let key = '';
    let keyId = '';
    let consumerId = '';

    /** Starts one node as a pod would: the image's command line (ENTRYPOINT + the Deployment's args) with `node` this Node 24 and the bundle the sources. */
    function startNode(configPath: string): Node {
      const [, ...command] = imageCommand(runtime);
      const args = command.slice(0, command.findIndex((word) => word.endsWith('main.js'))).concat(join(repoRoot, 'src/cli/main.ts'), ...container.args);
      const child = spawn(process.execPath, args, {
        cwd: folder,
        env: { PATH: process.env.PATH, TOLLGATE_CONFIG: configPath, DATABASE_URL: database!.url, REDIS_URL: redisOfTest.toString(), TOLLGATE_ADMIN_TOKEN: adminToken },
      });
      let output = '';
      child.stdout!.on('data', (piece: Buffer) => (output += piece.toString()));
      child.stderr!.on('data', (piece: Buffer) => (output += piece.toString()));
      return { process: child, url: '', adminUrl: '', output: () => output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
    }

    async function listening(node: Node): Promise<void> {
      const startLine = /"listen":"http:\/\/0\.0\.0\.0:(\d+)","admin":"http:\/\/0\.0\.0\.0:(\d+)"/;
      const deadline = Date.now() + 20_000;
      while (!startLine.test(node.output()) && node.process.exitCode === null && Date.now() < deadline) await sleep(50);
      const match = startLine.exec(node.output());
      assert.ok(match, `a node did not start:\n${node.output()}`);
      node.url = `http://127.0.0.1:${match[1]}`;
      node.adminUrl = `http://127.0.0.1:${match[2]}`;
    }

    function chat(node: Node, withKey = key): Promise<Response> {
      return fetch(`${node.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(withKey ? { authorization: `Bearer ${withKey}` } : {}) },
        body: JSON.stringify({ model: 'echo/test', messages: [{ role: 'user', content: 'hello from a pod' }] }),
      });
    }

    async function admin(node: Node, method: string, path: string, body?: object): Promise<Response> {
      return fetch(`${node.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    }

    before(async () => {
      // The ConfigMap's config as it is, but for the ports.
      const document = parseDocument(configText);
      document.setIn(['server', 'port'], 0);
      document.setIn(['admin', 'port'], 0);
      const configPath = join(folder, 'tollgate.yaml');
      writeFileSync(configPath, document.toString());
      // Both at once, as a Deployment's first pods start: the second waits for the first's migrations.
      nodes.push(startNode(configPath), startNode(configPath));
      await Promise.all(nodes.map(listening));
    }, { timeout: 30_000 });

    after(async () => {
      for (const node of nodes) if (node.process.exitCode === null) node.process.kill('SIGKILL');
      await Promise.all(nodes.map((node) => node.exited));
      const redis = new Redis(redisOfTest.toString(), { maxRetriesPerRequest: 1 });
      try {
        for (const id of [keyId, consumerId].filter(Boolean)) {
          const keys = [];
          for await (const batch of redis.scanStream({ match: `tollgate:*${id}*`, count: 1000 })) keys.push(...(batch as string[]));
          if (keys.length > 0) await redis.del(...keys);
        }
      } finally {
        redis.disconnect();
      }
      await database.drop();
      rmSync(folder, { recursive: true, force: true });
    });

    it('both nodes start together on the same database and are ready', async () => {
      for (const node of nodes) {
        assert.equal((await fetch(`${node.adminUrl}/healthz`)).status, 200);
        const ready = await fetch(`${node.adminUrl}/readyz`);
        assert.equal(ready.status, 200, await ready.text());
      }
    });

    it('key-auth: without a key, neither node serves', async () => {
      for (const node of nodes) assert.equal((await chat(node, '')).status, 401);
    });

    it("a key made through one node's Admin API works on both, and its rate limit counts both nodes' requests (Redis)", async () => {
      const [first, second] = nodes;
      const consumer = await admin(first, 'POST', '/consumers', { name: `pod-test-${randomBytes(4).toString('hex')}` });
      assert.equal(consumer.status, 201, await consumer.clone().text());
      consumerId = ((await consumer.json()) as { id: string }).id;
      // Made through the second node: it reads the consumer the first one wrote.
      const created = await admin(second, 'POST', '/keys', { consumer: consumerId, limits: { rpm: 3 } });
      assert.equal(created.status, 201, await created.clone().text());
      ({ key, id: keyId } = (await created.json()) as { key: string; id: string });

      // The first node learns of the key from the store within about a second.
      let answer = await chat(first);
      for (const deadline = Date.now() + 5000; answer.status === 401 && Date.now() < deadline; answer = await chat(first)) await sleep(100);
      assert.equal(answer.status, 200, await answer.clone().text());
      assert.equal(((await answer.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content, 'hello from a pod');
      assert.equal((await chat(second)).status, 200);
      assert.equal((await chat(first)).status, 200);
      // The fourth request of the minute, wherever it lands, is over the key's 3 rpm.
      const refused = await chat(second);
      assert.equal(refused.status, 429);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'rate_limit_exceeded');
    });

    it("one node's usage report holds the other node's requests (PostgreSQL)", async () => {
      // The first node served two requests of the key; the second, one and a refusal.
      let requests = 0;
      for (const deadline = Date.now() + 5000; requests < 3 && Date.now() < deadline; await sleep(100)) {
        const report = await admin(nodes[0], 'GET', `/usage?key=${keyId}`);
        assert.equal(report.status, 200, await report.clone().text());
        requests = ((await report.json()) as { totals: { requests: number } }).totals.requests;
      }
      assert.ok(requests >= 3, `usage of both nodes: ${requests} requests`);
    });

    it('both nodes drain and exit 0 on SIGTERM', async () => {
      for (const node of nodes) node.process.kill('SIGTERM');
      const codes = await Promise.all(nodes.map((node) => node.exited));
      assert.deepEqual(codes, [0, 0], nodes.map((node) => node.output()).join('\n'));
    });
  });
}
