import { errors } from '../../errors/catalogue.ts';
import type { CompiledRoute, ModelListing } from '../../routing/router.ts';
import type { ModelGroup } from '../../routing/target.ts';

/** One model in OpenAI's shape. */
export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** GET /v1/models in OpenAI's shape. */
export function openAIModelList(models: ModelListing[], created: number): { object: 'list'; data: OpenAIModel[] } {
  return { object: 'list', data: models.map((model) => ({ id: model.id, object: 'model', created, owned_by: model.owned_by })) };
}

/** A provider as a model group's target names it. */
type TargetProvider = ModelGroup['targets'][number]['provider'];

/** What the model list reads of a compiled route. */
export type ListedRoute = Pick<CompiledRoute, 'exactModel' | 'defaultGroup' | 'rules' | 'split' | 'namedGroups'>;

/**
 * The list with the names routes serve added after it: a route whose `match.model` is one exact
 * name (no glob) and that picks a model of its own (`model:`, rules or a split) makes that name
 * one a request can use ("Naming models", step 1: `assistant` of a canary split), though no alias
 * or provider declares it, so GET /v1/models lists it and retrieve answers for it, owned by
 * tollgate as an alias is. Only when a usable provider serves one of the route's groups; the
 * route's other conditions (path, headers, caller metadata) are not judged here. A name already
 * listed stays as listed.
 */
export function withRouteModels(listed: ModelListing[], routes: readonly ListedRoute[], isUsable: (provider: TargetProvider) => boolean): ModelListing[] {
  const ids = new Set(listed.map((model) => model.id));
  const served: ModelListing[] = [];
  for (const route of routes) {
    const name = route.exactModel;
    if (name === null || ids.has(name)) continue;
    if (route.defaultGroup === null && route.rules === null && route.split === null) continue;
    if (!route.namedGroups.some((group) => group.targets.some((target) => isUsable(target.provider)))) continue;
    ids.add(name);
    served.push({ id: name, owned_by: 'tollgate' });
  }
  return served.length === 0 ? listed : [...listed, ...served];
}

/** How GET /v1/models/{id} finds a model that is not listed: the router's name resolution, and which providers can serve. */
export interface ModelLookup {
  /** Resolves a name as a request's `model` is resolved (Router.resolve); throws the client-facing error when nothing serves it. */
  resolve(model: string): ModelGroup;
  /** Whether a provider can serve requests now (it has a credential, needs none, or takes the client's). */
  isUsable(provider: TargetProvider): boolean;
}

/**
 * GET /v1/models/{id}: the model object for any id a request could use, as OpenAI answers it for
 * any model the key can call. A listed id (an alias, a name a route serves (withRouteModels) or a
 * provider's declared model, already filtered to what the caller may use) comes as listed; any other id is resolved as a request's
 * `model` is (a plain name exactly one provider declares, `provider/model`), so retrieve agrees
 * with what the gateway serves. Such a model is owned by the provider that serves it. A name no
 * usable provider serves is 404 model_not_found (or the router's own error, e.g. model_ambiguous).
 * Whether the caller may use the id is the authentication step's business (403 model_not_allowed
 * comes before this).
 */
export function retrieveOpenAIModel(wanted: string, listed: ModelListing[], lookup: ModelLookup, created: number): OpenAIModel {
  const found = listed.find((model) => model.id === wanted);
  if (found) return { id: found.id, object: 'model', created, owned_by: found.owned_by };
  const group = lookup.resolve(wanted);
  const server = group.targets.find((target) => lookup.isUsable(target.provider));
  if (!server) throw errors.modelNotFound(wanted);
  return { id: wanted, object: 'model', created, owned_by: server.provider.settings.name };
}
