import { errors } from '../../errors/catalogue.ts';
import type { ModelListing } from '../../routing/router.ts';

/**
 * `created_at` of every model: the gateway does not know when a provider released a model, and
 * Anthropic's Models API documents an epoch value for an unknown release date (as OpenAI's list
 * gets `created: 0`).
 */
export const unknownReleaseDate = '1970-01-01T00:00:00Z';

/** One model in Anthropic's Models API shape (the SDK's ModelInfo). */
export interface AnthropicModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
  /** What the gateway cannot know of a model it routes to: null, and `active` (it serves it). */
  capabilities: null;
  deprecated_at: null;
  lifecycle: 'active';
  line: null;
  max_input_tokens: null;
  max_tokens: null;
  retires_at: null;
}

/** A page of `GET /v1/models` in Anthropic's shape. */
export interface AnthropicModelPage {
  data: AnthropicModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** Anthropic's page size when `limit` is not given, and the most it takes. */
const defaultLimit = 20;
const maxLimit = 1000;

/** A model the gateway serves, as Anthropic's ModelInfo: its id (`provider/model` or an alias) is also its display name. */
export function anthropicModelInfo(id: string): AnthropicModelInfo {
  return { type: 'model', id, display_name: id, created_at: unknownReleaseDate, capabilities: null, deprecated_at: null, lifecycle: 'active', line: null, max_input_tokens: null, max_tokens: null, retires_at: null };
}

function limitOf(query: URLSearchParams): number {
  const given = query.get('limit');
  if (given === null || given === '') return defaultLimit;
  const limit = Number(given);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw errors.invalidField('limit', `an integer from 1 to ${maxLimit}`);
  return limit;
}

/** Where a cursor id is in the list; a cursor the list does not hold (a model gone since the last page) is refused. */
function positionOf(models: ModelListing[], id: string, param: string): number {
  const position = models.findIndex((model) => model.id === id);
  if (position === -1) throw errors.invalidRequest(`'${param}' names '${id}', which is not a model of this list.`, param);
  return position;
}

/**
 * `GET /v1/models` for an Anthropic SDK client, in the gateway's listing order: `limit` (default
 * 20, at most 1000) models after `after_id`, or the `limit` before `before_id`, or the first
 * `limit`; `has_more` says whether more lie that way. Every model is `active`, so a `lifecycle`
 * filter without `active` lists none.
 */
export function anthropicModelList(models: ModelListing[], query: URLSearchParams): AnthropicModelPage {
  const limit = limitOf(query);
  const lifecycle = [...query.getAll('lifecycle'), ...query.getAll('lifecycle[]')];
  const listed = lifecycle.length === 0 || lifecycle.includes('active') ? models : [];
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  if (afterId && beforeId) throw errors.invalidRequest("'after_id' and 'before_id' cannot be given together.", 'before_id');
  let page: ModelListing[];
  let hasMore: boolean;
  if (beforeId) {
    const end = positionOf(listed, beforeId, 'before_id');
    page = listed.slice(Math.max(0, end - limit), end);
    hasMore = end - limit > 0;
  } else {
    const start = afterId ? positionOf(listed, afterId, 'after_id') + 1 : 0;
    page = listed.slice(start, start + limit);
    hasMore = start + limit < listed.length;
  }
  const data = page.map((model) => anthropicModelInfo(model.id));
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
