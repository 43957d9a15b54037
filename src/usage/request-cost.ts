import type { Usage } from '../canonical/chat.ts';
import { isForwardedOperation, type ForwardedOperation } from '../canonical/forwarded.ts';
import type { CanonicalRequest, CanonicalResponse, Operation } from '../canonical/operation.ts';
import { costOfUsage, costOfTokens, roundUsd, type RequestCost } from './compute-cost.ts';
import { estimateForwardedUsage } from './estimate-forwarded-usage.ts';
import { estimatePromptTokens, estimateResponseTokens } from './estimate-request-tokens.ts';
import type { FailedAttemptUsage } from './failed-attempt-usage.ts';
import type { PriceCatalog } from './price-catalog.ts';
import { reportedCost } from './reported-cost.ts';

/** What pricing needs to know about a finished request (a RequestContext satisfies it). */
export interface PricedRequest {
  operation: Operation;
  body: CanonicalRequest;
  usage: Usage | null;
  target: { model: string; provider: { settings: { name: string; type: string } } } | null;
  /** What failed attempts' providers reported before they were cut: billed, so counted in the request's cost. */
  failedAttemptUsage?: readonly FailedAttemptUsage[];
  /** The body as the client sent it: a forwarded upload's form, which an answer without usage is estimated from. */
  rawBody?: Buffer;
}

/**
 * A request's cost: the cost the provider reported in its usage when its type reports one
 * (reported-cost.ts: OpenRouter, Perplexity), else from the provider-reported usage priced by the
 * catalogue (at the prices of the processing tier the answer names in `service_tier`, read from
 * the usage or the response), else from an estimate of the prompt and of the response (a complete
 * response, or the output tokens a cut stream sent), flagged estimated and with the token counts
 * it used. Plus what failed attempts' providers reported before they were cut
 * (`failedAttemptUsage`), each at its own target's price, which flags the cost estimated (`tokens`
 * stays the serving attempt's estimate). Rounded to 10 decimals, as `x-tollgate-cost-usd` shows
 * it, so the header, the ledger and budgets hold the same number.
 * Null when no provider served it, or it reported no cost and its model has no price.
 */
export function requestCost(catalog: PriceCatalog, request: PricedRequest, usage: Usage | null = request.usage, response?: CanonicalResponse, streamedOutputTokens = 0): RequestCost | null {
  const own = attemptCost(catalog, request, usage, response, streamedOutputTokens);
  if (request.failedAttemptUsage === undefined || request.failedAttemptUsage.length === 0) return own;
  const failed = failedAttemptsCost(catalog, request);
  if (failed === null) return own;
  if (own === null) return failed;
  return { ...own, usd: roundUsd(own.usd + failed.usd), estimated: true };
}

/** The cost of what failed attempts' providers reported before they were cut (PricedRequest.failedAttemptUsage), flagged estimated; null when none of it is priced. */
export function failedAttemptsCost(catalog: PriceCatalog, request: PricedRequest): RequestCost | null {
  let usd = 0;
  let priced = false;
  for (const attempt of request.failedAttemptUsage ?? []) {
    const cost = attemptCost(catalog, { operation: request.operation, body: request.body, usage: attempt.usage, target: attempt.target }, attempt.usage, undefined, 0);
    if (cost === null) continue;
    usd += cost.usd;
    priced = true;
  }
  return priced ? { usd: roundUsd(usd), estimated: true } : null;
}

/** One attempt's cost (requestCost without the failed attempts). */
function attemptCost(catalog: PriceCatalog, request: PricedRequest, usage: Usage | null, response: CanonicalResponse | undefined, streamedOutputTokens: number): RequestCost | null {
  if (!request.target) return null;
  if (usage) {
    const reported = reportedCost(request.target.provider.settings.type, usage);
    if (reported !== undefined) return { usd: roundUsd(reported), estimated: false };
  }
  const price = catalog.lookup(request.target.provider.settings, request.target.model);
  if (!price) return null;
  if (usage) {
    const serviceTier = usage.service_tier ?? (response as { service_tier?: unknown } | undefined)?.service_tier;
    return { usd: roundUsd(costOfUsage(price, usage, serviceTier)), estimated: usage.estimated === true };
  }
  const estimate = estimatedTokens(request, response, streamedOutputTokens) ?? noTokens;
  return { usd: roundUsd(costOfTokens(price, estimate.input, estimate.output, estimate.imageInput)), estimated: true, tokens: { input: estimate.input + estimate.imageInput, output: estimate.output } };
}

/** What a request without usage is estimated at: text input, image input (priced apart) and output tokens. */
export interface EstimatedTokens {
  input: number;
  imageInput: number;
  output: number;
}

const noTokens: EstimatedTokens = { input: 0, imageInput: 0, output: 0 };

/**
 * The tokens of an attempt whose provider reported no usage, as the gateway estimates them: the
 * prompt's estimate and, for a complete `response`, the estimate of its answer, else the output
 * tokens a cut stream sent (`streamedOutputTokens`). A forwarded answer (non-streamed speech, a
 * `text`, `srt` or `vtt` transcript, an answer whose usage the gateway does not read) is
 * estimated as before the call (estimate-forwarded-usage.ts): the provider bills it all the same,
 * and a budget must not give back what the call reserved because the client picked a format
 * without usage. Null when there is nothing to estimate (moderations, a forwarded request without
 * its body). The estimated cost is computed from these, and the usage ledger records them; for a
 * chat, completions or embeddings request of a model without a price too (at cost 0), so its rows
 * count what the limits counted.
 */
export function estimatedTokens(request: PricedRequest, response?: CanonicalResponse, streamedOutputTokens = 0): EstimatedTokens | null {
  if (isForwardedOperation(request.operation)) return forwardedEstimate(request.operation, request);
  const input = estimatePromptTokens(request.operation, request.body);
  return { input, imageInput: 0, output: response ? estimateResponseTokens(response) : streamedOutputTokens };
}

function forwardedEstimate(operation: ForwardedOperation, request: PricedRequest): EstimatedTokens | null {
  const estimate = request.rawBody === undefined ? null : estimateForwardedUsage(operation, request.body, request.rawBody);
  return estimate === null ? null : { input: estimate.inputTokens, imageInput: estimate.imageInputTokens, output: estimate.outputTokens };
}
