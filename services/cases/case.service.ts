import { createHash } from 'node:crypto';
import { newId } from '../ids';
import { z } from 'zod';
import { needsPriorAuthorization, type SiteConfig } from '../config/site.schema';
import { codeRefusal, type DiagnosisCodes } from '../orders/diagnosis-codes';
import { answersRequest, CHANGED_STUDY, DocumentKind, missingItems, requestedItem, requestedKind, REQUESTED } from '../orders/order.completeness';
import { authorizationAfter, covers, deniedItem, pendingAuthorization } from './authorization';
import { OrderInput, PatientInput, text } from '../orders/order.schema';
import { decide } from '../pipeline/pipeline.decide';
import { localDay } from '../scheduling/slot-text';
import { serviceRequestStatus } from '../pipeline/pipeline.fhir';
import { CaseState, PipelineEvent, Track, type Actor } from '../pipeline/pipeline.states';
import { trackFor } from '../pipeline/pipeline.track';
import { eventsFrom } from '../pipeline/pipeline.transitions';
import { err, ok, type Result } from '../result';
import { actorOf, canCreateCases, canReadCases, ROLE_EVENTS, type Principal } from '../staff/staff.roles';
import type { Locks } from '../locks';
import type { Idempotency, IdempotencyFailure } from '../idempotency/idempotency';
import type { CaseRepository, PatientRepository } from './case.ports';
import { CaseSource, type Case, type CaseChannel, type CaseHistoryEntry, type Patient } from './case.schema';

