/**
 * The built-in entity types, by config key. Apart from the detectors so that validating a config
 * (pii-config.ts) does not load them, libphonenumber-js included.
 */
export const builtinEntities = [
  'email',
  'phone',
  'credit_card',
  'iban',
  'ssn',
  'ip_address',
  'aws_access_key',
  'aws_secret_key',
  'private_key',
  'jwt',
  'api_key',
  'generic_secret',
  'date_of_birth',
  'person_name',
  'street_address',
  'passport_number',
  'drivers_license',
  'national_id',
] as const;

export type BuiltinEntity = (typeof builtinEntities)[number];

/**
 * Detectors that, unless the config tunes them, check only what the client sends, not what the
 * model answers: names of people (heuristic, not NER; `npm run eval:pii`: held-out precision 0.94,
 * 4% of texts without personal data flagged) would cut every public figure out of answers ("[PERSON]
 * wrote Hamlet"). `entities: { person_name: { response: redact } }` scans answers too;
 * `person_name: false` turns it off.
 */
export const requestOnlyByDefault: ReadonlySet<BuiltinEntity> = new Set<BuiltinEntity>(['person_name']);
