import { foldAccents } from '../text';
import { newId } from '../ids';
import type { Case, Patient } from '../cases/case.schema';
import { modalityLabel } from '../exams/modality.catalog';
import type { ConversationRefRepository } from '../conversations/conversation-ref.schema';
import type { ProactiveSender } from '../conversations/proactive.service';
import type { ReferrerOrg } from '../referrers/referrer.schema';
import { officeTeamsChat } from '../referrers/office-chat';
import type { TaskInput, TaskRepository } from '../tasks/task.schema';
import type { SiteConfig } from '../config/site.schema';
import { phoneText } from '../messaging/templates';

const TITLE_WORDS = new Set(['dr', 'dra', 'doctor', 'doctora', 'md', 'office', 'clinic', 'clinica', 'consultorio', 'the', 'de', 'del', 'la', 'el', 'and', 'y', 'medical', 'medicine', 'family', 'center', 'group', 'practice']);
const words = (s: string) => foldAccents(s).split(/[^a-z]+/).filter((w) => w.length >= 2 && !TITLE_WORDS.has(w));

/** Every distinctive word of `name` is in what was said ("Lakeside" for "Lakeside Family Medicine"). */
function names(said: ReadonlySet<string>, name: string, minWords: number): boolean {
  const w = words(name);
  return w.length >= minWords && w.every((x) => said.has(x));
}

/**
 * The one organization the patient named: its name, or the full name (given and family) of one of its people. A
 * first name alone, or one shared word, is not enough: a wrong match would send the request to the wrong office.
 */
export function matchReferrer(orgs: ReferrerOrg[], said: string): ReferrerOrg | null {
  const wanted = new Set(words(said));
  if (wanted.size === 0) return null;
  const hits = orgs.filter((o) => names(wanted, o.name, 1) || o.users.some((u) => names(wanted, u.name, 2)));
  return hits.length === 1 ? hits[0]! : null;
}

/** The short number a request goes by (the patient is told it too): the case id's last six characters. */
export const requestNumber = (caseId: string) => caseId.slice(-6).toUpperCase();

export type OrderRequestVia = { via: 'teams'; orgId: string; orgName: string } | { via: 'task'; orgId: string | null; orgName: string | null };

/**
 * Asks the referring provider for an order (qualified → order_requested, domain.md §2): on Teams when the office is
 * known to us and has a conversation with the bot, else a staff task to call or fax. Keyed by the case, so a retry
 * asks once.
 */
export function createOrderRequests(deps: {
  referrers: { list(limit: number): Promise<ReferrerOrg[]>; findById(id: string): Promise<ReferrerOrg | null> };
  refs: ConversationRefRepository;
  proactive: Pick<ProactiveSender, 'send'>;
  tasks: TaskRepository;
  site: SiteConfig;
  now: () => Date;
}) {
  const center = deps.site.center;
  const studyText = (c: Case) => [c.order.code.modality ? modalityLabel(c.order.code.modality, 'en') : 'imaging exam (type not known yet)', c.order.bodySite.text].filter(Boolean).join(', ');
  const who = (patient: Patient) => [
    { label: 'Patient', value: [patient.givenName, patient.familyName].filter(Boolean).join(' ') || 'not given' },
    { label: 'Date of birth', value: patient.birthDate ?? 'not given' },
  ];
  const facts = (c: Case, patient: Patient) => ({
    title: `Order request ${c.id}`,
    facts: [...who(patient), { label: 'Exam', value: studyText(c) }, { label: 'Reason (patient’s words)', value: c.order.reasonText ?? 'not given' }],
  });
  const acceptOrDecline = (c: Case) => [
    { value: `accept ${requestNumber(c.id)}`, title: `Send the order ${requestNumber(c.id)}` },
    { value: `decline ${requestNumber(c.id)}`, title: `Decline ${requestNumber(c.id)}` },
  ];
  /** The office's Teams conversation with the bot, when the organization is linked to a tenant that has one. */
  const teamsOf = (org: ReferrerOrg | null) => officeTeamsChat(deps.refs, org);
  const reached = (r: Awaited<ReturnType<ProactiveSender['send']>>) => r.ok && r.value.outcome !== 'failed' && r.value.outcome !== 'refused';

  return {
    async send(c: Case, patient: Patient, providerSaid: string | null): Promise<OrderRequestVia> {
      const org = providerSaid ? matchReferrer(await deps.referrers.list(1000), providerSaid) : null;
      const study = studyText(c);
      const ref = await teamsOf(org);
      if (org && ref) {
        const sent = await deps.proactive.send({
          to: { conversationId: ref.id },
          content: {
            text: `Order request from ${center.name}: a patient asked us for an exam and named ${providerSaid ?? 'your office'}. Please send the order here (or fax ${phoneText(center.phone)}), or decline it with a reason.`,
            choices: acceptOrDecline(c),
            summary: facts(c, patient),
          },
          purpose: 'care',
          template: 'order_request',
          idempotencyKey: `order-request:${c.id}`,
          caseId: c.id,
          language: 'en',
        });
        if (reached(sent)) return { via: 'teams', orgId: org.id, orgName: org.name };
      }
      const now = deps.now();
      const task: TaskInput = {
        id: newId('t'),
        kind: 'order_follow_up',
        status: 'open',
        dedupeKey: `order_follow_up:${c.id}`,
        summary: `Call or fax ${org?.name ?? providerSaid ?? 'the patient’s provider (not named; call the patient)'} for an order for case ${c.id}: ${study}.`,
        caseId: c.id,
        referrerOrgId: null, // staff call or fax; the office sees nothing until it is asked on Teams
        replyTo: null,
        createdAt: now,
        updatedAt: now,
      };
      await deps.tasks.insert(task);
      return { via: 'task', orgId: org?.id ?? null, orgName: org?.name ?? null };
    },

    /**
     * Reminds the case's office on Teams of the order it was asked for, or of the items still missing; false when the
     * office cannot be reached there (staff then follow up by phone or fax). The key makes a retry send nothing more.
     */
    async remind(c: Case, patient: Patient, what: 'order' | 'documentation', idempotencyKey: string): Promise<boolean> {
      const ref = await teamsOf(c.referrerOrgId ? await deps.referrers.findById(c.referrerOrgId) : null);
      if (!ref) return false;
      const number = requestNumber(c.id);
      const fax = phoneText(center.phone);
      const sent = await deps.proactive.send({
        to: { conversationId: ref.id },
        content:
          what === 'order'
            ? { text: `Reminder from ${center.name}: we still have no order for request ${number}. Please send it here (or fax ${fax}), or decline it with a reason.`, choices: acceptOrDecline(c), summary: facts(c, patient) }
            : {
                text: `Reminder from ${center.name}: order ${number} is still missing: ${c.missing.join(', ')}. We can't schedule the patient until we have it. Reply COMPLETE ${number} to send it here, or fax ${fax}.`,
                choices: [{ value: `complete ${number}`, title: `Send the missing items ${number}` }],
                summary: { title: `Order ${number}`, facts: [...who(patient), { label: 'Exam', value: studyText(c) }, ...(c.missing.length ? [{ label: 'Missing', value: c.missing.join(', ') }] : [])] },
              },
        purpose: 'care',
        template: 'office_reminder',
        idempotencyKey,
        caseId: c.id,
        language: 'en',
      });
      return reached(sent);
    },
  };
}
export type OrderRequests = ReturnType<typeof createOrderRequests>;
