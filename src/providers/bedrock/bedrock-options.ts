import { z } from 'zod';
import { ConfigError, formatIssues } from '../../config/format-issues.ts';
import type { BedrockGuardrailConfig } from './bedrock-api.ts';
import type { CohereInputType } from '../cohere-input-type.ts';

/** `options:` of a bedrock provider entry (zero-config fills them from AWS's usual variables). */
export const bedrockOptionsSchema = z
  .object({
    region: z.string().min(1).optional().describe('AWS region of the Bedrock endpoint and of the SigV4 signature (AWS_REGION).'),
    default_region: z.string().min(1).optional().describe('Region used when `region` is not set (AWS_DEFAULT_REGION).'),
    access_key_id: z.string().min(1).optional().describe('AWS access key id for SigV4 signing (AWS_ACCESS_KEY_ID).'),
    secret_access_key: z.string().min(1).optional().describe('AWS secret access key for SigV4 signing (AWS_SECRET_ACCESS_KEY). Never logged.'),
    session_token: z.string().min(1).optional().describe('Temporary credentials: the session token sent as x-amz-security-token (AWS_SESSION_TOKEN).'),
    guardrail: z
      .object({
        identifier: z.string().min(1).describe('The guardrail id or ARN.'),
        version: z.string().min(1).describe('The guardrail version ("1", "DRAFT", ...).'),
        trace: z.enum(['enabled', 'disabled']).optional().describe('Ask for the guardrail trace (not passed on to clients).'),
      })
      .strict()
      .optional()
      .describe('A Bedrock guardrail applied to every chat call (Converse guardrailConfig); an intervention reads as finish_reason content_filter.'),
    embedding_input_type: z
      .enum(['search_document', 'search_query', 'classification', 'clustering'])
      .default('search_document')
      .describe("Cohere Embed's input_type for embeddings when the client sends none (its own `input_type` field wins): what the vectors are for (default search_document)."),
  })
  .strict();

/** An access key pair (and session token) that signs requests with SigV4. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface BedrockOptions {
  /** The region, or undefined when none is configured (then only a base_url endpoint works). */
  region: string | undefined;
  /** SigV4 credentials, or undefined (a Bedrock API key or the client's own key is then needed). */
  credentials: AwsCredentials | undefined;
  /** Converse's guardrailConfig, sent with every chat call; undefined without one. */
  guardrail: BedrockGuardrailConfig | undefined;
  /** Cohere Embed's input_type when the client sends none. */
  embeddingInputType: CohereInputType;
}

/** The settings a `${VARIABLE}` that is not set leaves empty: absent, as an empty `api_key` is. */
const emptyMeansUnset = ['region', 'default_region', 'access_key_id', 'secret_access_key', 'session_token'];

function withoutEmptySettings(options: Record<string, unknown>): Record<string, unknown> {
  if (!emptyMeansUnset.some((name) => options[name] === '')) return options;
  return Object.fromEntries(Object.entries(options).filter(([name, value]) => !(value === '' && emptyMeansUnset.includes(name))));
}

/**
 * Validates a bedrock entry's options once, at config load. An empty setting is an unset one (the
 * provider then has no credential, as with an empty api_key). Half a key pair (an id without its
 * secret, or the reverse) is a ConfigError: it can never sign, and silently falling back to
 * another credential would hide the mistake.
 */
export function parseBedrockOptions(providerName: string, options: Record<string, unknown>): BedrockOptions {
  const parsed = bedrockOptionsSchema.safeParse(withoutEmptySettings(options));
  if (!parsed.success) throw new ConfigError(`provider '${providerName}'`, formatIssues(parsed.error.issues, ['providers', providerName, 'options']));
  const { region, default_region: defaultRegion, access_key_id: accessKeyId, secret_access_key: secretAccessKey, session_token: sessionToken, embedding_input_type: embeddingInputType, guardrail } = parsed.data;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? 'access_key_id (AWS_ACCESS_KEY_ID)' : 'secret_access_key (AWS_SECRET_ACCESS_KEY)';
    throw new ConfigError(`provider '${providerName}'`, [`providers.${providerName}.options.${missing.split(' ')[0]}: required with the other half of the AWS key pair (set ${missing})`]);
  }
  const credentials = accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;
  const guardrailConfig = guardrail ? { guardrailIdentifier: guardrail.identifier, guardrailVersion: guardrail.version, ...(guardrail.trace ? { trace: guardrail.trace } : {}) } : undefined;
  return { region: region ?? defaultRegion, credentials, guardrail: guardrailConfig, embeddingInputType };
}
