import { createHash } from 'node:crypto';
import { adminErrors } from '../errors/admin-errors.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { Access } from './route-table.ts';

/**
 * The refusal when the gateway has no admin token at all: every token is refused, and "the admin
 * token is not valid" sent an operator looking for a typo in theirs when the gateway's side was
 * empty (the Quickstart's `npm start` without TOLLGATE_ADMIN_TOKEN). It says so, and where to set
 * one. Only when there are none: with tokens configured, a wrong one learns nothing about them.
 */
export function noAdminTokens(): GatewayError {
  return new GatewayError({
    status: 401,
    type: 'authentication_error',
    code: 'no_admin_tokens',
    message:
      'This gateway has no admin token configured, so the Admin API refuses every token: set TOLLGATE_ADMIN_TOKEN in the environment the gateway runs in (or admin.tokens in its config file) and restart it; the CLI and the dashboard then use that token.',
  });
}

export interface AdminToken {
  token: string;
  role: 'admin' | 'viewer';
  /** How the audit log names the token (`admin-token:<name>`); without one, its place in the list (`admin-token:#2`). */
  name?: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Admin tokens from `admin.tokens`. Tokens are looked up by their SHA-256 (as virtual keys are),
 * so the comparison does not leak the token through timing. The actor recorded in the audit log
 * is the token's `name`, else its place in the list (`admin-token:#1`): nothing derived from the
 * token, which a viewer reading the audit log could test guesses against offline.
 */
export class AdminAuth {
  readonly #roles = new Map<string, { role: AdminToken['role']; actor: string }>();

  constructor(tokens: readonly AdminToken[]) {
    tokens.forEach((entry, index) => {
      if (entry.token === '') return;
      const hash = sha256(entry.token);
      // The config refuses a token listed twice (schema.ts); the first entry counts.
      if (!this.#roles.has(hash)) this.#roles.set(hash, { role: entry.role, actor: `admin-token:${entry.name ?? `#${index + 1}`}` });
    });
  }

  get configured(): boolean {
    return this.#roles.size > 0;
  }

  /** The role of the token the header carries (call after authorize: an unknown token is null). */
  roleOf(authorization: string | undefined): AdminToken['role'] | null {
    const match = authorization?.match(/^bearer\s+(.+)$/i);
    return match ? (this.#roles.get(sha256(match[1].trim()))?.role ?? null) : null;
  }

  /** The actor's name when the header carries a token allowed this access; throws a 401/403 otherwise. */
  authorize(authorization: string | undefined, access: Exclude<Access, 'public'>): string {
    if (!this.configured) throw noAdminTokens();
    const match = authorization?.match(/^bearer\s+(.+)$/i);
    if (!match) throw adminErrors.missingToken();
    const entry = this.#roles.get(sha256(match[1].trim()));
    if (!entry) throw adminErrors.invalidToken();
    if (access === 'write' && entry.role !== 'admin') throw adminErrors.readOnly();
    return entry.actor;
  }
}
