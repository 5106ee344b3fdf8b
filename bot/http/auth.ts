import type { Request } from 'restify';
import type { Principal } from '../../services/staff/staff.roles';
import type { StaffTokenService } from '../../services/staff/staff-token.service';
import { HttpError } from './errors';
import type { RateLimit, RateLimiter } from './rate-limit';

const principals = new WeakMap<Request, Principal>();

/** Who made this request, once a route authenticated it (the audit line names them). */
export function principalOf(req: Request): Principal | null {
  return principals.get(req) ?? null;
}

/** Admin-only routes (tokens, the audit log): a 403 naming what the caller's role may not do. */
export function requireAdmin(p: Principal, what: string): void {
  if (p.role !== 'admin') throw new HttpError(403, 'FORBIDDEN', `role '${p.role}' may not ${what}`);
}

export function createAuthenticator(tokens: StaffTokenService, limits?: { limiter: RateLimiter; perToken: RateLimit }) {
  return async (req: Request): Promise<Principal> => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new HttpError(401, 'UNAUTHORIZED', 'send a staff token as Authorization: Bearer <token>');
    const principal = await tokens.authenticate(match[1]);
    if (!principal) throw new HttpError(401, 'UNAUTHORIZED', 'the token is not recognized, expired or was revoked');
    principals.set(req, principal);
    if (limits) await limits.limiter('api', principal.id, limits.perToken);
    return principal;
  };
}
export type Authenticate = ReturnType<typeof createAuthenticator>;
