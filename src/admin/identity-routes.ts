import type { IdentityCache } from '../identity/identity-cache.ts';
import type { ListOptions, Store } from '../store/store.ts';
import { adminErrors } from '../errors/admin-errors.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import * as schemas from './admin-schemas.ts';
import type { AdminRouteTable } from './route-table.ts';

export interface IdentityRouteDependencies {
  store: Store;
  /** Refreshed right after every write, so this node applies the change at once. */
  identity?: IdentityCache;
  /** This node's other worker processes (server.workers) apply every write too before it is answered. */
  refreshSiblings?: () => Promise<void>;
}

interface PageQuery {
  limit: number;
  offset?: number;
  after?: string;
}

function listOptions(query: PageQuery, filters: Partial<ListOptions> = {}): ListOptions {
  return { limit: query.limit, offset: query.offset, after: query.after, ...filters };
}

function found<T>(value: T | null, resource: string, id: string): T {
  if (value === null) throw adminErrors.notFound(resource, id);
  return value;
}

/** As found, for a team or consumer, which the URL may name by id or by name. */
function foundByIdOrName<T>(value: T | null, resource: 'team' | 'consumer', reference: string): T {
  if (value !== null) return value;
  const { status, type, code } = adminErrors.notFound(resource, reference);
  throw new GatewayError({ status, type, code, message: `No ${resource} with id or name ${JSON.stringify(reference)}.` });
}

