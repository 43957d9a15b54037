import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAdminServer, registeredRoutes } from '../../src/admin/admin-server.ts';
import { openApiPath } from '../../src/admin/openapi.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { openStore } from '../../src/store/open-store.ts';
import { configSchema } from '../../src/config/schema.ts';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';
import type { FastifyInstance } from 'fastify';

describe('the Admin API OpenAPI document', () => {
  let store: KyselyStore;
  let app: FastifyInstance;
  let document: any;

  before(async () => {
    store = (await openStore('sqlite::memory:')).store;
    app = createAdminServer({ ready: () => true, details: () => ({}) }, new GatewayMetrics(), {
      store,
      tokens: [{ token: 't', role: 'admin' }],
      runningConfig: { config: () => configSchema.parse({}), providers: () => [] },
    });
    await app.ready();
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    document = response.json();
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  it('is OpenAPI 3.1 with the admin token scheme', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.equal(document.components.securitySchemes.adminToken.scheme, 'bearer');
  });

  it('lists every route the server registered, and nothing it did not', () => {
    const served = registeredRoutes(app).map((route) => `${route.method} ${openApiPath(route.url)}`).sort();
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    assert.ok(served.length >= 20, `${served.length} routes`);
    assert.deepEqual(documented, served);
    for (const resource of ['/teams', '/consumers', '/keys', '/providers', '/models', '/routes', '/plugins']) {
      for (const method of ['get', 'post']) assert.ok(document.paths[resource][method], `${method} ${resource}`);
      for (const method of ['get', 'patch', 'delete']) assert.ok(document.paths[`${resource}/{id}`][method], `${method} ${resource}/{id}`);
    }
    assert.ok(document.paths['/audit'].get);
  });

  it('describes bodies and answers from the same zod schemas that validate them', () => {
    const createKey = document.paths['/keys'].post;
    const body = createKey.requestBody.content['application/json'].schema;
    assert.deepEqual(body.required, ['consumer']);
    assert.ok(body.properties.models && body.properties.expires_at && body.properties.limits && body.properties.budget && body.properties.metadata);
    assert.equal(body.additionalProperties, false);
    const created = createKey.responses['201'].content['application/json'].schema;
    assert.ok(created.properties.key, 'the secret is in the create answer');
    const read = document.paths['/keys/{id}'].get.responses['200'].content['application/json'].schema;
    assert.equal(read.properties.key, undefined, 'and in no read');
    assert.equal(read.properties.key_hash, undefined);
    assert.deepEqual(createKey.security, [{ adminToken: [] }]);
    assert.ok(createKey.responses['403'], 'writes document the viewer refusal');
    assert.deepEqual(document.paths['/healthz'].get.security, []);
    const limit = document.paths['/keys'].get.parameters.find((parameter: { name: string }) => parameter.name === 'limit');
    assert.equal(limit.in, 'query');
    assert.equal(limit.required, false);
  });

  it('documents every refusal the routes answer: 409 conflicts, 413 and 415 bodies, the Allow of a 405', () => {
    const conflicts = [['post', '/teams'], ['patch', '/teams/{id}'], ['delete', '/teams/{id}'], ['post', '/consumers'], ['patch', '/consumers/{id}'], ['delete', '/consumers/{id}'], ['post', '/keys'], ['patch', '/keys/{id}']];
    for (const [method, path] of conflicts) assert.equal(document.paths[path][method].responses['409']?.content['application/json'].schema.$ref, '#/components/schemas/Error', `409 on ${method} ${path}`);
    assert.equal(document.paths['/keys/{id}'].delete.responses['409'], undefined, 'a key has nothing under it');
    for (const [method, path] of [['post', '/keys'], ['patch', '/teams/{id}'], ['post', '/consumers']]) {
      assert.ok(document.paths[path][method].responses['413'], `413 on ${method} ${path}`);
      assert.ok(document.paths[path][method].responses['415'], `415 on ${method} ${path}`);
    }
    for (const [method, path] of [['post', '/providers'], ['delete', '/routes/{id}'], ['patch', '/plugins/{id}']]) assert.ok(document.paths[path][method].responses['405'].headers.Allow, `Allow on ${method} ${path}`);
  });
});
