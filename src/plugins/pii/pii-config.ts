import { createRequire } from 'node:module';
import type { isSupportedCountry as IsSupportedCountry } from 'libphonenumber-js/min';
import { z } from 'zod';
import { customPatternProblem } from './custom-pattern.ts';
import { builtinEntities, requestOnlyByDefault, type BuiltinEntity } from './detectors/builtin-entities.ts';

export const actionSchema = z
  .enum(['block', 'redact', 'mask', 'log-only', 'off'])
  .describe('block: reject with 400 pii_detected; redact: replace with [TYPE]; mask: replace with <TYPE_n> and restore the original in the answer; log-only: log types and counts; off: ignore.');

export type PiiAction = z.infer<typeof actionSchema>;

const actionOverrides = {
  action: actionSchema.optional().describe('This entity’s action in both directions (overrides request/response defaults).'),
  request: actionSchema.optional().describe('This entity’s action on the request (overrides `action`).'),
  response: actionSchema.optional().describe('This entity’s action on the response (overrides `action`).'),
};

const countryShape = /^[A-Z]{2}$/;
let supportedCountry: typeof IsSupportedCountry | undefined;
/**
 * True when the phone detector's metadata (libphonenumber-js) has the country. Asked of its small
 * metadata, only when a config lists countries: the full one loads with the first phone-shaped text.
 */
function knownPhoneCountry(code: string): boolean {
  supportedCountry ??= (createRequire(import.meta.url)('libphonenumber-js/min') as { isSupportedCountry: typeof IsSupportedCountry }).isSupportedCountry;
  return supportedCountry(code);
}

const entityTuning = z.union([z.boolean(), z.object(actionOverrides).strict()]).describe('false turns the detector off; an object tunes its actions.');
const phoneTuning = z
  .union([
    z.boolean(),
    z
      .object({
        ...actionOverrides,
        countries: z
          .array(
            z
              .string()
              .regex(countryShape, 'expected an ISO 3166 alpha-2 country code such as US')
              // A code of the right shape that names no country ("XX") would silently recognise nothing.
              .refine((code) => !countryShape.test(code) || knownPhoneCountry(code), { error: (issue) => `'${String(issue.input)}' is not a country code the phone detector knows (ISO 3166 alpha-2, such as US or GB)` }),
          )
          .min(1)
          .optional()
          .describe('Countries whose national number format is recognised (international +numbers always are). Default [US].'),
      })
      .strict(),
  ])
  .describe('false turns phone detection off; an object tunes it.');

const entitiesShape = Object.fromEntries(builtinEntities.map((entity) => [entity, (entity === 'phone' ? phoneTuning : entityTuning).optional()])) as Record<
  BuiltinEntity,
  z.ZodOptional<typeof entityTuning>
>;

function compile(pattern: string, flags = ''): RegExp | null {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}

const customSchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an upper-case name such as EMPLOYEE_ID').describe('Entity type name, used in [NAME] and <NAME_1>.'),
    pattern: z
      .string()
      .min(1)
      .refine((pattern) => compile(pattern) !== null, 'not a valid JavaScript regular expression')
      .describe('JavaScript regular expression that needs at least one character, run in linear time by RE2 (no lookahead or backreferences); the whole match is the value.'),
    flags: z.string().regex(/^[imsu]*$/, 'allowed flags: i, m, s, u').optional().describe('Regex flags (i, m, s, u).'),
    ...actionOverrides,
  })
  .strict()
  .superRefine((custom, ctx) => {
    if (compile(custom.pattern) === null) return;
    const pattern = compile(custom.pattern, custom.flags);
    // `\-` is a valid pattern, but not with the u flag.
    if (pattern === null) ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid JavaScript regular expression with flags '${custom.flags}'` });
    // Empty matches are skipped, so `x*` finds only what `x+` would: almost surely a mistake in the config.
    else if (pattern.test('')) ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'matches the empty string: write a pattern that needs at least one character (x+, not x*)' });
    else {
      // Matched against what clients send: it must run in linear time (RE2), checked here so a load refuses it.
      const problem = customPatternProblem(custom.pattern, custom.flags);
      if (problem !== null) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
    }
  });

export const piiConfigSchema = z
  .object({
    request: actionSchema.default('redact').describe('Default action for what the client sends (messages, tool calls, tool results).'),
    response: actionSchema.default('off').describe('Default action for what the model answers (text and tool call arguments).'),
    entities: z
      .object(entitiesShape)
      .strict()
      .default({})
      .describe('Per-entity tuning; every built-in detector not set to false stays on (person_name on requests only, unless its response action is set).'),
    custom: z.array(customSchema).default([]).describe('Extra detectors from regular expressions.'),
  })
  .strict();

export type PiiConfig = z.infer<typeof piiConfigSchema>;
export type Direction = 'request' | 'response';

/** The config resolved once at load: which detectors run and what each entity does per direction. */
export interface PiiPolicy {
  enabled: BuiltinEntity[];
  phoneCountries: string[];
  custom: Array<{ name: string; pattern: string; flags?: string }>;
  /** Action per entity key (built-in key or custom name) and direction. */
  actions: Map<string, Record<Direction, PiiAction>>;
}

export function resolvePolicy(config: PiiConfig): PiiPolicy {
  const actions = new Map<string, Record<Direction, PiiAction>>();
  const enabled: BuiltinEntity[] = [];
  let phoneCountries = ['US'];
  const pick = (tuning: { action?: PiiAction; request?: PiiAction; response?: PiiAction } | undefined): Record<Direction, PiiAction> => ({
    request: tuning?.request ?? tuning?.action ?? config.request,
    response: tuning?.response ?? tuning?.action ?? config.response,
  });
  for (const entity of builtinEntities) {
    const tuning = config.entities[entity];
    if (tuning === false) continue;
    const object = typeof tuning === 'object' ? tuning : undefined;
    const perDirection = pick(object);
    if (requestOnlyByDefault.has(entity) && object?.response === undefined && object?.action === undefined) perDirection.response = 'off';
    if (perDirection.request === 'off' && perDirection.response === 'off') continue;
    enabled.push(entity);
    actions.set(entity, perDirection);
    if (entity === 'phone' && object && 'countries' in object && Array.isArray(object.countries)) phoneCountries = object.countries as string[];
  }
  for (const custom of config.custom) actions.set(custom.name, pick(custom));
  return { enabled, phoneCountries, custom: config.custom, actions };
}
