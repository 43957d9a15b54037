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
] as const;

export type BuiltinEntity = (typeof builtinEntities)[number];
