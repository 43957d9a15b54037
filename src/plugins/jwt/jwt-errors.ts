import { GatewayError } from '../../errors/gateway-error.ts';

/**
 * jwt's refusals, OpenAI-shaped. Messages say why, never echo the token or a claim's value.
 * `missing_token` means "no JWT here", which lets another authentication plugin accept the
 * request (src/pipeline/authentication.ts); `invalid_token` means a JWT was presented and failed.
 */
export const jwtErrors = {
  missingToken(header: string | undefined): GatewayError {
    const where = header ? `Authorization: Bearer <token> or ${header}` : 'Authorization: Bearer <token>';
    return new GatewayError({ status: 401, type: 'authentication_error', code: 'missing_token', message: `You did not provide a token. Send a JWT as ${where}.` });
  },
  invalidToken(reason: string): GatewayError {
    return new GatewayError({ status: 401, type: 'authentication_error', code: 'invalid_token', message: `The token was refused: ${reason}` });
  },
};