export const CreateCaseInput = z
  .object({
    source: CaseSource,
    patient: PatientInput,
    order: OrderInput,
    referrerOrgId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type CreateCaseInput = z.infer<typeof CreateCaseInput>;

const Scalar = z.union([text(500), z.number().finite(), z.boolean(), z.null()]);
export const ApplyEventInput = z
  .object({
    event: PipelineEvent,
    expectedVersion: z.number().int().min(0).optional(),
    reason: text(500).optional(),
    /** Flat facts that go with the event (an authorization number, a room): stored on the history entry. */
    data: z
      .record(z.string().regex(/^[A-Za-z][\w-]{0,39}$/, 'data keys are letters, digits, _ and -'), Scalar)
      .refine((d) => Object.keys(d).length <= 20, 'at most 20 data fields')
      .optional(),
  })
  .strict();
export type ApplyEventInput = z.infer<typeof ApplyEventInput>;

export const ListCasesInput = z
  .object({
    state: CaseState.optional(),
    track: Track.optional(),
    referrer: z.string().min(1).max(64).optional(),
    phone: z.string().optional(),
    page: z
      .string()
      .max(200)
      .refine((p) => /^[\w-]+$/.test(p) && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|c_[a-f0-9]{24}$/.test(Buffer.from(p, 'base64url').toString('utf8')), 'is not a page cursor this API gave out')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/** Items an office may supply for a documentation request: any order field, checked as on creation. */
export const SuppliedItems = OrderInput.partial().strict();

/** Staff correct a case: the patient's details or order fields (each given replaces what is stored), and why. */
export const CorrectCaseInput = z
  .object({
    reason: text(500),
    expectedVersion: z.number().int().min(0).optional(),
    patient: PatientInput.partial().strict().optional(),
    order: SuppliedItems.optional(),
  })
  .strict()
  .refine((x) => (x.patient && Object.keys(x.patient).length > 0) || (x.order && Object.keys(x.order).length > 0), 'nothing to correct: give patient or order fields');

/** Who may correct a case (not offices: they supply documentation; not technologists or marketing). */
const CORRECTS: ReadonlySet<string> = new Set(['admin', 'coordinator', 'scheduler']);
/** A case that is over is no longer corrected. */
const CLOSED: ReadonlySet<string> = new Set(['closed', 'cancelled', 'delivered']);

/** The stored order back in the shape the checklist reads. */
export function orderInputOf(o: Case['order']): OrderInput {
  const r = o.requester;
  return {
    ...(o.code.modality ? { modality: o.code.modality } : {}),
    ...(o.bodySite.text ? { bodyPart: o.bodySite.text } : {}),
    laterality: o.bodySite.laterality,
    contrast: o.code.contrast,
    ...(o.priority ? { priority: o.priority } : {}),
    reasonCodes: o.reasonCode,
    ...(o.reasonText ? { reasonText: o.reasonText } : {}),
    ...(r ? { requester: { ...(r.name ? { name: r.name } : {}), ...(r.npi ? { npi: r.npi } : {}), ...(r.phone ? { phone: r.phone } : {}) } } : {}),
    ...(o.insurance ? { insurance: o.insurance } : {}),
  };
}

/** The stored order with some fields replaced; the requester field by field (an NPI alone keeps the name and callback). */
function withChanges(stored: Case['order'], changes: z.infer<typeof SuppliedItems> | undefined): OrderInput {
  const was = orderInputOf(stored);
  const requester = was.requester || changes?.requester ? { ...was.requester, ...changes?.requester } : undefined;
  return { ...was, ...changes, ...(requester ? { requester } : {}) };
}

const payerOf = (o: OrderInput) => (o.insurance && 'payer' in o.insurance ? o.insurance.payer : null);

/** The stored patient's details, as findOrCreate takes them. */
function patientRecordOf(p: Patient): Omit<Patient, 'id' | 'createdAt'> {
  return { givenName: p.givenName, familyName: p.familyName, birthDate: p.birthDate, phone: p.phone, phoneHash: p.phoneHash, language: p.language };
}

function patientInputOf(p: Patient | null): PatientInput {
  return {
    ...(p?.givenName ? { givenName: p.givenName } : {}),
    ...(p?.familyName ? { familyName: p.familyName } : {}),
    ...(p?.birthDate ? { birthDate: p.birthDate } : {}),
    ...(p?.phone ? { phone: p.phone } : {}),
    language: p?.language ?? 'en',
  };
}

/** An order as stored (FHIR ServiceRequest shape), notes aside. */
export function serviceRequestOf(o: OrderInput, intent: Case['order']['intent']): Omit<Case['order'], 'note'> {
  return {
    intent,
    priority: o.priority ?? null,
    code: { modality: o.modality ?? null, contrast: o.contrast ?? null },
    bodySite: { text: o.bodyPart ?? null, laterality: o.laterality ?? null },
    reasonCode: o.reasonCodes,
    reasonText: o.reasonText ?? null,
    requester: o.requester ? { name: o.requester.name ?? null, npi: o.requester.npi ?? null, phone: o.requester.phone ?? null } : null,
    insurance: o.insurance ?? null,
  };
}

export type CaseFailure =
  | 'FORBIDDEN'
  | 'CASE_NOT_FOUND'
  | 'ILLEGAL_TRANSITION'
  | 'REASON_REQUIRED'
  | 'HUMAN_TRACK_ONLY'
  | 'VERSION_CONFLICT'
  | 'CASE_BUSY'
  | 'UNKNOWN_REFERRER'
  | 'INVALID_INPUT';

/** What the staff API shows of a case: the stored case, its patient, the FHIR status and what the caller may do next. */
export interface CaseView extends Omit<Case, 'order'> {
  order: Case['order'] & { status: ReturnType<typeof serviceRequestStatus> };
  patient: Patient | null;
  allowedEvents: PipelineEvent[];
}

const MAX_CONFLICT_RETRIES = 3;

export interface CaseServiceDeps {
  cases: CaseRepository;
  patients: PatientRepository;
  site: SiteConfig;
  locks: Locks;
  orgs: { exists(orgId: string): Promise<boolean> };
  hashPhone: (e164: string) => string;
  now: () => Date;
  /** A held time became a booking on approval: tell the patient and queue the reminders. */
  onHeldBooked?: (c: Case) => Promise<void>;
  /** Records care consent for a number an order gave (domain.md §6: given for this purpose). */
  consent?: { noteReferral(phoneHash: string, evidence: string, receivedAt: Date): Promise<void> };
  /** A case became ready to schedule: invite the patient to book. */
  onReady?: (c: Case) => Promise<void>;
  /** A ready case now reaches another number (staff corrected it): invite that number too. */
  onReachesNewNumber?: (c: Case, phoneHash: string) => Promise<void>;
  /** The office declined a patient's order request: tell the patient. */
  onOrderDeclined?: (c: Case) => Promise<void>;
  /** An appointment left the case (cancelled, no-show, new time needed, authorization not given): free its time and reminders. */
  onAppointmentGone?: (appointmentId: string, reason: string) => Promise<void>;
  /** The ICD-10-CM table: a category code where billable codes exist under it is refused. */
  codes?: DiagnosisCodes;
  /** Idempotency-Key claims shared by every route that takes one. */
  idempotency?: Idempotency;
}

/** States a case may hold an appointment in; any other drops it (and its time is freed). */
const KEEPS_APPOINTMENT: ReadonlySet<CaseState> = new Set(['pending_authorization', 'scheduled', 'checked_in', 'imaging_completed', 'reported', 'delivered', 'closed']);

export function createCaseService(deps: CaseServiceDeps) {
  const { cases, patients } = deps;

  function allowedEvents(c: Case, principal: Principal): PipelineEvent[] {
    const mine = ROLE_EVENTS[principal.role];
    return eventsFrom(c.state).filter((e) => mine.has(e));
  }

  function viewWith(c: Case, patient: Patient | null, principal: Principal): CaseView {
    return { ...c, order: { ...c.order, status: serviceRequestStatus(c.state) }, patient, allowedEvents: allowedEvents(c, principal) };
  }

  async function view(c: Case, principal: Principal): Promise<CaseView> {
    return viewWith(c, await patients.findById(c.patientId), principal);
  }

  /**
   * From `received`, by the checklist and the payer rules: documentation, authorization (a new pending record), or
   * ready to schedule.
   */
  function route(missing: string[], o: OrderInput, track: Case['track'], actor: Actor, now: Date, channel: CaseChannel) {
    const payer = payerOf(o);
    const [next, reason]: [PipelineEvent, string | undefined] =
      missing.length > 0
        ? ['request_documentation', `missing: ${missing.join(', ')}`]
        : needsPriorAuthorization(deps.site, o.modality!, payer)
          ? ['require_authorization', `${payer} requires prior authorization for ${o.modality}`]
          : ['mark_ready', undefined];
    const routed = decide({ state: 'received', track }, next, actor, now, { channel, ...(reason ? { reason } : {}) });
    if (!routed.ok) throw new Error(`transition table refuses intake routing: ${routed.error.code}`);
    return { ...routed.value, authorization: next === 'require_authorization' ? { authorization: pendingAuthorization(payer, now) } : {} };
  }

  const today = (now: Date) => localDay(now, deps.site.center.timeZone);

  /** A referrer sees only its organization's cases; anything else reads as "not found", never "forbidden". */
  async function load(id: string, principal: Principal): Promise<Result<Case, CaseFailure>> {
    if (!canReadCases(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not read cases`);
    const c = await cases.findById(id);
    if (!c || (principal.referrerOrgId !== null && c.referrerOrgId !== principal.referrerOrgId)) {
      return err('CASE_NOT_FOUND', `no case with id '${id}'`);
    }
    return ok(c);
  }

  /** Diagnosis codes the table knows to be categories, each named with the billable codes under it. */
  function codeProblems(codes: readonly string[] | undefined, at: string): Result<never, CaseFailure> | null {
    const details = (codes ?? []).flatMap((code, i) => {
      const message = codeRefusal(deps.codes, code);
      return message ? [{ field: `${at}.reasonCodes.${i}`, message }] : [];
    });
    return details.length ? err('INVALID_INPUT', details.map((d) => `${d.field}: ${d.message}`).join('; '), details) : null;
  }

  /**
   * A case from an order (fax, phone, API): starts `received`, then the checklist and payer rules route it in the
   * same insert, so no reader ever sees a half-routed case. The idempotency key makes a retried POST return the
   * case the first one made.
   */
  async function create(
    input: CreateCaseInput,
    principal: Principal,
    channel: CaseChannel,
    idempotencyKey?: string,
  ): Promise<Result<{ created: boolean; case: CaseView }, CaseFailure | IdempotencyFailure>> {
    if (!idempotencyKey || !deps.idempotency) return createOnce(input, principal, channel, idempotencyKey);
    // Claimed before anything is written, so concurrent repeats make one case and one patient.
    const r = await deps.idempotency(
      `cases:${principal.id}`,
      idempotencyKey,
      input,
      async () => {
        const made = await createOnce(input, principal, channel, idempotencyKey);
        return made.ok ? ok({ ref: made.value.case.id, value: made.value }) : made;
      },
      async (ref) => {
        const c = await cases.findById(ref);
        if (!c) return err('CASE_NOT_FOUND', `the case this key made ('${ref}') is gone`);
        return ok({ created: false, case: await view(c, principal) });
      },
    );
    return r.ok ? ok(r.value.replayed ? { ...r.value.value, created: false } : r.value.value) : r;
  }

  async function createOnce(
    input: CreateCaseInput,
    principal: Principal,
    channel: CaseChannel,
    idempotencyKey?: string,
  ): Promise<Result<{ created: boolean; case: CaseView }, CaseFailure>> {
    if (!canCreateCases(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not create cases`);
    const badCode = codeProblems(input.order.reasonCodes, 'order');
    if (badCode) return badCode;
    if (channel === 'api' && (principal.role === 'referrer') !== (input.source === 'referrer_api')) {
      return err('FORBIDDEN', principal.role === 'referrer' ? "a referrer token creates cases with source 'referrer_api'" : "source 'referrer_api' is for referrer tokens");
    }
    const referrerOrgId = principal.referrerOrgId ?? input.referrerOrgId ?? null;
    if (principal.referrerOrgId && input.referrerOrgId && input.referrerOrgId !== principal.referrerOrgId) {
      return err('FORBIDDEN', 'a referrer token may only create cases for its own organization');
    }
    if (referrerOrgId && !principal.referrerOrgId && !(await deps.orgs.exists(referrerOrgId))) {
      return err('UNKNOWN_REFERRER', `no referring organization with id '${referrerOrgId}'`);
    }
    const id = idempotencyKey
      ? `c_${createHash('sha256').update(`${principal.id}:${idempotencyKey}`).digest('hex').slice(0, 24)}`
      : newId('c');
    if (idempotencyKey) {
      const existing = await cases.findById(id);
      if (existing) return ok({ created: false, case: await view(existing, principal) });
    }

    const now = deps.now();
    const actor: Actor = actorOf(principal);
    const { patient: p, order: o } = input;
    const patient = await patients.findOrCreate(
      {
        givenName: p.givenName ?? null,
        familyName: p.familyName ?? null,
        birthDate: p.birthDate ?? null,
        phone: p.phone ?? null,
        phoneHash: p.phone ? deps.hashPhone(p.phone) : null,
        language: p.language,
      },
      now,
      principal.referrerOrgId,
    );

    const missing = missingItems(p, o);
    const track = trackFor(o.priority ?? 'routine');
    const history: CaseHistoryEntry[] = [{ from: null, to: 'received', event: 'create', actor, channel, at: now }];
    const routed = route(missing, o, track, actor, now, channel);
    history.push(routed.entry);

    const c: Case = {
      id,
      state: routed.state,
      track,
      version: history.length - 1,
      source: input.source,
      patientId: patient.id,
      referrerOrgId,
      order: { ...serviceRequestOf(o, 'order'), note: o.note ? [{ text: o.note, at: now, author: actor }] : [] },
      missing,
      appointment: null,
      screening: null,
      authorization: routed.authorization.authorization ?? null,
      history,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await cases.insert(c))) {
      // Lost a race with a concurrent retry carrying the same key: answer with the case it made.
      const existing = await cases.findById(id);
      if (!existing) throw new Error('case insert reported a duplicate id that cannot be read back');
      return ok({ created: false, case: await view(existing, principal) });
    }
    if (patient.phoneHash) await deps.consent?.noteReferral(patient.phoneHash, `phone number on the order of case ${c.id} (${input.source}, ${actor})`, now);
    if (c.state === 'ready_to_schedule') await deps.onReady?.(c);
    return ok({ created: true, case: await view(c, principal) });
  }

  async function get(id: string, principal: Principal): Promise<Result<CaseView, CaseFailure>> {
    const loaded = await load(id, principal);
    return loaded.ok ? ok(await view(loaded.value, principal)) : loaded;
  }

  async function list(
    q: z.infer<typeof ListCasesInput>,
    principal: Principal,
  ): Promise<Result<{ items: CaseView[]; next?: string }, CaseFailure>> {
    if (!canReadCases(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not read cases`);
    if (principal.referrerOrgId && q.referrer && q.referrer !== principal.referrerOrgId) {
      return ok({ items: [] });
    }
    let patientIds: string[] | undefined;
    if (q.phone !== undefined) {
      const phone = PatientInput.shape.phone.safeParse(q.phone);
      if (!phone.success || !phone.data) {
        const message = 'must be a phone number in E.164 form or 10 US digits';
        return err('INVALID_INPUT', `query.phone: ${message}`, [{ field: 'query.phone', message }]);
      }
      patientIds = await patients.findIdsByPhoneHash(deps.hashPhone(phone.data));
      if (patientIds.length === 0) return ok({ items: [] });
    }
    const referrerOrgId = principal.referrerOrgId ?? q.referrer;
    const page = await cases.list(
      {
        ...(q.state ? { state: q.state } : {}),
        ...(q.track ? { track: q.track } : {}),
        ...(referrerOrgId ? { referrerOrgId } : {}),
        ...(patientIds ? { patientIds } : {}),
      },
      { limit: q.limit, ...(q.page ? { after: q.page } : {}) },
    );
    // One query for the page's patients, not one per case.
    const byId = new Map((await patients.findByIds([...new Set(page.items.map((c) => c.patientId))])).map((p) => [p.id, p]));
    const items = page.items.map((c) => viewWith(c, byId.get(c.patientId) ?? null, principal));
    return ok(page.next ? { items, next: page.next } : { items });
  }

  /**
   * Applies one event with optimistic concurrency: one conditional update on { id, state, version }. Writers of
   * one case also take turns under a lock (see services/locks.ts), and a writer that still loses decides again on
   * the fresh case (a bounded number of times): the same event then usually is no longer legal and is refused.
   */
  async function applyEvent(
    id: string,
    input: ApplyEventInput,
    principal: Principal,
    channel: CaseChannel,
  ): Promise<Result<CaseView, CaseFailure>> {
    if (!ROLE_EVENTS[principal.role].has(input.event)) {
      return err('FORBIDDEN', `role '${principal.role}' may not apply '${input.event}'`);
    }
    const locked = await deps.locks.withLock(`case:${id}`, async (): Promise<Result<Case, CaseFailure>> => {
      for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
        const loaded = await load(id, principal);
        if (!loaded.ok) return loaded;
        const c = loaded.value;
        if (input.expectedVersion !== undefined && input.expectedVersion !== c.version) {
          return err('VERSION_CONFLICT', `case is at version ${c.version}, not ${input.expectedVersion}`);
        }
        const now = deps.now();
        const options = { channel, ...(input.reason ? { reason: input.reason } : {}) };
        // Legal from here at all first (a 409 before any 400 about the event's data).
        const legal = decide(c, input.event, actorOf(principal), now, options);
        if (!legal.ok) return legal;
        const auth = authorizationAfter(input.event, c.authorization, { ...options, ...(input.data ? { data: input.data } : {}), payer: payerOf(orderInputOf(c.order)) }, now, today(now));
        if (!auth.ok) return auth;
        const decision = auth.value?.to ? decide(c, input.event, actorOf(principal), now, { ...options, to: auth.value.to }) : legal;
        if (!decision.ok) return decision;
        const entry: CaseHistoryEntry = input.data ? { ...decision.value.entry, data: input.data } : decision.value.entry;
        // Documentation staff ask for (a payer's request), or a denial's next step, is a missing item asked of the office by name.
        const kind = DocumentKind.default('other').safeParse(input.data?.['item'] ?? undefined);
        if (input.event === 'request_documentation' && !kind.success) {
          const message = `must be one of ${DocumentKind.options.join(', ')}`;
          return err('INVALID_INPUT', `data.item: ${message}`, [{ field: 'data.item', message }]);
        }
        const item = input.event === 'request_documentation' && input.reason ? requestedItem(kind.success ? kind.data : 'other', input.reason) : input.event === 'deny_authorization' && auth.value?.record.nextStep ? deniedItem(auth.value.record.nextStep, input.reason ?? '') : null;
        const asked = { ...(item && !c.missing.includes(item) ? { missing: [...c.missing, item] } : {}), ...(auth.value ? { authorization: auth.value.record } : {}) };
        // A time the patient held while authorization was pending becomes the booking in the same update (if still ahead and inside the approved dates).
        const inDates = (a: NonNullable<Case['appointment']>) => covers(auth.value?.record ?? null, today(a.start));
        const held = input.event === 'approve_authorization' && c.appointment?.status === 'pending' && c.appointment.start > now && inDates(c.appointment) ? c.appointment : null;
        const booked = held ? decide({ state: decision.value.state, track: c.track }, 'book', 'system', now, { channel, reason: 'held time confirmed on approval' }) : null;
        const dropped = c.appointment && !(held && booked?.ok) && (!KEEPS_APPOINTMENT.has(decision.value.state) || input.event === 'approve_authorization') ? c.appointment : null;
        // An expired approval: the booked time is held (not confirmed) until the new one comes.
        const rehold = input.event === 'expire_authorization' && c.appointment && !dropped ? { appointment: { ...c.appointment, status: 'pending' as const } } : {};
        const updated =
          held && booked?.ok
            ? await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state: booked.value.state, entry: [entry, booked.value.entry], now, set: { ...asked, appointment: { ...held, status: 'booked' } } })
            : await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state: decision.value.state, entry, now, set: { ...asked, ...rehold, ...(dropped ? { appointment: null } : {}) } });
        if (updated) {
          if (dropped) await deps.onAppointmentGone?.(dropped.id, `${input.event}${input.reason ? `: ${input.reason}` : ''}`.slice(0, 300));
          if (held) await deps.onHeldBooked?.(updated);
          else if (updated.state === 'ready_to_schedule') await deps.onReady?.(updated);
          return ok(updated);
        }
        if (input.expectedVersion !== undefined) {
          return err('VERSION_CONFLICT', 'the case changed while this event was being applied');
        }
      }
      return err('VERSION_CONFLICT', 'the case kept changing; try again');
    });
    if (!locked.ok) return err('CASE_BUSY', locked.error.message);
    return locked.value.ok ? ok(await view(locked.value.value, principal)) : locked.value;
  }

  /**
   * The office supplied missing items (domain.md §3): merged into the order, then awaiting_documentation → received →
   * the checklist and payer rules again, in one conditional update with every step in the history.
   */
  async function supplyDocumentation(
    id: string,
    supplied: z.infer<typeof SuppliedItems>,
    principal: Principal,
    channel: CaseChannel,
    /** The patient's mobile, when that was what was missing. */
    contact?: { phone: string; language?: 'en' | 'es' },
  ): Promise<Result<CaseView, CaseFailure>> {
    if (!canCreateCases(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not supply documentation`);
    const badCode = codeProblems(supplied.reasonCodes, 'order');
    if (badCode) return badCode;
    const locked = await deps.locks.withLock(`case:${id}`, async (): Promise<Result<Case, CaseFailure>> => {
      const loaded = await load(id, principal);
      if (!loaded.ok) return loaded;
      const c = loaded.value;
      if (c.state !== 'awaiting_documentation') return err('ILLEGAL_TRANSITION', `the case is '${c.state}', not waiting for documentation`);
      const before = await patients.findById(c.patientId);
      // A phone given: the case points at the person with that phone, birth date and family name.
      const patient = contact && before
        ? await patients.findOrCreate({ ...patientRecordOf(before), phone: contact.phone, phoneHash: deps.hashPhone(contact.phone), language: contact.language ?? before.language }, deps.now())
        : before;
      const order = { ...withChanges(c.order, supplied), reasonCodes: [...new Set([...c.order.reasonCode, ...(supplied.reasonCodes ?? [])])] };
      // What the center asked for in words stays missing until the office sends notes or a file for it; a changed study until the exam changes.
      const changedStudy = supplied.modality !== undefined || supplied.bodyPart !== undefined;
      const sent = { note: !!supplied.note, phone: !!contact, insurance: !!supplied.insurance, codes: (supplied.reasonCodes?.length ?? 0) > 0 || !!supplied.reasonText };
      const stillAsked = c.missing.filter((m) => (m.startsWith(REQUESTED) && !answersRequest(requestedKind(m), sent)) || (m === CHANGED_STUDY && !changedStudy));
      const missing = [...missingItems(patientInputOf(patient), order), ...stillAsked];
      const now = deps.now();
      const actor = actorOf(principal);
      if (missing.length && missing.length === c.missing.length && missing.every((m) => c.missing.includes(m))) return err('INVALID_INPUT', `still missing: ${missing.join(', ')}`);
      const back = decide(c, 'documentation_received', actor, now, { channel, reason: `supplied: ${Object.keys(supplied).join(', ')}` });
      if (!back.ok) return back;
      const track = trackFor(order.priority ?? 'routine');
      const routed = route(missing, order, track, actor, now, channel);
      const saved = await cases.applyTransition(
        c.id,
        { state: c.state, version: c.version },
        { state: routed.state, track, entry: [back.value.entry, routed.entry], now, set: { order: { ...serviceRequestOf(order, c.order.intent), note: supplied.note ? [...c.order.note, { text: supplied.note, at: now, author: actor }] : c.order.note }, missing, ...routed.authorization, ...(patient && patient.id !== c.patientId ? { patientId: patient.id } : {}) } },
      );
      return saved ? ok(saved) : err('VERSION_CONFLICT', 'the case changed meanwhile; try again');
    });
    if (!locked.ok) return err('CASE_BUSY', locked.error.message);
    if (!locked.value.ok) return locked.value;
    if (locked.value.value.state === 'ready_to_schedule') await deps.onReady?.(locked.value.value);
    return ok(await view(locked.value.value, principal));
  }

  /** One writer per case: load (scoped to the caller), decide, write with one conditional update. */
  async function writeCase(id: string, principal: Principal, fn: (c: Case, patient: Patient | null) => Promise<Result<Case, CaseFailure>>): Promise<Result<Case, CaseFailure>> {
    if (!canCreateCases(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not change orders`);
    const locked = await deps.locks.withLock(`case:${id}`, async () => {
      const loaded = await load(id, principal);
      return loaded.ok ? fn(loaded.value, await patients.findById(loaded.value.patientId)) : loaded;
    });
    return locked.ok ? locked.value : err('CASE_BUSY', locked.error.message);
  }

  /**
   * The office sends the order a patient asked for (order_requested → received → checklist and payer rules), in one
   * update; the request's reason and notes stay with the case.
   */
  async function receiveRequestedOrder(id: string, order: OrderInput, principal: Principal, channel: CaseChannel): Promise<Result<CaseView, CaseFailure>> {
    const badCode = codeProblems(order.reasonCodes, 'order');
    if (badCode) return badCode;
    const r = await writeCase(id, principal, async (c, patient) => {
      const now = deps.now();
      const actor = actorOf(principal);
      const received = decide(c, 'receive_order', actor, now, { channel, reason: 'the office sent the order the patient asked for' });
      if (!received.ok) return received;
      const missing = missingItems(patientInputOf(patient), order);
      const track = trackFor(order.priority ?? 'routine');
      const routed = route(missing, order, track, actor, now, channel);
      const note = order.note ? [...c.order.note, { text: order.note, at: now, author: actor }] : c.order.note;
      const saved = await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state: routed.state, track, entry: [received.value.entry, routed.entry], now, set: { order: { ...serviceRequestOf(order, 'order'), note }, missing, ...routed.authorization } });
      return saved ? ok(saved) : err('VERSION_CONFLICT', 'the case changed meanwhile; try again');
    });
    if (!r.ok) return r;
    if (r.value.state === 'ready_to_schedule') await deps.onReady?.(r.value);
    return ok(await view(r.value, principal));
  }

  /** The office will not order what the patient asked for: the case is cancelled with its reason and the patient told. */
  async function declineRequestedOrder(id: string, reason: string, principal: Principal, channel: CaseChannel): Promise<Result<CaseView, CaseFailure>> {
    const r = await writeCase(id, principal, async (c) => {
      if (c.state !== 'order_requested') return err('ILLEGAL_TRANSITION', `the case is '${c.state}', not an open order request`);
      const now = deps.now();
      const d = decide(c, 'cancel', actorOf(principal), now, { channel, reason: `order declined by the office: ${reason}`.slice(0, 500) });
      if (!d.ok) return d;
      const saved = await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state: d.value.state, entry: d.value.entry, now });
      return saved ? ok(saved) : err('VERSION_CONFLICT', 'the case changed meanwhile; try again');
    });
    if (!r.ok) return r;
    await deps.onOrderDeclined?.(r.value);
    return ok(await view(r.value, principal));
  }

  /**
   * Staff correct a case (a wrong phone, a missing code): the patient's details point the case at the person they name
   * (the same phone, birth date and family name are the same person), the order fields are replaced, the checklist runs
   * again and, if the case was waiting for documentation and nothing is missing now, it moves on; all in one update,
   * with a `correct` entry in the history naming the fields and why.
   */
  async function correct(id: string, input: z.infer<typeof CorrectCaseInput>, principal: Principal, channel: CaseChannel): Promise<Result<CaseView, CaseFailure>> {
    if (!CORRECTS.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not correct cases`);
    const badCode = codeProblems(input.order?.reasonCodes, 'order');
    if (badCode) return badCode;
    const locked = await deps.locks.withLock(`case:${id}`, async (): Promise<Result<{ c: Case; moved: boolean; phoneAdded: string | null }, CaseFailure>> => {
      const loaded = await load(id, principal);
      if (!loaded.ok) return loaded;
      const c = loaded.value;
      if (input.expectedVersion !== undefined && input.expectedVersion !== c.version) return err('VERSION_CONFLICT', `case is at version ${c.version}, not ${input.expectedVersion}`);
      if (CLOSED.has(c.state)) return err('ILLEGAL_TRANSITION', `the case is '${c.state}': it can no longer be corrected`);
      const now = deps.now();
      const actor = actorOf(principal);
      const before = await patients.findById(c.patientId);
      const p = { ...patientInputOf(before), ...input.patient };
      const patient = input.patient
        ? await patients.findOrCreate({ givenName: p.givenName ?? null, familyName: p.familyName ?? null, birthDate: p.birthDate ?? null, phone: p.phone ?? null, phoneHash: p.phone ? deps.hashPhone(p.phone) : null, language: p.language }, now)
        : before;
      const order = withChanges(c.order, input.order);
      // What staff or a payer asked the office for stays asked: a correction does not answer it.
      const studyChanged = input.order?.modality !== undefined || input.order?.bodyPart !== undefined;
      const missing = [...missingItems(patientInputOf(patient), order), ...c.missing.filter((m) => m.startsWith(REQUESTED) || (m === CHANGED_STUDY && !studyChanged))];
      const fields = [...Object.keys(input.patient ?? {}).map((k) => `patient.${k}`), ...Object.keys(input.order ?? {}).map((k) => `order.${k}`)];
      const entries: CaseHistoryEntry[] = [{ from: c.state, to: c.state, event: 'correct', actor, channel, at: now, reason: `corrected ${fields.join(', ')}: ${input.reason}`.slice(0, 500) }];
      let state = c.state;
      let authorization = {};
      const track = trackFor(order.priority ?? 'routine');
      if (c.state === 'awaiting_documentation' && missing.length === 0) {
        const back = decide(c, 'documentation_received', actor, now, { channel, reason: 'complete after a correction' });
        if (!back.ok) return back;
        const routed = route(missing, order, track, actor, now, channel);
        entries.push(back.value.entry, routed.entry);
        state = routed.state;
        authorization = routed.authorization;
      }
      const set = { order: { ...serviceRequestOf(order, c.order.intent), note: c.order.note }, missing, ...authorization, ...(patient && patient.id !== c.patientId ? { patientId: patient.id } : {}) };
      const saved = await cases.applyTransition(c.id, { state: c.state, version: c.version }, { state, track, entry: entries, now, set });
      if (!saved) return err('VERSION_CONFLICT', 'the case changed meanwhile; try again');
      return ok({ c: saved, moved: state !== c.state, phoneAdded: patient?.phoneHash && patient.phoneHash !== before?.phoneHash ? patient.phoneHash : null });
    });
    if (!locked.ok) return err('CASE_BUSY', locked.error.message);
    if (!locked.value.ok) return locked.value;
    const { c, moved, phoneAdded } = locked.value.value;
    if (phoneAdded) await deps.consent?.noteReferral(phoneAdded, `phone number corrected by staff on case ${c.id}`, deps.now());
    if (moved && c.state === 'ready_to_schedule') await deps.onReady?.(c);
    else if (phoneAdded && c.state === 'ready_to_schedule') await deps.onReachesNewNumber?.(c, phoneAdded);
    return ok(await view(c, principal));
  }

  return { create, get, list, applyEvent, supplyDocumentation, receiveRequestedOrder, declineRequestedOrder, correct };
}
export type CaseService = ReturnType<typeof createCaseService>;
