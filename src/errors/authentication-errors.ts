import { GatewayError } from './gateway-error.ts';

/**
 * key-auth's refusals, in OpenAI's shapes (type/code) so every SDK reports them as it reports
 * OpenAI's own. Candidates for src/errors/catalogue.ts when the lead folds plugin errors in.
 */
export const keyAuthErrors = {
  missingKey(): GatewayError {
    return new GatewayError({
      status: 401,
      type: 'authentication_error',
      code: 'missing_api_key',
      message: 'You did not provide an API key. Send your Tollgate key as Authorization: Bearer tg-..., x-api-key or api-key.',
    });
  },
  invalidKey(reason: 'unknown' | 'expired' | 'disabled' | 'consumer_disabled'): GatewayError {
    const detail = {
      unknown: 'Incorrect API key provided.',
      expired: 'The API key has expired.',
      disabled: 'The API key is disabled.',
      consumer_disabled: 'The consumer this API key belongs to is disabled (the key itself is not).',
    }[reason];
    return new GatewayError({ status: 401, type: 'authentication_error', code: 'invalid_api_key', message: `${detail} Ask the gateway's operator for a valid key.` });
  },
  modelNotAllowed(model: string): GatewayError {
    return new GatewayError({ status: 403, type: 'permission_error', code: 'model_not_allowed', param: 'model', message: `This API key is not allowed to use the model '${model}'.` });
  },
  ipNotAllowed(): GatewayError {
    return new GatewayError({ status: 403, type: 'permission_error', code: 'ip_not_allowed', message: 'This API key may not be used from your IP address.' });
  },
};
