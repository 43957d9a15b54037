// The Admin API of the same origin (docs/admin-api.md), called with the token the operator typed.

const tokenStorageKey = 'tollgate-admin-token';

export class ApiError extends Error {
  constructor(status, code, message, request, param = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.request = request;
    this.param = param;
  }
}

let token = sessionStorage.getItem(tokenStorageKey);

export const currentToken = () => token;

/** Keeps the token for this tab only (null forgets it). */
export function setToken(value) {
  token = value;
  if (value === null) sessionStorage.removeItem(tokenStorageKey);
  else sessionStorage.setItem(tokenStorageKey, value);
}

/** Calls the Admin API with the token; throws ApiError with the API's own status, code, message and param. */
export async function api(method, path, body) {
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const request = `${method} ${path.split('?')[0]}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (error) {
    throw new ApiError(0, 'network_error', `The gateway did not answer (${error.message}).`, request);
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = parsed?.error;
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? text.slice(0, 300), request, error?.param ?? null);
  }
  return parsed;
}

/** `?name=value&...` of the entries that are set. */
export function query(parameters) {
  const set = Object.entries(parameters).filter(([, value]) => value !== undefined && value !== null && value !== '');
  return set.length === 0 ? '' : `?${set.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&')}`;
}

// Lists come a page at a time (at most 1,000 items, oldest first); the dashboard follows
// next_cursor to the end, up to a bound that keeps the page usable.
const pageSize = 1000;
export const maxListed = 50_000;

/** Every item of a list (up to maxListed): `{ items, complete }`. */
export async function listAll(path) {
  const items = [];
  let cursor = null;
  do {
    const page = await api('GET', `${path}${query({ limit: pageSize, after: cursor })}`);
    items.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor !== null && items.length < maxListed);
  return { items, complete: cursor === null };
}

/** Whether the token may write: its role, from `GET /whoami` (a 401 for an unknown token is thrown). */
export async function tokenMayWrite() {
  const { role } = await api('GET', '/whoami');
  return role === 'admin';
}
