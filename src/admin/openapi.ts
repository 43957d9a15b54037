import { z } from 'zod';
import { errorBody } from './admin-schemas.ts';
import type { AdminRoute } from './route-table.ts';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/keys/:id` -> `/keys/{id}` */
export function openApiPath(fastifyPath: string): string {
  return fastifyPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const fieldSchema = jsonSchema(field, 'input');
    return {
      name,
      in: location,
      required: location === 'path' || !field.safeParse(undefined).success,
      description: field.description,
      schema: fieldSchema,
    };
  });
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function operation(route: AdminRoute): JsonSchema {
  const headers = route.response.headers && Object.fromEntries(Object.entries(route.response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
  const responses: Record<string, unknown> = {
    [route.response.status]: route.response.schema
      ? { description: route.response.description, headers, content: { [route.response.contentType ?? 'application/json']: { schema: jsonSchema(route.response.schema, 'output') } } }
      : { description: route.response.description, headers, content: { [route.response.contentType ?? 'text/plain']: { schema: { type: 'string' } } } },
  };
  if (route.access !== 'public') {
    responses['401'] = errorResponse('No admin token, or an unknown one.');
    if (route.access === 'write') responses['403'] = errorResponse('The token has the viewer role.');
    responses['429'] = {
      ...errorResponse('Too many wrong tokens from this address (admin.auth_failures): refused, whatever the token, until Retry-After has passed.'),
      headers: { 'retry-after': { description: 'Seconds until the address is let in again.', schema: { type: 'string' } } },
    };
    responses['503'] = {
      ...errorResponse('The store (database) cannot be reached or did not answer in time (store_unavailable): retry after Retry-After. A write answered this way may have been applied.'),
      headers: { 'retry-after': { description: 'Seconds to wait before retrying.', schema: { type: 'string' } } },
    };
  }
  if (route.params || route.query || route.body) responses['400'] = errorResponse('The request does not match the schema.');
  if (route.params) responses['404'] = errorResponse('No object with this id.');
  if (route.conflict) responses['409'] = errorResponse(route.conflict);
  if (route.body) {
    responses['413'] = errorResponse('The body is larger than 1 MiB.');
    responses['415'] = errorResponse('The body is not sent as Content-Type: application/json.');
  }
  return {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method.toLowerCase()}${openApiPath(route.path).replace(/[{}]/g, '').replace(/\/(\w)/g, (_match, letter: string) => letter.toUpperCase())}`,
    security: route.access === 'public' ? [] : [{ adminToken: [] }],
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of every route in the table, built from their zod schemas. */
export function buildOpenApiDocument(routes: readonly AdminRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tollgate Admin API',
      version,
      description: 'Manage teams, consumers, virtual keys and read the audit log. Authenticate with Authorization: Bearer <admin token>; viewer tokens may only read.',
    },
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'A token from admin.tokens in the config.' } },
      schemas: { Error: jsonSchema(errorBody, 'output') },
    },
    paths,
  };
}
