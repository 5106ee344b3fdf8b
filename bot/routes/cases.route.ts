import type { Request, Server } from 'restify';
import { z } from 'zod';
import { ApplyEventInput, CorrectCaseInput, CreateCaseInput, ListCasesInput, type CaseService } from '../../services/cases/case.service';
import type { Authenticate } from '../http/auth';
import { HttpError } from '../http/errors';
import { parse, pathParam, requireJson, unwrap, type RouteFactory } from '../http/route';
import type { Metrics } from '../metrics';
import type { SelfService } from '../../services/patients/self-service.service';
import { text } from '../../services/orders/order.schema';

const ClearScreeningInput = z.object({ note: text(500).optional() }).strict();

const CaseId = z.string().regex(/^c_[a-f0-9]{24}$/);
const IdempotencyKey = z.string().min(8).max(200);

function caseIdOf(req: Request): string {
  const id = pathParam(req, 'id');
  // A malformed id cannot name a case: answer as for any unknown case.
  if (!CaseId.safeParse(id).success) throw new HttpError(404, 'CASE_NOT_FOUND', `no case with id '${id.slice(0, 40)}'`);
  return id;
}

export function registerCaseRoutes(
  server: Server,
  deps: { route: RouteFactory; cases: CaseService; selfService: Pick<SelfService, 'clearScreening'>; authenticate: Authenticate; metrics: Metrics },
): void {
  const { route, cases, authenticate, metrics } = deps;

  server.get(
    '/api/v1/cases',
    route(async (req) => {
      const principal = await authenticate(req);
      const q = parse(ListCasesInput, req.query ?? {}, 'query');
      return { status: 200, body: unwrap(await cases.list(q, principal)) };
    }),
  );

  server.get(
    '/api/v1/cases/:id',
    route(async (req) => {
      const principal = await authenticate(req);
      return { status: 200, body: unwrap(await cases.get(caseIdOf(req), principal)) };
    }),
  );

  server.post(
    '/api/v1/cases',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      const input = parse(CreateCaseInput, req.body, 'body');
      const keyHeader = req.header('idempotency-key');
      const key = keyHeader === undefined ? undefined : parse(IdempotencyKey, keyHeader, 'Idempotency-Key');
      const out = unwrap(await cases.create(input, principal, 'api', key));
      return { status: out.created ? 201 : 200, body: out.case, headers: { Location: `/api/v1/cases/${out.case.id}` } };
    }),
  );

  // Staff correct a case: patient details or order fields, the checklist run again, the change in the history.
  server.patch(
    '/api/v1/cases/:id',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      const id = caseIdOf(req);
      const input = parse(CorrectCaseInput, req.body, 'body');
      return { status: 200, body: unwrap(await cases.correct(id, input, principal, 'api')) };
    }),
  );

  server.post(
    '/api/v1/cases/:id/events',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      const id = caseIdOf(req);
      const input = parse(ApplyEventInput, req.body, 'body');
      const updated = unwrap(await cases.applyEvent(id, input, principal, 'api'));
      metrics.pipelineTransitions.inc({ event: input.event, to: updated.state });
      return { status: 200, body: updated };
    }),
  );

  // A technologist cleared the safety review after talking with the patient: times may be offered now.
  server.post(
    '/api/v1/cases/:id/screening/clear',
    route(async (req) => {
      const principal = await authenticate(req);
      requireJson(req);
      const id = caseIdOf(req);
      const input = parse(ClearScreeningInput, req.body ?? {}, 'body');
      const updated = unwrap(await deps.selfService.clearScreening(id, principal, input.note));
      return { status: 200, body: unwrap(await cases.get(updated.id, principal)) };
    }),
  );
}
