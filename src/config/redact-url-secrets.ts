/**
 * The secrets a URL carries (a password in its userinfo, credential-looking query or fragment
 * parameters), found anywhere in a string and replaced by ***: for the Admin API's views of the
 * YAML (src/admin/redact-secrets.ts) and for config problems (mask-problem-secrets.ts).
 */

/**
 * Query parameters that carry credentials: `token`, `key`, `api_key`, `apiKey`, `secret`,
 * `client_secret`, `password`, `sig` and `signature` (Azure SAS, S3 presigned), `access_token`,
 * `X-Amz-Credential`, `X-Amz-Security-Token`, ... Anything ending in one of those words is hidden:
 * showing too little of a webhook's query costs nothing, showing its token costs the token.
 */
export const secretParameter = /(key|token|secret|password|passwd|signature|credentials?)$|^(sig|pwd|pass|auth|authorization|code|session)$/i;

/** `scheme://userinfo@` at the start of a URL (userinfo ends at the first / ? # of the authority). */
const urlStart = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*@)?/gi;

export function redactParameters(text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals <= 0) return pair;
      let name = pair.slice(0, equals);
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judge the name as written.
      }
      return secretParameter.test(name.trim()) && equals < pair.length - 1 ? `${pair.slice(0, equals)}=***` : pair;
    })
    .join('&');
}

/** One URL (from its scheme to the first whitespace): userinfo password, query and fragment secrets replaced by ***. */
function redactOneUrl(url: string): string {
  const [, scheme, userinfo = ''] = /^([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*@)?/i.exec(url)!;
  let rest = url.slice(scheme.length + userinfo.length);
  let maskedUserinfo = userinfo;
  if (userinfo !== '') {
    const colon = userinfo.indexOf(':');
    // user:password@ keeps the user; a userinfo with no colon is a lone token (https://<token>@host).
    if (colon >= 0) maskedUserinfo = colon === userinfo.length - 2 ? userinfo : `${userinfo.slice(0, colon)}:***@`;
    else maskedUserinfo = userinfo === '@' ? userinfo : '***@';
  }
  const hash = rest.indexOf('#');
  const fragment = hash >= 0 ? rest.slice(hash + 1) : null;
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  if (question >= 0) rest = `${rest.slice(0, question)}?${redactParameters(rest.slice(question + 1))}`;
  return `${scheme}${maskedUserinfo}${rest}${fragment === null ? '' : `#${redactParameters(fragment)}`}`;
}

/** Every URL inside a string with its secrets replaced by *** (the rest stays as written). */
export function redactUrlSecrets(text: string): string {
  if (!text.includes('://')) return text;
  const starts = [...text.matchAll(urlStart)].map((match) => match.index);
  if (starts.length === 0) return text;
  let out = text.slice(0, starts[0]);
  starts.forEach((start, index) => {
    const end = index + 1 < starts.length ? starts[index + 1] : text.length;
    const segment = text.slice(start, end);
    const space = segment.search(/\s/);
    out += space < 0 ? redactOneUrl(segment) : redactOneUrl(segment.slice(0, space)) + segment.slice(space);
  });
  return out;
}
