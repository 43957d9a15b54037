import { z } from 'zod';
import { durationSchema } from '../../config/schema.ts';

export const jwtAlgorithms = ['HS256', 'RS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof jwtAlgorithms)[number];

const claimPath = z.string().min(1).describe('A claim name, or a dotted path into nested claims (e.g. "org.team").');

export const jwtClaimsSchema = z
  .object({
    consumer: claimPath.default('sub').describe('The claim whose value names the consumer (ctx.caller.consumer).'),
    team: claimPath.optional().describe('The claim whose value names the team (ctx.caller.team); a stored consumer\'s own team applies when the token has none.'),
    tier: claimPath.optional().describe('The claim copied to ctx.caller.metadata.tier (routes and limits may match on it).'),
    metadata: z.record(z.string(), claimPath).default({}).describe('More claims copied to ctx.caller.metadata, as {metadata name: claim}.'),
  })
  .strict();

export const jwtConfigSchema = z
  .object({
    secret: z.string().optional().describe('HS256: the shared secret (usually "${JWT_SECRET}"; at least 32 bytes).'),
    public_key: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .optional()
      .describe('RS256/ES256: the public key as PEM ("-----BEGIN PUBLIC KEY-----"), or as a JWK (an object or its JSON text).'),
    jwks_url: z.url().optional().describe('RS256/ES256: a JWKS endpoint (e.g. https://issuer/.well-known/jwks.json); keys are chosen by the token\'s kid.'),
    algorithms: z.array(z.enum(jwtAlgorithms)).min(1).optional().describe('Accepted algorithms; default: HS256 for a secret, the key\'s own for a public key, RS256 and ES256 for a JWKS.'),
    issuer: z.union([z.string(), z.array(z.string()).min(1)]).optional().describe('Required iss (one value or a list).'),
    audience: z.union([z.string(), z.array(z.string()).min(1)]).optional().describe('Required aud (one value or a list; the token must name one of them).'),
    clock_tolerance: durationSchema.default('30s').describe('Leeway for exp and nbf, for clocks that disagree a little.'),
    require_exp: z.boolean().default(true).describe('Refuse a token without an expiry (exp): one would be valid for ever. false accepts them (tokens your issuer cannot date).'),
    header: z.string().min(1).optional().describe('Another header to read the token from (e.g. x-jwt-assertion), before Authorization: Bearer; "Bearer " in it is optional.'),
    claims: jwtClaimsSchema.default(jwtClaimsSchema.parse({})).describe('Which claims name the consumer, team, tier and metadata.'),
    auto_create: z.boolean().default(false).describe('Create a consumer in the store the first time a token names one; otherwise it must exist (with no store open, any name is accepted).'),
    jwks_refresh_interval: durationSchema.default('10m').describe('How often the JWKS is fetched again in the background.'),
    jwks_min_refetch_interval: durationSchema.default('30s').describe('Least time between two fetches caused by unknown kids, so a flood of bad tokens cannot hammer the JWKS endpoint.'),
    jwks_timeout: durationSchema.default('5s').describe('Time limit of one JWKS fetch.'),
  })
  .strict()
  .superRefine((config, context) => {
    const sources = [config.secret !== undefined, config.public_key !== undefined, config.jwks_url !== undefined].filter(Boolean).length;
    if (sources !== 1) context.addIssue({ code: 'custom', message: 'set exactly one of secret (HS256), public_key (RS256/ES256) or jwks_url', path: [] });
    if (config.secret === '') context.addIssue({ code: 'custom', message: 'the secret is empty (an unset variable?)', path: ['secret'] });
    if (config.secret !== undefined && config.algorithms?.some((algorithm) => algorithm !== 'HS256')) context.addIssue({ code: 'custom', message: 'a secret verifies only HS256', path: ['algorithms'] });
    if (config.secret === undefined && config.algorithms?.includes('HS256')) context.addIssue({ code: 'custom', message: 'HS256 needs a secret; public keys and JWKS verify RS256 and ES256', path: ['algorithms'] });
  });

export type JwtConfig = z.infer<typeof jwtConfigSchema>;
export type JwtClaimsConfig = z.infer<typeof jwtClaimsSchema>;