/** Teams, consumers, keys (CRUD) and the audit log (read), at the admin listener's root. */
export function addIdentityRoutes(table: AdminRouteTable, { store, identity, refreshSiblings }: IdentityRouteDependencies): void {
  const changed = async <T>(value: T): Promise<T> => {
    await Promise.all([identity?.refresh(), refreshSiblings?.()]);
    return value;
  };

  async function teamId(reference: string | null | undefined, param = 'team'): Promise<string | null | undefined> {
    if (reference === undefined || reference === null) return reference;
    const team = await store.getTeam(reference);
    if (!team) throw adminErrors.unknownReference(param, reference);
    return team.id;
  }

  /**
   * The id of the team or consumer a URL names by id or by name, as GET takes it, so PATCH and
   * DELETE of the URL GET answers act on that object (a name that is also another's id is read
   * as the id, as GET reads it); the id itself when none has it, for the usual 404.
   */
  async function idOf(resource: 'team' | 'consumer', reference: string): Promise<string> {
    const found = resource === 'team' ? await store.getTeam(reference) : await store.getConsumer(reference);
    return found?.id ?? reference;
  }

  async function consumerId(reference: string | undefined): Promise<string | undefined> {
    if (reference === undefined) return undefined;
    const consumer = await store.getConsumer(reference);
    if (!consumer) throw adminErrors.unknownReference('consumer', reference);
    return consumer.id;
  }

  // Teams
  table.add({ method: 'GET', path: '/teams', summary: 'List teams', tag: 'teams', access: 'read', query: schemas.teamListQuery, response: { status: 200, description: 'A page of teams.', schema: schemas.page(schemas.team) }, handle: ({ query }) => store.listTeams(listOptions(query)) });
  table.add({
    method: 'POST', path: '/teams', summary: 'Create a team (limits and budget: every key of the team counts)', tag: 'teams', access: 'write', body: schemas.teamCreate, conflict: 'A team with this name exists.',
    response: { status: 201, description: 'The new team.', schema: schemas.team },
    handle: async ({ body, actor }) => changed(await store.createTeam(body, actor)),
  });
  table.add({ method: 'GET', path: '/teams/:id', summary: 'Get a team (by id or name)', tag: 'teams', access: 'read', params: schemas.idParams, response: { status: 200, description: 'The team.', schema: schemas.team }, handle: async ({ params }) => foundByIdOrName(await store.getTeam(params.id), 'team', params.id) });
  table.add({
    method: 'PATCH', path: '/teams/:id', summary: 'Change a team, by id or name (name, limits, budget, metadata)', tag: 'teams', access: 'write', params: schemas.idParams, body: schemas.teamPatch, conflict: 'Another team has this name.',
    response: { status: 200, description: 'The changed team.', schema: schemas.team },
    handle: async ({ params, body, actor }) => changed(foundByIdOrName(await store.updateTeam(await idOf('team', params.id), body, actor), 'team', params.id)),
  });
  table.add({
    method: 'DELETE', path: '/teams/:id', summary: 'Delete a team, by id or name (refused while it has consumers or keys)', tag: 'teams', access: 'write', params: schemas.idParams, conflict: 'The team still has consumers or keys.',
    response: { status: 200, description: 'Deleted; `id` is the team\'s id, also when the URL named it.', schema: schemas.deleted },
    handle: async ({ params, actor }) => {
      const id = await idOf('team', params.id);
      return changed({ id, deleted: foundByIdOrName((await store.deleteTeam(id, actor)) || null, 'team', params.id) });
    },
  });

  // Consumers
  table.add({
    method: 'GET', path: '/consumers', summary: 'List consumers', tag: 'consumers', access: 'read', query: schemas.consumerListQuery,
    response: { status: 200, description: 'A page of consumers.', schema: schemas.page(schemas.consumer) },
    handle: async ({ query }) => store.listConsumers(listOptions(query, { team_id: (await teamId(query.team)) ?? undefined })),
  });
  table.add({
    method: 'POST', path: '/consumers', summary: 'Create a consumer (limits and budget: every key of the consumer counts)', tag: 'consumers', access: 'write', body: schemas.consumerCreate, conflict: 'A consumer with this name exists, or its team was deleted meanwhile.',
    response: { status: 201, description: 'The new consumer.', schema: schemas.consumer },
    handle: async ({ body, actor }) => {
      const { team, ...rest } = body;
      return changed(await store.createConsumer({ ...rest, team_id: await teamId(team) }, actor));
    },
  });
  table.add({
    method: 'GET', path: '/consumers/:id', summary: 'Get a consumer (by id or name)', tag: 'consumers', access: 'read', params: schemas.idParams,
    response: { status: 200, description: 'The consumer.', schema: schemas.consumer },
    handle: async ({ params }) => foundByIdOrName(await store.getConsumer(params.id), 'consumer', params.id),
  });
  table.add({
    method: 'PATCH', path: '/consumers/:id', summary: 'Change a consumer, by id or name (name, team, limits, budget, enabled...)', tag: 'consumers', access: 'write', params: schemas.idParams, body: schemas.consumerPatch, conflict: 'Another consumer has this name, or the new team was deleted meanwhile.',
    response: { status: 200, description: 'The changed consumer.', schema: schemas.consumer },
    handle: async ({ params, body, actor }) => {
      const { team, ...rest } = body;
      return changed(foundByIdOrName(await store.updateConsumer(await idOf('consumer', params.id), { ...rest, team_id: await teamId(team) }, actor), 'consumer', params.id));
    },
  });
  table.add({
    method: 'DELETE', path: '/consumers/:id', summary: 'Delete a consumer, by id or name (refused while it has keys)', tag: 'consumers', access: 'write', params: schemas.idParams, conflict: 'The consumer still has keys.',
    response: { status: 200, description: 'Deleted; `id` is the consumer\'s id, also when the URL named it.', schema: schemas.deleted },
    handle: async ({ params, actor }) => {
      const id = await idOf('consumer', params.id);
      return changed({ id, deleted: foundByIdOrName((await store.deleteConsumer(id, actor)) || null, 'consumer', params.id) });
    },
  });

  // Keys
  table.add({
    method: 'GET', path: '/keys', summary: 'List virtual keys (never their secrets)', tag: 'keys', access: 'read', query: schemas.keyListQuery,
    response: { status: 200, description: 'A page of keys.', schema: schemas.page(schemas.virtualKey) },
    handle: async ({ query }) => store.listKeys(listOptions(query, { consumer_id: await consumerId(query.consumer), team_id: (await teamId(query.team)) ?? undefined })),
  });
  table.add({
    method: 'POST', path: '/keys', summary: 'Create a virtual key; the answer is the only time the secret is shown', tag: 'keys', access: 'write', body: schemas.keyCreate, conflict: 'Its consumer or team was deleted meanwhile.',
    response: { status: 201, description: 'The new key, with its secret in `key`.', schema: schemas.createdKey },
    handle: async ({ body, actor }) => {
      const { consumer: consumerReference, team, ...rest } = body;
      const consumer = await store.getConsumer(consumerReference);
      if (!consumer) throw adminErrors.unknownReference('consumer', consumerReference);
      const created = await store.createKey({ ...rest, consumer_id: consumer.id, team_id: (await teamId(team)) ?? consumer.team_id }, actor);
      return changed({ ...created.key, key: created.secret });
    },
  });
  table.add({
    method: 'GET', path: '/keys/:id', summary: 'Get a virtual key (never its secret)', tag: 'keys', access: 'read', params: schemas.idParams,
    response: { status: 200, description: 'The key.', schema: schemas.virtualKey },
    handle: async ({ params }) => found(await store.getKey(params.id), 'key', params.id),
  });
  table.add({
    method: 'PATCH', path: '/keys/:id', summary: 'Change a virtual key (models, IPs, limits, expiry, enabled...)', tag: 'keys', access: 'write', params: schemas.idParams, body: schemas.keyPatch, conflict: 'The new team was deleted meanwhile.',
    response: { status: 200, description: 'The changed key.', schema: schemas.virtualKey },
    handle: async ({ params, body, actor }) => {
      const { team, ...rest } = body;
      return changed(found(await store.updateKey(params.id, { ...rest, team_id: await teamId(team) }, actor), 'key', params.id));
    },
  });
  table.add({
    method: 'DELETE', path: '/keys/:id', summary: 'Revoke a virtual key (every node refuses it within about a second)', tag: 'keys', access: 'write', params: schemas.idParams,
    response: { status: 200, description: 'Revoked.', schema: schemas.deleted },
    handle: async ({ params, actor }) => changed({ id: params.id, deleted: found((await store.deleteKey(params.id, actor)) || null, 'key', params.id) }),
  });

  // Audit log
  table.add({
    method: 'GET', path: '/audit', summary: 'List audit entries, newest first', tag: 'audit', access: 'read', query: schemas.auditListQuery,
    response: { status: 200, description: 'A page of audit entries.', schema: schemas.page(schemas.auditEntry) },
    handle: ({ query }) => store.listAudit(listOptions(query, { resource: query.resource, resource_id: query.resource_id })),
  });
}
