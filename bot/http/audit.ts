import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import { newId } from '../../services/ids';
import { normalizePhone } from '../../services/contact/phone';
import { outcomeOf, type AuditEvent, type AuditRepository } from '../../services/audit/audit.schema';
import { principalOf } from './auth';
import { logOf } from '../server';

const text = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : null);

/**
 * One audit event per staff API call, after it was answered: stored (audit_events) and logged as an `audit` line.
 * A failure to store is logged, never turned into a failed request (the answer has left already).
 */
export function auditStaffApi(server: Server, deps: { audit: AuditRepository; hashPhone: (e164: string) => string; logger: Logger; now: () => Date }): void {
  server.on('after', (req: Request, res: Response, route: { path?: string | RegExp } | null) => {
    const path = req.getPath();
    if (!path.startsWith('/api/v1/')) return;
    const params = (req.params ?? {}) as Record<string, unknown>;
    const query = (req.query ?? {}) as Record<string, unknown>;
    const pattern = route?.path ? String(route.path) : 'unmatched';
    const principal = principalOf(req);
    const location = text(res.getHeader('location'), 200);
    const isCaseRoute = pattern.startsWith('/api/v1/cases');
    const phone = normalizePhone(text(params['phone'], 40) ?? text(query['phone'], 40) ?? '');
    const event: AuditEvent = {
      id: newId('ae'),
      at: deps.now(),
      actorId: principal?.id ?? null,
      role: principal?.role ?? null,
      action: `${req.method} ${pattern}`.slice(0, 200),
      caseId: (isCaseRoute ? text(params['id'], 64) ?? /\/api\/v1\/cases\/(c_[a-f0-9]{24})$/.exec(location ?? '')?.[1] ?? null : null) ?? text(query['caseId'], 64),
      targetId: isCaseRoute ? null : [text(params['id'], 60), text(params['userId'], 39)].filter(Boolean).join('/') || null,
      patientRef: phone ? deps.hashPhone(phone) : null,
      status: res.statusCode,
      outcome: outcomeOf(res.statusCode),
      requestId: text(res.getHeader('x-request-id'), 100),
    };
    logOf(req, deps.logger).info({ audit: { ...event, id: undefined, at: undefined } }, 'audit');
    deps.audit.insert(event).catch((e: unknown) => logOf(req, deps.logger).error({ err: e, action: event.action }, 'could not store the audit event'));
  });
}
