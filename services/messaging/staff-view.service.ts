import { z } from 'zod';
import { ConsentSource, Purpose, type ConsentRecord, type ConsentRepository } from '../consent/consent.schema';
import type { ConsentService } from '../consent/consent.service';
import { normalizePhone } from '../contact/phone';
import { text } from '../orders/order.schema';
import { err, ok, type Result } from '../result';
import type { Principal, Role } from '../staff/staff.roles';
import type { MessageRepository } from './message.schema';

const READ_MESSAGES: ReadonlySet<Role> = new Set(['admin', 'coordinator', 'scheduler']);
const READ_CONSENT: ReadonlySet<Role> = new Set(['admin', 'coordinator', 'scheduler', 'marketing']);
const WRITE_CONSENT: ReadonlySet<Role> = new Set(['admin', 'coordinator', 'marketing']);

export const ListMessagesInput = z
  .object({
    phone: z.string().max(32).optional(),
    caseId: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict()
  .refine((q) => q.phone !== undefined || q.caseId !== undefined, { message: 'give phone or caseId', path: ['phone'] });

/** Staff-recorded consent needs its evidence (the form version, the call note): domain.md §6. */
export const PutConsentInput = z
  .object({
    status: z.enum(['granted', 'revoked']),
    evidence: text(1600),
    source: ConsentSource.extract(['staff', 'web_form', 'referral']).default('staff'),
  })
  .strict();

type Failure = 'FORBIDDEN' | 'INVALID_INPUT';

function phoneOrFail(raw: string): Result<string, Failure> {
  const phone = normalizePhone(raw);
  return phone ? ok(phone) : err('INVALID_INPUT', 'phone: must be a phone number in E.164 form or 10 US digits', [{ field: 'phone', message: 'must be a phone number' }]);
}

/** What staff see of messages and consent: every message with its status history, consent with its history. */
export function createMessagingStaffService(deps: {
  messages: MessageRepository;
  consents: ConsentRepository;
  consent: ConsentService;
  hashPhone: (e164: string) => string;
  now: () => Date;
}) {
  // Evidence quotes the person ("stop, my biopsy came back…") and names cases and staff: marketing sees what changed and when.
  const view = (phone: string, recs: Record<Purpose, ConsentRecord | null>, principal: Principal) => ({
    phone,
    purposes: Object.fromEntries(
      Purpose.options.map((p) => {
        const history = recs[p]?.history ?? [];
        const shown = principal.role === 'marketing' ? history.map(({ status, source, receivedAt, effectiveAt }) => ({ status, source, receivedAt, effectiveAt })) : history;
        return [p, { status: recs[p]?.status ?? 'unknown', history: shown }];
      }),
    ),
  });

  return {
    async listMessages(q: z.infer<typeof ListMessagesInput>, principal: Principal) {
      if (!READ_MESSAGES.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not read messages`);
      let phoneHash: string | undefined;
      if (q.phone !== undefined) {
        const p = phoneOrFail(q.phone);
        if (!p.ok) return p;
        phoneHash = deps.hashPhone(p.value);
      }
      const items = await deps.messages.list({ ...(phoneHash ? { phoneHash } : {}), ...(q.caseId ? { caseId: q.caseId } : {}) }, q.limit);
      return ok({
        items: items.map((m) => ({
          id: m.id,
          direction: m.direction,
          body: m.body,
          purpose: m.purpose,
          template: m.template,
          status: m.status,
          statusHistory: m.statusHistory,
          reason: m.reason,
          errorCode: m.errorCode,
          twilioSid: m.twilioSid,
          caseId: m.caseId,
          createdAt: m.createdAt,
        })),
      });
    },

    async getConsent(rawPhone: string, principal: Principal) {
      if (!READ_CONSENT.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not read consent`);
      const p = phoneOrFail(rawPhone);
      if (!p.ok) return p;
      return ok(view(p.value, await deps.consents.get(deps.hashPhone(p.value)), principal));
    },

    async putConsent(rawPhone: string, purpose: Purpose, input: z.infer<typeof PutConsentInput>, principal: Principal) {
      if (!WRITE_CONSENT.has(principal.role)) return err('FORBIDDEN', `role '${principal.role}' may not record consent`);
      if (principal.role === 'marketing' && purpose !== 'marketing') return err('FORBIDDEN', "role 'marketing' may record marketing consent only");
      const p = phoneOrFail(rawPhone);
      if (!p.ok) return p;
      const hash = deps.hashPhone(p.value);
      await deps.consent.set(hash, purpose, input.status, input.source, `${input.evidence} (recorded by staff:${principal.id})`, deps.now());
      return ok(view(p.value, await deps.consents.get(hash), principal));
    },
  };
}
export type MessagingStaffService = ReturnType<typeof createMessagingStaffService>;
