/**
 * Anthropic's beta features for Claude on Bedrock. Anthropic's API takes them as the
 * `anthropic-beta` header (the Anthropic SDKs' `betas`); Bedrock takes them in Claude's request
 * body as `anthropic_beta: [..]`, which Converse passes through `additionalModelRequestFields`,
 * and refuses a name it does not know ("invalid beta flag"). Clients such as Claude Code send
 * betas only Anthropic's own API has, so a client's betas are filtered to those AWS documents for
 * Claude on Bedrock; the operator's own (`headers: {anthropic-beta: ...}` on the provider) go as
 * configured, for a feature newer than this list.
 */

/** The beta names AWS documents for Claude on Bedrock (the Claude Messages request reference and its feature pages). */
const bedrockBetas: ReadonlySet<string> = new Set([
  'computer-use-2024-10-22',
  'computer-use-2025-01-24',
  'computer-use-2025-11-24',
  'token-efficient-tools-2025-02-19',
  'output-128k-2025-02-19',
  'interleaved-thinking-2025-05-14',
  'dev-full-thinking-2025-05-14',
  'context-management-2025-06-27',
  'context-1m-2025-08-07',
  'tool-search-tool-2025-10-19',
  'tool-examples-2025-10-29',
  'effort-2025-11-24',
]);

/** The names in `anthropic-beta` header values (comma-separated, possibly repeated). */
function betaNames(value: string | string[] | undefined): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.flatMap((item) => (item ?? '').split(',')).map((name) => name.trim()).filter((name) => name !== '');
}

/**
 * The `anthropic_beta` list for one call: the configured betas, then the client's that Bedrock
 * takes, each once; `left` names the client's betas left out (for the log).
 */
export function bedrockAnthropicBetas(configured: string | undefined, fromClient: string | string[] | undefined): { betas: string[]; left: string[] } {
  const betas = new Set(betaNames(configured));
  const left: string[] = [];
  for (const name of betaNames(fromClient)) {
    if (bedrockBetas.has(name)) betas.add(name);
    else if (!betas.has(name)) left.push(name);
  }
  return { betas: [...betas], left };
}
