import { errors } from '../errors/catalogue.ts';

/** The longest model name the gateway takes (with its provider prefix): provider ids, Azure deployments and Bedrock ARNs are far shorter. */
export const maxModelNameLength = 256;

/** How many rounds of percent-decoding are undone when looking for a dot-segment (`%252e` is `%2e` once decoded). */
const decodeRounds = 3;

function decoded(text: string): string {
  let current = text;
  for (let round = 0; round < decodeRounds && current.includes('%'); round++) {
    try {
      const next = decodeURIComponent(current);
      if (next === current) break;
      current = next;
    } catch {
      break;
    }
  }
  return current;
}

/**
 * Whether a path segment is `.` or `..`, also spelled with percent-escapes (`%2e%2e`, `.%2E`):
 * URL parsers (WHATWG's, and the servers behind providers) resolve such a segment away, so a
 * model name that is one would name another path on the provider's host.
 */
export function isDotSegment(segment: string): boolean {
  if (segment === '.' || segment === '..') return true;
  const plain = decoded(segment);
  return plain === '.' || plain === '..';
}

/**
 * Whether any part of a model name is a dot-segment: the name itself, the model after any
 * provider prefix (`az/..`, `bed/.`), any `/`- or `\`-separated part, also once percent-decoded
 * (`az/%2e%2e`, `bed/x%2F..`). No provider has such a model.
 */
export function hasDotSegment(model: string): boolean {
  if (!model.includes('.') && !model.includes('%')) return false;
  for (const part of model.split(/[/\\]/)) if (isDotSegment(part)) return true;
  return decoded(model).split(/[/\\]/).some((part) => part === '.' || part === '..');
}

/**
 * Refuses a model name no provider can have, before anything is routed or called: longer than
 * maxModelNameLength (it is repeated in response headers, the ledger and the access log: a
 * 17 KB name made an answer the SDKs cannot read, so they retried a billed call), not
 * well-formed Unicode (a lone surrogate cannot go into a URL, a header or a log line: it failed
 * after the provider had been called and billed), or one with a dot-segment (`az/..`: Azure and
 * Bedrock put the model in the URL's path, where `..` was resolved away and the call, with the
 * gateway's credential, went to another path). The caller has checked it is a non-empty string.
 */
export function checkModelName(model: string, param = 'model'): void {
  if (model.length > maxModelNameLength) throw errors.invalidField(param, `a model name of at most ${maxModelNameLength} characters`);
  if (!model.isWellFormed()) throw errors.invalidField(param, 'a model name of well-formed Unicode (no lone surrogate)');
  if (hasDotSegment(model)) throw errors.invalidField(param, "a model name none of whose parts is '.' or '..' (also percent-encoded)");
}

/**
 * A model (an Azure deployment, a Bedrock model id) as one percent-encoded path segment of a
 * provider's URL. `.` and `..` survive any encoding (`%2e%2e` is a dot-segment to URL parsers
 * too), so they are refused with the same 400 as checkModelName's: a name that reached a provider
 * another way (a route's or alias's target) still cannot walk the provider's URL.
 */
export function modelPathSegment(model: string): string {
  if (isDotSegment(model)) throw errors.invalidField('model', "a model name that is not '.' or '..' (also percent-encoded)");
  return encodeURIComponent(model);
}
