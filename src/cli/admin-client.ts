/** A failed Admin API call, with the API's own message (its error bodies are OpenAI-shaped). */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  readonly status: number;
  /** The error's `code` and `param` when the API sent them (`unknown_reference`, `consumer`). */
  readonly code: string | undefined;
  readonly param: string | undefined;
  constructor(status: number, message: string, details: { code?: string; param?: string } = {}) {
    super(message);
    this.status = status;
    this.code = details.code;
    this.param = details.param;
  }
}

export interface AdminConnection {
  /** e.g. http://127.0.0.1:8001 */
  url: string;
  token: string | undefined;
}

/**
 * What the CLI adds to a refused token: which token it sent, and where from. The API cannot know
 * that the token came from this shell's TOLLGATE_ADMIN_TOKEN, which is not the gateway's
 * environment (no_admin_tokens says what the gateway lacks by itself).
 */
function tokenHint(code: string | undefined, sent: boolean): string {
  if (code === 'missing_admin_token' && !sent) return ' The CLI sends --admin-token, else $TOLLGATE_ADMIN_TOKEN: neither is set here.';
  if (code === 'invalid_admin_token') return " The CLI sent --admin-token, else $TOLLGATE_ADMIN_TOKEN: it is none of the gateway's admin tokens (those are set where the gateway runs).";
  return '';
}

/** The CLI's side of the Admin API: JSON in, JSON out, errors as AdminApiError. */
export class AdminClient {
  readonly #url: string;
  readonly #token: string | undefined;

  constructor(connection: AdminConnection) {
    this.#url = connection.url.replace(/\/+$/, '');
    this.#token = connection.token;
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.#url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new AdminApiError(0, `cannot reach the Admin API at ${this.#url} (${(error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message}); set TOLLGATE_ADMIN_URL or --admin-url`);
    }
    const text = await response.text();
    const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (!response.ok) {
      const error = (parsed as { error?: { message?: string; code?: string | null; param?: string | null } } | undefined)?.error;
      const code = error?.code ?? undefined;
      throw new AdminApiError(response.status, `${error?.message ?? `HTTP ${response.status}`}${tokenHint(code, Boolean(this.#token))}`, { code, param: error?.param ?? undefined });
    }
    return parsed as T;
  }
}
