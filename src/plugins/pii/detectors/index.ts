import type { BuiltinEntity } from './builtin-entities.ts';
import type { Detector } from './detector.ts';
import { customDetector, type CustomPattern } from './custom.ts';
import { dateOfBirthDetector } from './date-of-birth.ts';
import { driversLicenseDetector } from './drivers-license.ts';
import { emailDetector } from './email.ts';
import { ibanDetector } from './iban.ts';
import { ipAddressDetector } from './ip-address.ts';
import { nationalIdDetector } from './national-id.ts';
import { passportNumberDetector } from './passport-number.ts';
import { paymentCardDetector } from './payment-card.ts';
import { personNameDetector } from './person-name.ts';
import { phoneDetector, type PhoneOptions } from './phone.ts';
import { awsAccessKeyDetector, awsSecretKeyDetector, apiKeyDetector, genericSecretDetector, jwtDetector, privateKeyDetector } from './secrets.ts';
import { ssnDetector } from './ssn.ts';
import { streetAddressDetector } from './street-address.ts';

export interface DetectorOptions {
  phone: PhoneOptions;
}

const makers: Record<BuiltinEntity, (options: DetectorOptions) => Detector> = {
  email: emailDetector,
  phone: (options) => phoneDetector(options.phone),
  credit_card: paymentCardDetector,
  iban: ibanDetector,
  ssn: ssnDetector,
  ip_address: ipAddressDetector,
  aws_access_key: awsAccessKeyDetector,
  aws_secret_key: awsSecretKeyDetector,
  private_key: privateKeyDetector,
  jwt: jwtDetector,
  api_key: apiKeyDetector,
  generic_secret: genericSecretDetector,
  date_of_birth: dateOfBirthDetector,
  person_name: personNameDetector,
  street_address: streetAddressDetector,
  passport_number: passportNumberDetector,
  drivers_license: driversLicenseDetector,
  national_id: nationalIdDetector,
};

/** Detectors for the enabled built-in entities plus the config's custom patterns. */
export function buildDetectors(enabled: readonly BuiltinEntity[], options: DetectorOptions, custom: readonly CustomPattern[]): Detector[] {
  return [...enabled.map((entity) => makers[entity](options)), ...custom.map(customDetector)];
}

export type { Detector, Detection } from './detector.ts';
