import { z } from 'zod';

/**
 * Why a `storage:` value cannot be opened, or null when it can: `sqlite:PATH`, `sqlite::memory:`
 * or `postgres://...` (`postgresql://`). One rule for `config validate` (the schema) and for the
 * store when it opens (src/store/open-store.ts), so validate refuses what start would.
 */
export function storageProblem(storage: string): string | null {
  if (storage.startsWith('sqlite:')) return storage === 'sqlite:' ? 'sqlite: needs a file path, e.g. sqlite:./data/tollgate.db (or sqlite::memory:)' : null;
  if (/^postgres(ql)?:\/\/./.test(storage)) return null;
  return `expected sqlite:PATH or postgres://..., got ${JSON.stringify(storage)}`;
}

export const storageSchema = z.string().superRefine((storage, context) => {
  const problem = storageProblem(storage);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});

const redisScheme = /^rediss?:\/\//i;

/**
 * Why a Redis URL is refused, or null: it must name its scheme, `redis://` or `rediss://` (TLS).
 * ioredis would also take `host:port`, a bare port or a socket path and quietly guess the rest
 * (it prefixes `redis://`, and its authors mean to stop doing so); a typo such as `http://host`
 * or `redis:/host` would then connect somewhere unexpected, or nowhere, with no word at start.
 */
export function redisUrlProblem(url: string): string | null {
  const example = 'e.g. redis://127.0.0.1:6379, redis://:password@host:6379/2 or rediss://host:6380 for TLS';
  if (!redisScheme.test(url)) return `expected a URL starting with redis:// or rediss://, got ${JSON.stringify(url)} (${example})`;
  try {
    const parsed = new URL(url);
    if (parsed.hostname === '') return `the URL names no host (${example})`;
  } catch {
    return `not a valid URL: ${JSON.stringify(url)} (${example})`;
  }
  return null;
}

/**
 * A Redis URL setting. Empty means none, as unset: `redis: "${REDIS_URL}"` with the variable unset
 * runs without Redis (and `config validate` warns that the variable is not set). The pattern also
 * goes into the published JSON Schema, so editors flag a missing scheme.
 */
export const redisUrlSchema = z
  .string()
  .regex(/^(rediss?:\/\/|$)/i, { error: (issue) => redisUrlProblem(String(issue.input)) ?? 'expected redis:// or rediss://' })
  .superRefine((url, context) => {
    const problem = redisScheme.test(url) ? redisUrlProblem(url) : null;
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  });
