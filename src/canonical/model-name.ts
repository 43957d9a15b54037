import { errors } from '../errors/catalogue.ts';

/** The longest model name the gateway takes (with its provider prefix): provider ids, Azure deployments and Bedrock ARNs are far shorter. */
export const maxModelNameLength = 256;

/**
 * Refuses a model name no provider can have, before anything is routed or called: longer than
 * maxModelNameLength (it is repeated in response headers, the ledger and the access log: a
 * 17 KB name made an answer the SDKs cannot read, so they retried a billed call), or not
 * well-formed Unicode (a lone surrogate cannot go into a URL, a header or a log line: it failed
 * after the provider had been called and billed). The caller has checked it is a non-empty string.
 */
export function checkModelName(model: string, param = 'model'): void {
  if (model.length > maxModelNameLength) throw errors.invalidField(param, `a model name of at most ${maxModelNameLength} characters`);
  if (!model.isWellFormed()) throw errors.invalidField(param, 'a model name of well-formed Unicode (no lone surrogate)');
}
