import type { IncomingHttpHeaders } from 'node:http';
import { parse } from 'yaml';
import type { CanonicalRequest } from '../../src/canonical/operation.ts';
import { configSchema } from '../../src/config/schema.ts';
import type { Operation } from '../../src/canonical/operation.ts';
import type { Provider, ProviderReply } from '../../src/providers/provider.ts';
import { Router } from '../../src/routing/router.ts';
import type { RoutingCaller, RoutingRequest } from '../../src/routing/routing-request.ts';
import { defaultTimeouts } from '../../src/upstream/upstream-client.ts';

/** A provider that is never called: routing only reads its settings. */
export function fakeProvider(name: string, type = 'openai-compatible'): Provider {
  return {
    settings: { name, type, apiKey: 'k', baseUrl: `http://127.0.0.1:9/${name}`, models: [], byok: false, headers: {}, timeouts: defaultTimeouts, options: {}, strictParams: false },
    nativeFormat: 'openai',
    operations: new Set<Operation>(['chat', 'completions', 'embeddings']),
    send(): Promise<ProviderReply> {
      throw new Error('not called in routing tests');
    },
  };
}

/** A router built from YAML over fake providers named in `providers`; throws on config problems. */
export function routerFrom(yamlText: string, providers: string[] = ['a', 'b', 'c', 'd', 'e']): Router {
  const config = configSchema.parse(parse(yamlText) ?? {});
  const problems: string[] = [];
  const router = Router.build(config, new Map(providers.map((name) => [name, fakeProvider(name)])), problems);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return router;
}

/** Config problems the router reports for a YAML text. */
export function routerProblems(yamlText: string, providers: string[] = ['a', 'b', 'c']): string[] {
  const config = configSchema.parse(parse(yamlText) ?? {});
  const problems: string[] = [];
  Router.build(config, new Map(providers.map((name) => [name, fakeProvider(name)])), problems);
  return problems;
}

let counter = 0;

/** A chat request as routing sees it. */
export function chatRequest(fields: { model: string; content?: unknown; headers?: IncomingHttpHeaders; caller?: RoutingCaller; body?: Record<string, unknown>; path?: string; id?: string }): RoutingRequest {
  const body = { model: fields.model, messages: [{ role: 'user', content: fields.content ?? 'hello' }], ...fields.body } as unknown as CanonicalRequest;
  return {
    id: fields.id ?? `request-${++counter}`,
    path: fields.path ?? '/v1/chat/completions',
    headers: fields.headers ?? {},
    operation: 'chat',
    requestedModel: fields.model,
    body,
    caller: fields.caller ?? {},
  };
}

/** plan + decide, as the pipeline runs them. */
export function decide(router: Router, request: RoutingRequest) {
  const plan = router.plan(request.requestedModel, request.path, request.headers);
  return router.decide(plan, request);
}
