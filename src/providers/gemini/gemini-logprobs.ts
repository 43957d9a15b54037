import type { GeminiLogprobsCandidate, GeminiLogprobsResult } from './gemini-api.ts';

/** One token as OpenAI reports it: the text, its log probability, its UTF-8 bytes. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
}

/** OpenAI's `choices[].logprobs`: each token of the content with its most likely alternatives. */
export interface ChoiceLogprobs {
  content: Array<TokenLogprob & { top_logprobs: TokenLogprob[] }>;
  refusal: null;
}

function tokenOf(candidate: GeminiLogprobsCandidate): TokenLogprob {
  const token = candidate.token ?? '';
  // Proto JSON leaves out a zero: a token Gemini was sure of has no logProbability.
  return { token, logprob: candidate.logProbability ?? 0, bytes: [...Buffer.from(token, 'utf8')] };
}

/**
 * Gemini's logprobsResult (asked for with generationConfig.responseLogprobs, and `logprobs` top
 * tokens a step) as OpenAI's logprobs: `chosenCandidates[i]` is the i-th token, `topCandidates[i]`
 * its alternatives (none when the client set no top_logprobs). Null when Gemini sent none.
 */
export function mapGeminiLogprobs(result: GeminiLogprobsResult | undefined): ChoiceLogprobs | null {
  if (result === undefined) return null;
  const top = result.topCandidates ?? [];
  const content = (result.chosenCandidates ?? []).map((chosen, step) => ({ ...tokenOf(chosen), top_logprobs: (top[step]?.candidates ?? []).map(tokenOf) }));
  return { content, refusal: null };
}
