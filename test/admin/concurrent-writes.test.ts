import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { createTemporaryDatabase } from '../store/postgres-database.ts';

// Writes that race through the Admin API, as two gateways sharing one store see them: a key is
// deleted (and audited) once, and a delete that races the creation of a child answers 409, not
// 500. On PostgreSQL (two nodes on one database) and on a SQLite file.

const adminToken = 'race-admin-token';
const config = `admin: { tokens: [{ token: ${adminToken}, role: admin }] }`;

interface Answer {
  status: number;
  body: any;
}

async function call(adminUrl: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${adminToken}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${adminUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

function concurrentWrites(backend: string, storage: () => Promise<{ url: string; drop(): Promise<void> } | null>): void {
  describe(`concurrent Admin API writes: ${backend}`, () => {
    let nodes: RunningGateway[] = [];
    let drop: () => Promise<void> = async () => {};
    /** Alternates between the two nodes, as a load balancer would. */
    const on = (index: number) => nodes[index % nodes.length].adminUrl;

    before(async () => {
      const target = await storage();
      assert.ok(target, 'storage available');
      drop = target.drop;
      nodes.push(await startGateway(config, {}, { storage: target.url }));
      nodes.push(await startGateway(config, {}, { storage: target.url }));
    });
    after(async () => {
      await Promise.all(nodes.map((node) => node.close()));
      nodes = [];
      await drop();
    });

    it('ten concurrent DELETEs of one key: one 200, nine 404, one audit entry', async () => {
      for (let round = 0; round < 3; round++) {
        const consumer = await call(on(0), 'POST', '/consumers', { name: `delete-race-${round}` });
        const key = await call(on(0), 'POST', '/keys', { consumer: consumer.body.id });
        assert.equal(key.status, 201);
        const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => call(on(index), 'DELETE', `/keys/${key.body.id}`)));
        const statuses = answers.map((answer) => answer.status).sort();
        assert.deepEqual(statuses, [200, 404, 404, 404, 404, 404, 404, 404, 404, 404], `round ${round}: ${statuses.join(',')}`);
        const audit = await call(on(1), 'GET', `/audit?resource=keys&resource_id=${key.body.id}`);
        assert.deepEqual(audit.body.data.map((entry: { action: string }) => entry.action), ['delete', 'create'], `round ${round}`);
      }
    });

    it('a consumer deleted while keys are created for it: 409 or done, never 500, no orphan', async () => {
      for (let round = 0; round < 5; round++) {
        const consumer = await call(on(0), 'POST', '/consumers', { name: `parent-race-${round}` });
        const [deletion, ...creates] = await Promise.all([
          call(on(0), 'DELETE', `/consumers/${consumer.body.id}`),
          ...Array.from({ length: 10 }, (_, index) => call(on(index + 1), 'POST', '/keys', { consumer: consumer.body.id })),
        ]);
        for (const answer of [deletion, ...creates]) assert.ok(answer.status < 500, `round ${round}: ${answer.status} ${JSON.stringify(answer.body)}`);
        assert.ok([200, 409].includes(deletion.status), `delete: ${deletion.status}`);
        if (deletion.status === 409) assert.equal(deletion.body.error.code, 'conflict');
        for (const create of creates) {
          assert.ok([201, 400, 409].includes(create.status), `create: ${create.status}`);
          if (create.status === 409) assert.equal(create.body.error.code, 'conflict');
          if (create.status === 400) assert.equal(create.body.error.code, 'unknown_reference');
        }
        const created = creates.filter((answer) => answer.status === 201).length;
        const keys = await call(on(1), 'GET', `/keys?consumer=${consumer.body.id}`);
        if (deletion.status === 200) {
          assert.equal(created, 0, 'no key was made for a consumer that is gone');
          assert.equal((await call(on(1), 'GET', `/consumers/${consumer.body.id}`)).status, 404);
        } else assert.equal(keys.body.data.length, created, 'every 201 is a stored key');
      }
    });

    it('a team deleted while consumers are created in it: 409 or done, never 500', async () => {
      for (let round = 0; round < 5; round++) {
        const team = await call(on(0), 'POST', '/teams', { name: `team-race-${round}` });
        const [deletion, ...creates] = await Promise.all([
          call(on(0), 'DELETE', `/teams/${team.body.id}`),
          ...Array.from({ length: 10 }, (_, index) => call(on(index + 1), 'POST', '/consumers', { name: `team-race-${round}-member-${index}`, team: team.body.id })),
        ]);
        for (const answer of [deletion, ...creates]) assert.ok(answer.status < 500, `round ${round}: ${answer.status} ${JSON.stringify(answer.body)}`);
        assert.ok([200, 409].includes(deletion.status), `delete: ${deletion.status}`);
        for (const create of creates) assert.ok([201, 400, 409].includes(create.status), `create: ${create.status}`);
        if (deletion.status === 200) assert.equal(creates.filter((answer) => answer.status === 201).length, 0);
      }
    });
  });
}

const probe = await createTemporaryDatabase();
if (probe) {
  await probe.drop();
  concurrentWrites('postgresql, two nodes', createTemporaryDatabase);
} else {
  describe('concurrent Admin API writes: postgresql', () => {
    it('SKIPPED: PostgreSQL is not reachable (set DATABASE_URL; TOLLGATE_REQUIRE_SERVICES=1 makes this fail)', { skip: 'PostgreSQL not reachable' }, () => {});
  });
}

concurrentWrites('sqlite file, two nodes', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'tollgate-races-'));
  return { url: `sqlite:${join(folder, 'tollgate.db')}`, drop: () => rm(folder, { recursive: true, force: true }) };
});
