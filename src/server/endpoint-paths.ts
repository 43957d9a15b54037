import type { IncomingMessage } from 'node:http';
import type { Operation } from '../canonical/operation.ts';
import type { ClientFormat } from '../providers/provider.ts';

/** The data plane's endpoints by path (each also without `/v1`), and the client format each speaks. */

export const operationsByPath: Record<string, Operation> = {
  '/v1/chat/completions': 'chat',
  '/chat/completions': 'chat',
  '/v1/completions': 'completions',
  '/completions': 'completions',
  '/v1/embeddings': 'embeddings',
  '/embeddings': 'embeddings',
  '/v1/responses': 'chat',
  '/responses': 'chat',
  // Forwarded to OpenAI-format providers only, never translated (src/canonical/forwarded.ts).
  '/v1/moderations': 'moderations',
  '/moderations': 'moderations',
  '/v1/images/generations': 'image_generations',
  '/images/generations': 'image_generations',
  '/v1/images/edits': 'image_edits',
  '/images/edits': 'image_edits',
  '/v1/audio/speech': 'speech',
  '/audio/speech': 'speech',
  '/v1/audio/transcriptions': 'transcriptions',
  '/audio/transcriptions': 'transcriptions',
  '/v1/audio/translations': 'translations',
  '/audio/translations': 'translations',
  // Cohere's rerank shape, as RAG frameworks call it through gateways (vLLM, Jina and Infinity answer it too).
  '/v1/rerank': 'rerank',
  '/rerank': 'rerank',
};

/** OpenAI's Responses API: a chat request in another client format (src/formats/openai-responses/). */
export const responsesPaths = new Set(['/v1/responses', '/responses']);

/** Anthropic's Messages API (the Anthropic SDKs take the host as base URL and add /v1). */
export const anthropicPaths: Record<string, 'messages' | 'count_tokens'> = {
  '/v1/messages': 'messages',
  '/messages': 'messages',
  '/v1/messages/count_tokens': 'count_tokens',
  '/messages/count_tokens': 'count_tokens',
};

/** A caller's own usage (src/plugins/usage-ledger/own-usage-endpoint.ts). */
export const ownUsagePaths = new Set(['/v1/tollgate/usage', '/tollgate/usage']);

/** The model list and a model's entry: `/v1/models`, `/v1/models/{id}` (and without `/v1`). */
export function modelsPrefixOf(path: string): '/v1/models/' | '/models/' | null {
  return path.startsWith('/v1/models/') ? '/v1/models/' : path.startsWith('/models/') ? '/models/' : null;
}

/** The model list or a model's entry. */
export function isModelsPath(path: string): boolean {
  return path === '/v1/models' || path === '/models' || modelsPrefixOf(path) !== null;
}

/**
 * Anthropic's endpoints under /v1/messages/ the gateway does not serve (Message Batches), and
 * /v1/messages under a doubled /v1 (an Anthropic SDK given a base URL ending in /v1): their 404 is
 * in Anthropic's shape, which the Anthropic SDKs read (OpenAI's shape reached them as a raw string).
 */
function isUnservedAnthropicPath(path: string): boolean {
  return /^(\/v1)*\/messages(\/|$)/.test(path);
}

/**
 * The API shape a request's client speaks, errors included. The model list is both APIs'
 * `GET /v1/models`: Anthropic's SDKs always send `anthropic-version` (OpenAI's never do), so such a
 * request gets Anthropic's Models API.
 */
export function clientFormatOf(path: string, headers: IncomingMessage['headers']): ClientFormat {
  if (path in anthropicPaths || isUnservedAnthropicPath(path)) return 'anthropic';
  if (responsesPaths.has(path)) return 'openai-responses';
  if (headers['anthropic-version'] !== undefined && isModelsPath(path)) return 'anthropic';
  return 'openai';
}

/** The query string of a request's URL. */
export function queryOf(url: string | undefined): URLSearchParams {
  const start = url?.indexOf('?') ?? -1;
  return new URLSearchParams(start === -1 ? '' : url!.slice(start + 1));
}
