// The Admin API of the same origin (docs/admin-api.md), called with the token the operator typed.

const tokenStorageKey = 'tollgate-admin-token';

export class ApiError extends Error {
  constructor(status, code, message, request, param = null, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.request = request;
    this.param = param;
    /** Seconds, from a 429's or 503's Retry-After; null without one. */
    this.retryAfter = retryAfter;
  }
}

/** A call that ended because the operator signed out: nothing to report. */
export const signedOutCode = 'signed_out';

/** How long a call may take, answer included, before the page gives up and says so. */
export const requestTimeoutSeconds = 30;

let token = sessionStorage.getItem(tokenStorageKey);

export const currentToken = () => token;

/** Uses the token for the next calls without keeping it (it is kept once `GET /whoami` accepts it). */
export function useToken(value) {
  token = value;
}

/** Keeps the token in use for this tab only (session storage). */
export function keepToken() {
  if (token !== null) sessionStorage.setItem(tokenStorageKey, token);
}

/** Forgets the token, and ends the calls made with it (their answers would redraw a page signed out). */
export function forgetToken() {
  token = null;
  sessionStorage.removeItem(tokenStorageKey);
  for (const controller of inFlight) controller.abort(signedOutCode);
}

// The calls under way, and who wants to know whether there are any (the "Loading…" line).
const inFlight = new Set();
let loadingListener = () => {};

/** `listener(true)` when the first call starts, `listener(false)` when the last one ends. */
export function onLoading(listener) {
  loadingListener = listener;
}

function settle(controller) {
  inFlight.delete(controller);
  if (inFlight.size === 0) loadingListener(false);
}

/** Calls the Admin API with the token; throws ApiError with the API's own status, code, message and param. */
export async function api(method, path, body) {
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const request = `${method} ${path.split('?')[0]}`;
  const controller = new AbortController();
  // A timer rather than AbortSignal.timeout: it also bounds reading the body, and tests can drive it with a fake clock.
  const timer = setTimeout(() => controller.abort('timeout'), requestTimeoutSeconds * 1000);
  inFlight.add(controller);
  if (inFlight.size === 1) loadingListener(true);
  let response;
  let text;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', signal: controller.signal });
    text = await response.text();
  } catch (error) {
    const reason = controller.signal.reason;
    if (reason === signedOutCode) throw new ApiError(0, signedOutCode, 'Signed out before the gateway answered.', request);
    if (reason === 'timeout') throw new ApiError(0, 'timeout', `The gateway did not answer within ${requestTimeoutSeconds} s; it or its database may be overloaded or stuck. Try again later (Refresh reloads the page's data).`, request);
    throw new ApiError(0, 'network_error', `The gateway did not answer (${error.message}).`, request);
  } finally {
    clearTimeout(timer);
    settle(controller);
  }
  let parsed;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = parsed?.error;
    const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? text.slice(0, 300), request, error?.param ?? null, Number.isNaN(retryAfter) ? null : retryAfter);
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
