import type { IncomingMessage } from 'node:http';
import { storedResponseOperationOf } from '../formats/openai-responses/stored-response-paths.ts';
import { isModelsPath, operationsByPath } from './endpoint-paths.ts';

/**
 * Azure OpenAI's data-plane paths, as the `AzureOpenAI` clients (openai for Node and Python,
 * LangChain's AzureChatOpenAI) call them, served as the gateway's own `/v1/...`:
 *
 * - `/openai/deployments/{deployment}/{operation}` (given an `endpoint`), `/deployments/...` and
 *   `/v1/deployments/...` (given a `baseURL`), `/openai/v1/deployments/...` (a `baseURL` ending in
 *   Azure's v1 API): the deployment is the request's model.
 * - `/openai/v1/{operation}` (Azure's v1 API, an OpenAI client) and `/openai/{operation}` (what an
 *   `AzureOpenAI` client sends for operations outside deployments: responses, models, and the
 *   stored responses' `/openai/responses/{id}...`): the model is the body's, as on /v1.
 *
 * `api-version` is left in the query and ignored. Anthropic's paths are not served here.
 */

const deploymentPrefixes = ['/openai/v1/deployments/', '/openai/deployments/', '/v1/deployments/', '/deployments/'];
const ownPathPrefixes = ['/openai/v1/', '/openai/'];

/**
 * The operations a deployment path may end in (`/chat/completions`), longest first: the SDKs put
 * the deployment in the path as it is, `/` included, so `a/b/chat/completions` is deployment `a/b`
 * with chat (never `a/b/chat` with completions).
 */
const deploymentOperations = Object.keys(operationsByPath)
  .filter((path) => path.startsWith('/v1/'))
  .map((path) => path.slice(3))
  .sort((one, other) => other.length - one.length);

/** A path the gateway serves under another name: its own path, and the deployment the URL named (a model). */
export interface AzurePath {
  path: string;
  deployment?: string;
}

/** A deployment as named in the URL; one with a malformed escape (`%E0`) is taken as written (and not found) rather than failing. */
function decodedDeployment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * The gateway's own path for an Azure-style one, or null for any other path (and for an Azure
 * path the gateway does not serve, which then gets the ordinary 404 naming the path as sent).
 * An empty deployment (`/openai/deployments//chat/completions`) is returned as '' (a 400 later).
 */
export function azurePathOf(path: string): AzurePath | null {
  for (const prefix of deploymentPrefixes) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length - 1);
    for (const operation of deploymentOperations) {
      if (rest.endsWith(operation)) return { path: `/v1${operation}`, deployment: decodedDeployment(rest.slice(1, rest.length - operation.length)) };
    }
    return null;
  }
  for (const prefix of ownPathPrefixes) {
    if (!path.startsWith(prefix)) continue;
    const own = `/v1/${path.slice(prefix.length)}`;
    return operationsByPath[own] !== undefined || isModelsPath(own) || storedResponseOperationOf(own) !== null ? { path: own } : null;
  }
  return null;
}

/** Whether a URL may be an Azure-style path: a character or two looked at, so /v1 requests pay nothing more. */
function mayBeAzure(url: string): boolean {
  const second = url.charCodeAt(1);
  if (second === 111 /* o */ || second === 100 /* d */) return true;
  return second === 118 /* v */ && url.charCodeAt(4) === 100 /* /v1/d */;
}

const deployments = new WeakMap<IncomingMessage, string>();

/**
 * Rewrites an Azure-style request's URL to the gateway's own path (its query kept), so everything
 * after it (endpoints, route `path` matching, the access log) sees `/v1/...`, and remembers the
 * deployment it named. Other requests are left as they are.
 */
export function useOwnPath(request: IncomingMessage): void {
  const url = request.url;
  if (url === undefined || !mayBeAzure(url)) return;
  const queryStart = url.indexOf('?');
  const served = azurePathOf(queryStart === -1 ? url : url.slice(0, queryStart));
  if (served === null) return;
  request.url = queryStart === -1 ? served.path : served.path + url.slice(queryStart);
  if (served.deployment !== undefined) deployments.set(request, served.deployment);
}

/** The deployment an Azure-style request's URL named (useOwnPath), or undefined. */
export function deploymentOf(request: IncomingMessage): string | undefined {
  return deployments.get(request);
}
