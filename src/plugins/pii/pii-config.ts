import { z } from 'zod';
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

const entityTuning = z.union([z.boolean(), z.object(actionOverrides).strict()]).describe('false turns the detector off; an object tunes its actions.');
const phoneTuning = z
  .union([
    z.boolean(),
    z
      .object({
        ...actionOverrides,
        countries: z
          .array(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 country code such as US'))
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

function validRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const customSchema = z
  .object({
    name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an upper-case name such as EMPLOYEE_ID').describe('Entity type name, used in [NAME] and <NAME_1>.'),
    pattern: z.string().min(1).refine(validRegex, 'not a valid JavaScript regular expression').describe('JavaScript regular expression; the whole match is the value.'),
    flags: z.string().regex(/^[imsu]*$/, 'allowed flags: i, m, s, u').optional().describe('Regex flags (i, m, s, u).'),
    ...actionOverrides,
  })
  .strict();

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
