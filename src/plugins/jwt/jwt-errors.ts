import { GatewayError } from '../../errors/gateway-error.ts';
import { unrecognizedCredential } from '../../pipeline/authentication.ts';

/**
 * jwt's refusals, OpenAI-shaped. Messages say why, never echo the token or a claim's value.
 * `missing_token` means "no credential here at all"; `invalid_token` means a JWT was presented and
 * failed, or (notAJwt) a credential that is no JWT was presented. Any of them lets another
 * authentication plugin accept the request (src/pipeline/authentication.ts).
 */
function invalidToken(reason: string): GatewayError {
  return new GatewayError({ status: 401, type: 'authentication_error', code: 'invalid_token', message: `The token was refused: ${reason}` });
}

export const jwtErrors = {
  missingToken(header: string | undefined): GatewayError {
    const where = header ? `Authorization: Bearer <token> or ${header}` : 'Authorization: Bearer <token>';
    return new GatewayError({ status: 401, type: 'authentication_error', code: 'missing_token', message: `You did not provide a token. Send a JWT as ${where}.` });
  },
  /**
   * A credential where clients send them that is not a JWT (readToken's `unrecognized`). Marked so
   * another plugin's refusal of it (key-auth's unknown key) is the one the client gets, and so the
   * anonymous plugin never takes it for "no credential" (src/pipeline/authentication.ts).
   */
  notAJwt(where: string, header: string | undefined): GatewayError {
    const send = header ? `Authorization: Bearer <token> or ${header}` : 'Authorization: Bearer <token>';
    const reason = where === 'authorization' ? `the Authorization header holds no JWT (send it as ${send}).` : `a credential came in ${where}, where no JWT is read (send it as ${send}).`;
    return unrecognizedCredential(invalidToken(reason));
  },
  invalidToken,
};
