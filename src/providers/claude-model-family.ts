/**
 * Which generation a Claude model id belongs to, read from the id itself so every spelling of one
 * model is treated alike: Anthropic's (`claude-opus-4-7`, `claude-opus-4-1-20250805`,
 * `claude-3-7-sonnet-latest`), Bedrock's (`anthropic.claude-opus-4-7`,
 * `us.anthropic.claude-opus-4-8-v1:0`, an ARN naming one), Vertex's (`claude-opus-4-7@20260416`)
 * and dotted ones some catalogues use (`claude-opus-4.7`). Shared by every route to Claude
 * (Anthropic's API, Vertex AI, Bedrock), so the same request is shaped the same way whichever
 * way it goes.
 */

/** A Claude model's name parts: `opus` 4.7 for `claude-opus-4-7`; `family` is null for ids that name none (`claude-2`). */
export interface ClaudeVersion {
  family: string | null;
  major: number | null;
  minor: number;
}

/**
 * How a model takes extended thinking:
 * - `adaptive-only`: Opus 4.7 and later 4.x, generation 5 and later, Mythos and Fable: only
 *   `thinking: {type: adaptive}` with `output_config.effort`; they refuse `budget_tokens` and the
 *   sampling parameters (temperature, top_p, top_k) at any value.
 * - `adaptive`: Opus 4.6 and Sonnet 4.6 take adaptive thinking (recommended; `budget_tokens` is
 *   deprecated there) and still take sampling parameters when thinking is off.
 * - `budget`: every older model (and any id this cannot read): `thinking: {type: enabled, budget_tokens}`.
 */
export type ClaudeThinkingStyle = 'adaptive-only' | 'adaptive' | 'budget';

/** Families that arrived with adaptive-only thinking, whatever their version says (`claude-mythos-preview`). */
const adaptiveOnlyFamilies = new Set(['mythos', 'fable']);

/** A version number in an id: one or two digits (eight-digit tokens are release dates, not versions). */
const versionToken = /^\d{1,2}$/;

/** The name parts of a Claude model id, or null when it names no Claude model. */
export function claudeVersionOf(model: string): ClaudeVersion | null {
  const lower = model.toLowerCase();
  const at = lower.lastIndexOf('claude-');
  if (at === -1) return null;
  const tokens = lower.slice(at + 'claude-'.length).split(/[-._@:/]/);
  let family: string | null = null;
  let major: number | null = null;
  let minor = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (major === null && versionToken.test(token)) {
      major = Number(token);
      const next = tokens[index + 1];
      if (next !== undefined && versionToken.test(next)) {
        minor = Number(next);
        index++;
      }
    } else if (family === null && /^[a-z]+$/.test(token) && token !== 'v' && token !== 'latest') {
      family = token;
    }
  }
  return { family, major, minor };
}

/** How the model takes thinking (see ClaudeThinkingStyle); `budget` for ids this cannot place. */
export function claudeThinkingStyle(model: string): ClaudeThinkingStyle {
  const version = claudeVersionOf(model);
  if (version === null) return 'budget';
  if (version.family !== null && adaptiveOnlyFamilies.has(version.family)) return 'adaptive-only';
  if (version.major === null) return 'budget';
  if (version.major >= 5 || (version.major === 4 && version.minor >= 7)) return 'adaptive-only';
  if (version.major === 4 && version.minor === 6) return 'adaptive';
  return 'budget';
}

/** True for models that refuse temperature, top_p and top_k outright (Opus 4.7 and later). */
export function claudeRejectsSampling(model: string): boolean {
  return claudeThinkingStyle(model) === 'adaptive-only';
}

/**
 * True for models that take temperature or top_p but refuse the two together ("`temperature` and
 * `top_p` cannot both be specified for this model. Please use only one."): every Claude from
 * Opus 4.1 to the 4.6 models (Opus 4.1, Sonnet 4.5, Haiku 4.5, Opus 4.5, Opus 4.6, Sonnet 4.6).
 * Anthropic's "Migrating to Claude 4.5" says it for Sonnet and Haiku 4.5 ("Use only temperature OR
 * top_p, not both"); users of Anthropic's API and Bedrock report the same 400 from the others.
 * Opus 4 and Sonnet 4 (4.0) and Claude 3 take both; Opus 4.7 and later take neither
 * (claudeRejectsSampling).
 */
export function claudeRefusesTemperatureWithTopP(model: string): boolean {
  const version = claudeVersionOf(model);
  if (version === null || version.major !== 4 || version.minor < 1) return false;
  return claudeThinkingStyle(model) !== 'adaptive-only';
}

/** True for models that take `output_config.effort: 'xhigh'` (Opus 4.6 and Sonnet 4.6 stop at high, then max). */
export function claudeTakesExtraHighEffort(model: string): boolean {
  return claudeThinkingStyle(model) === 'adaptive-only';
}
