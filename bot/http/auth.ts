import type { Request } from 'restify';
import type { Principal } from '../../services/staff/staff.roles';
import type { StaffTokenService } from '../../services/staff/staff-token.service';
import { HttpError } from './errors';

export function createAuthenticator(tokens: StaffTokenService) {
  return async (req: Request): Promise<Principal> => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new HttpError(401, 'UNAUTHORIZED', 'send a staff token as Authorization: Bearer <token>');
    const principal = await tokens.authenticate(match[1]);
    if (!principal) throw new HttpError(401, 'UNAUTHORIZED', 'the token is not recognized or was revoked');
    return principal;
  };
}
export type Authenticate = ReturnType<typeof createAuthenticator>;
