import { z } from 'zod';

/** What a provider is called with. */
const httpUrl = /^https?:\/\//i;

/** `host`, `host:port`, `host:port/path`: a URL written without its scheme (no userinfo, no `//`). */
const bareHost = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:\d+)?(\/[^\s]*)?$/i;

/**
 * Why a provider base URL cannot be called, or null: it must be an http:// or https:// URL with a
 * host. A plain URL check is not enough: `localhost:8080/v1` parses as a URL of scheme
 * "localhost:", and `htp://host` as one of scheme "htp:"; both passed it and failed only at call
 * time, as a 502 that named no setting.
 */
export function baseUrlProblem(value: string): string | null {
  const got = JSON.stringify(value);
  const noScheme = bareHost.test(value) && !value.includes('//');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expected a URL, got ${got}${noScheme ? ` (write it with its scheme: http://${value})` : ''}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    if (noScheme) return `expected a URL starting with http:// or https://, got ${got}, whose host reads as a scheme (write http://${value})`;
    return `expected a URL starting with http:// or https://, got ${got} (${url.protocol}// is no scheme a provider is called with)`;
  }
  if (url.hostname === '') return `the URL names no host: ${got}`;
  // The operation's path is added after the base URL's path: a query or fragment would end up
  // before it, and credentials in a URL are not sent (fetch refuses them).
  if (url.search !== '' || url.hash !== '') return `a base URL takes no query string or fragment (the operation's path goes after it), got ${got}; Azure's api-version has its own setting`;
  if (url.username !== '' || url.password !== '') return 'a base URL takes no user name or password (they would not be sent): put the credential in api_key';
  return null;
}

/**
 * `providers.<name>.base_url`. The pattern also goes into the published JSON Schema, so editors
 * flag a missing or misspelt scheme; the problem says which and how to write it.
 */
export const baseUrlSchema = z
  .string()
  .regex(httpUrl, { error: (issue) => baseUrlProblem(String(issue.input)) ?? 'expected a URL starting with http:// or https://' })
  .superRefine((value, context) => {
    const problem = httpUrl.test(value) ? baseUrlProblem(value) : null;
    if (problem !== null) context.addIssue({ code: 'custom', message: problem });
  });
