/**
 * OpenAI's endpoints under `/v1/responses/…` that act on a response OpenAI stores, or count a
 * request's tokens: retrieve (`GET /v1/responses/{id}`), delete, cancel, input items, and
 * `POST /v1/responses/input_tokens` (the only one that names a model).
 */
export type StoredResponseOperation =
  | { kind: 'retrieve' | 'delete' | 'cancel' | 'input_items'; id: string; method: 'GET' | 'POST' | 'DELETE'; suffix: string }
  | { kind: 'input_tokens'; method: 'POST'; suffix: '/input_tokens' };

const storedPath = /^(?:\/v1)?\/responses\/([A-Za-z0-9_-]{1,256})(\/cancel|\/input_items)?$/;

/** The stored-response operation a path names, with the method it takes (null: not such a path). */
export function storedResponseOperationOf(path: string): StoredResponseOperation | null {
  const match = storedPath.exec(path);
  if (match === null) return null;
  const [, id, rest] = match;
  // OpenAI's compaction (POST /v1/responses/compact) is no stored response: not served (404).
  if (id === 'compact' && rest === undefined) return null;
  if (id === 'input_tokens' && rest === undefined) return { kind: 'input_tokens', method: 'POST', suffix: '/input_tokens' };
  if (rest === '/cancel') return { kind: 'cancel', id, method: 'POST', suffix: `/${id}/cancel` };
  if (rest === '/input_items') return { kind: 'input_items', id, method: 'GET', suffix: `/${id}/input_items` };
  return { kind: 'retrieve', id, method: 'GET', suffix: `/${id}` };
}

/** The methods each path takes: retrieve and delete share one. */
export function methodsFor(operation: StoredResponseOperation): string[] {
  return operation.kind === 'retrieve' ? ['GET', 'DELETE'] : [operation.method];
}
