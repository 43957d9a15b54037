import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { allowsClientKey, clientProviderKey } from '../../pipeline/client-provider-key.ts';
import { anthropicOnlyFieldsOf } from '../../canonical/anthropic-only-fields.ts';
import { verbatimTurnsIn } from '../../canonical/anthropic-verbatim-turns.ts';
import type { ChatRequest } from '../../canonical/chat.ts';
import { consumerIdOf } from '../../identity/consumer-identity.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import { anthropicVersion } from '../../providers/anthropic/anthropic-api.ts';
import type { RoutingDecision } from '../../routing/router.ts';
import { nativeResponsesOf } from '../../pipeline/native-responses.ts';

/**
 * Request fields that do not change the answer: who asks (`user`, `safety_identifier`), how it is
 * delivered (`stream`, `stream_options`), bookkeeping (`metadata`, `store`, `prompt_cache_key`).
 * `model` is left out because the requested model is hashed on its own. Everything else is in
 * the key, so a field we do not know yet makes entries more specific, never wrong.
 */
const ignoredFields = new Set(['model', 'user', 'stream', 'stream_options', 'metadata', 'store', 'safety_identifier', 'prompt_cache_key']);

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` hash the same. `undefined` members are dropped, as JSON.stringify does. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      out += value[index] === undefined ? 'null' : stableJson(value[index]);
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + stableJson(member);
    first = false;
  }
  return out + '}';
}

/**
 * What an Anthropic Messages request carries beside its canonical form (symbol keys, which the
 * fingerprint's walk does not see): server tools, MCP servers, top-level fields the canonical model
 * lacks, and turns kept as sent (server tool results, citations, documents). Two requests that
 * differ only there get different answers from Claude. Read for Messages requests only (no other
 * request carries them), so other formats' lookups walk their messages once, not twice.
 */
function anthropicOnlyPart(body: Record<string, unknown>): string {
  if (!Array.isArray(body.messages)) return '';
  const request = body as unknown as ChatRequest;
  const only = anthropicOnlyFieldsOf(request);
  const turns = verbatimTurnsIn(request.messages);
  if (only === undefined && turns.length === 0) return '';
  return `\u0000${stableJson(only ?? null)}\u0000${stableJson(turns)}`;
}

/**
 * Whether the answer depends on state the provider holds between requests, so no stored answer
 * may stand in for it: an Anthropic message thread (`thread`: the conversation lives on the
 * server) or a code-execution `container` (its files); or a Responses request served natively
 * (stored responses, hosted tools: its key would only see the canonical view plugins read).
 */
export function dependsOnServerState(ctx: RequestContext): boolean {
  if (nativeResponsesOf(ctx) !== undefined) return true;
  if (ctx.clientFormat !== 'anthropic' || ctx.operation !== 'chat') return false;
  const fields = anthropicOnlyFieldsOf(ctx.body as ChatRequest)?.fields;
  if (fields === undefined) return false;
  return (fields.thread !== undefined && fields.thread !== null && fields.thread !== false) || (fields.container !== undefined && fields.container !== null);
}

/** The body's answer-changing fields as stable JSON (top-level ignored fields removed). */
function requestFingerprint(body: Record<string, unknown>): string {
  const keys = Object.keys(body).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = body[key];
    if (member === undefined || ignoredFields.has(key)) continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + stableJson(member);
    first = false;
  }
  return out + '}';
}

/**
 * Whose entries these are: everyone's when shared, else the consumer's (by id, never by name: a
 * consumer created with a deleted one's name, or a declared key's consumer's, must not find their
 * answers), else the key's, else everyone's (no authentication). The client's provider key
 * narrows it further (clientKeyScope).
 */
export function cacheScope(ctx: RequestContext, shared: boolean): string {
  if (shared) return '*';
  const consumer = consumerIdOf(ctx.caller);
  if (consumer !== undefined) return `c:${consumer}`;
  if (ctx.caller.key !== undefined) return `k:${ctx.caller.key}`;
  return '*';
}

/**
 * Whether the request may run on the client's own provider key: a provider it may be routed to
 * (the plan's groups, or every group its route names when the route decides per request) takes
 * the client's key (`byok: true`, or the byok plugin on this route).
 */
function mayRunOnClientKey(ctx: RequestContext): boolean {
  const plan = ctx.routePlan;
  if (plan === null) return true;
  for (const group of plan.router.candidateGroups(plan, ctx.requestedModel)) {
    for (const target of group.targets) if (allowsClientKey(ctx, target.provider)) return true;
  }
  return false;
}

/**
 * The client's provider credential as a digest, when the request may run on it (BYOK): an answer
 * paid with that key is then found only by callers who bring the same key. Empty otherwise, so a
 * bearer token that no provider would get (no BYOK) does not split entries. Never the key itself.
 */
export function clientKeyScope(ctx: RequestContext): string {
  const key = clientProviderKey(ctx);
  if (key === undefined || !mayRunOnClientKey(ctx)) return '';
  return createHash('sha256').update(key).digest('base64url');
}

/** A header's comma-separated names, trimmed, each once and sorted: `b, a` and `a,b,a` are the same set. */
function nameSet(value: string | string[]): string {
  const names = (Array.isArray(value) ? value.join(',') : value)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return [...new Set(names)].sort().join(',');
}

/**
 * The client headers that go up to providers and change the answer (what the providers read from
 * `clientHeaders`): `anthropic-beta` (Anthropic, Claude on Vertex and Bedrock) and
 * `anthropic-version` (the Messages passthrough sends the client's). A version equal to the one the
 * gateway sends when a client names none counts as none, so an Anthropic SDK (which always sends
 * it) and an OpenAI client still share entries. Empty for a request with neither, the usual case.
 */
function forwardedHeaders(headers: IncomingHttpHeaders): string {
  const betas = headers['anthropic-beta'];
  const version = headers['anthropic-version'];
  if (betas === undefined && version === undefined) return '';
  const betaPart = betas === undefined ? '' : nameSet(betas);
  const versionPart = typeof version === 'string' && version.trim() !== anthropicVersion ? version.trim() : '';
  return betaPart === '' && versionPart === '' ? '' : `${betaPart}\u0000${versionPart}`;
}

/** What routing decided that changes the answer: the route (after caller-metadata matching), the split's variant, the groups in order (a rule's pick, then the fallbacks). */
function decisionPart(ctx: RequestContext, decision: RoutingDecision | null): string {
  if (decision === null) return ctx.route?.name ?? '';
  let groups = '';
  for (const group of decision.groups) groups += `${group.name}\u0000`;
  return `${decision.route?.name ?? ''}\u0000${decision.variant ?? ''}\u0000${groups}`;
}

/**
 * SHA-256 (base64url) over operation, scope, the client's provider key digest (clientKeyScope,
 * given by the caller: it also decides whether the answer may be stored), the routing decision
 * (route, variant, groups), requested model, the answer-changing forwarded headers, the
 * request fingerprint and what makes this caller's answer its own (ctx.answerVariesBy: the
 * values pii masked, the caller's own plugin layers).
 */
export function cacheKey(ctx: RequestContext, shared: boolean, clientKey: string, decision: RoutingDecision | null): string {
  const text = `${ctx.operation}\n${cacheScope(ctx, shared)}\n${clientKey}\n${decisionPart(ctx, decision)}\n${ctx.requestedModel}\n${forwardedHeaders(ctx.headers)}\n${requestFingerprint(ctx.body as unknown as Record<string, unknown>)}${ctx.clientFormat === 'anthropic' ? anthropicOnlyPart(ctx.body as unknown as Record<string, unknown>) : ''}\n${ctx.answerVariesBy?.join('\u0001') ?? ''}`;
  return createHash('sha256').update(text).digest('base64url');
}
