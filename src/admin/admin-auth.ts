import { createHash } from 'node:crypto';
import { adminErrors } from '../errors/admin-errors.ts';
import type { Access } from './route-table.ts';

export interface AdminToken {
  token: string;
  role: 'admin' | 'viewer';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Admin tokens from `admin.tokens`. Tokens are looked up by their SHA-256 (as virtual keys are),
 * so the comparison does not leak the token through timing; the actor recorded in the audit log
 * is the first 8 hex digits of that hash, which names the token without revealing it.
 */
export class AdminAuth {
  readonly #roles = new Map<string, AdminToken['role']>();

  constructor(tokens: readonly AdminToken[]) {
    for (const entry of tokens) if (entry.token !== '') this.#roles.set(sha256(entry.token), entry.role);
  }

  get configured(): boolean {
    return this.#roles.size > 0;
  }

  /** The role of the token the header carries (call after authorize: an unknown token is null). */
  roleOf(authorization: string | undefined): AdminToken['role'] | null {
    const match = authorization?.match(/^bearer\s+(.+)$/i);
    return match ? (this.#roles.get(sha256(match[1].trim())) ?? null) : null;
  }

  /** The actor's name when the header carries a token allowed this access; throws a 401/403 otherwise. */
  authorize(authorization: string | undefined, access: Exclude<Access, 'public'>): string {
    const match = authorization?.match(/^bearer\s+(.+)$/i);
    if (!match) throw adminErrors.missingToken();
    const hash = sha256(match[1].trim());
    const role = this.#roles.get(hash);
    if (!role) throw adminErrors.invalidToken();
    if (access === 'write' && role !== 'admin') throw adminErrors.readOnly();
    return `admin-token:${hash.slice(0, 8)}`;
  }
}
