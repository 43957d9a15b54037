import { z } from 'zod';
import { linearRegExpProblem } from '../../config/linear-regexp.ts';

const limitsShape = {
  max_prompt_tokens: z.number().int().positive().optional().describe('Most prompt tokens (the gateway’s estimate, src/usage/estimate-tokens.ts) a request may have.'),
  max_messages: z.number().int().positive().optional().describe('Most messages a chat request may have.'),
  max_characters: z.number().int().positive().optional().describe('Most characters (Unicode code points) of prompt text a request may have.'),
};

const modelsShape = {
  allowed_models: z.array(z.string().min(1)).optional().describe('Model names the caller may request (globs with * and ?); the name as the client sent it (an alias such as `smart`, or `provider/model`).'),
  denied_models: z.array(z.string().min(1)).optional().describe('Model names the caller may not request (globs); a deny wins over an allow.'),
};

/** Rules that a tier or a consumer may override, field by field. */
export const ruleOverridesSchema = z.object({ ...limitsShape, ...modelsShape }).strict();

const requiredMetadataSchema = z
  .union([
    z.string().min(1).describe('Shorthand for {metadata: NAME}.'),
    z
      .object({
        metadata: z.string().min(1).optional().describe('A key of the request body’s `metadata` object that must hold a non-empty string.'),
        header: z.string().min(1).optional().describe('A request header that must be present and non-empty (when both are set, either one satisfies the rule).'),
        pattern: z.string().min(1).optional().describe('A regular expression (ECMA-262 syntax, run in linear time by RE2: no lookahead or backreferences) the whole value must match.'),
      })
      .strict()
      .refine((entry) => entry.metadata !== undefined || entry.header !== undefined, 'set metadata, header or both'),
  ])
  .describe('A piece of request metadata every request must carry.');

export const contentRulesConfigSchema = z
  .object({
    ...limitsShape,
    ...modelsShape,
    blocked_terms: z.array(z.string().min(1)).default([]).describe('Words or phrases no prompt may contain: whole words, case-insensitive, after Unicode normalization (NFKD, accents and zero-width characters removed, dashes and spaces folded, look-alike letters read as Latin); a term’s words match with any separators, markup or none between them (`project-falcon`, `project **falcon**`, `projectfalcon`). Searched in messages (text parts read as one text), names, refusals, reasoning, tool-call arguments, text files, tool definitions and response format schemas.'),
    blocked_terms_roles: z.enum(['all', 'user']).default('all').describe('Which messages blocked terms are looked for in: every message, or only user messages.'),
    tiers: z.record(z.string(), ruleOverridesSchema).default({}).describe('Rules per consumer tier (ctx.caller.metadata.tier, set by key-auth from the key or consumer); they override the top-level ones.'),
    default_tier: z.string().optional().describe('The tier of callers that have none (anonymous callers, keys without a tier).'),
    consumers: z.record(z.string(), ruleOverridesSchema).default({}).describe('Rules per consumer name; they override the tier’s and the top-level ones.'),
    required_metadata: z.array(requiredMetadataSchema).default([]).describe('Metadata every request must carry (body `metadata` keys or headers).'),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.default_tier !== undefined && !Object.hasOwn(config.tiers, config.default_tier)) context.addIssue({ code: 'custom', path: ['default_tier'], message: `no tier named ${JSON.stringify(config.default_tier)} in tiers` });
    config.required_metadata.forEach((entry, index) => {
      // The value is the client's: the pattern must run in linear time (RE2), checked here so a load refuses it.
      const problem = typeof entry === 'object' && entry.pattern !== undefined ? linearRegExpProblem(entry.pattern) : null;
      if (problem !== null) context.addIssue({ code: 'custom', path: ['required_metadata', index, 'pattern'], message: problem });
    });
  });

export type ContentRulesConfig = z.infer<typeof contentRulesConfigSchema>;
export type RuleOverrides = z.infer<typeof ruleOverridesSchema>;
