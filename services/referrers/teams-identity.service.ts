import { z } from 'zod';
import { newId } from '../ids';
import type { ConversationRefRepository } from '../conversations/conversation-ref.schema';
import type { ProactiveSender } from '../conversations/proactive.service';
import { err, ok, type Result } from '../result';
import type { Principal } from '../staff/staff.roles';
import { foldAccents } from '../text';
import type { TaskRepository } from '../tasks/task.schema';
import type { ReferrerOrg, ReferrerRepository, ReferrerUser } from './referrer.schema';

export type TeamsIdentity =
  | { kind: 'member'; org: ReferrerOrg; userId: string; officeAdmin: boolean }
  /** A person of a linked tenant not approved yet: sees nothing of the organization. */
  | { kind: 'pending'; org: ReferrerOrg; name: string }
  | { kind: 'unknown_tenant'; tenantId: string }
  | { kind: 'no_tenant' };

export interface TeamsIdentityDeps {
  orgs: ReferrerRepository;
  tasks: TaskRepository;
  now: () => Date;
  /** Tells office admins of a request, and the person once approved, on their Teams chats with the bot. */
  refs?: Pick<ConversationRefRepository, 'list'>;
  proactive?: Pick<ProactiveSender, 'send'>;
}

export const ApproveUserInput = z.object({ officeAdmin: z.boolean().optional() }).strict();

export const enrolmentTaskKey = (orgId: string, userId: string) => `office_enrolment:${orgId}:${userId}`;

export type EnrolmentFailure = 'FORBIDDEN' | 'REFERRER_NOT_FOUND' | 'USER_NOT_FOUND' | 'AMBIGUOUS_NAME';

/**
 * Maps a Teams user (Azure AD tenant and object id) to a referring organization and one of its people. The tenant is
 * what staff register; each person of a registered tenant is enrolled on their own: the first time they write they
 * are recorded as pending, staff get a task and the office's admins a message, and they see nothing until an office
 * admin (in the chat) or center staff (the API) approves them. An unknown tenant gets one staff task, never access.
 */
export function createTeamsIdentity(deps: TeamsIdentityDeps) {
  /** A message to one person of the office, in the organization's language. */
  async function tell(org: ReferrerOrg, user: ReferrerUser, key: string, text: Record<ReferrerOrg['language'], string>): Promise<void> {
    if (!deps.refs || !deps.proactive || !user.aadObjectId) return;
    const ref = (await deps.refs.list({ channel: 'msteams', personKey: `aad:${user.aadObjectId}` }, 1))[0];
    if (ref) await deps.proactive.send({ to: { conversationId: ref.id }, content: { text: text[org.language] }, purpose: 'care', template: 'office_enrolment', idempotencyKey: key, caseId: null, language: org.language });
  }

  async function requested(org: ReferrerOrg, user: ReferrerUser): Promise<void> {
    const now = deps.now();
    await deps.tasks.insert({
      id: newId('t'),
      kind: 'office_enrolment',
      status: 'open',
      dedupeKey: enrolmentTaskKey(org.id, user.id),
      summary: `${user.name} (Microsoft Teams) asks to see and send ${org.name}'s orders. Approve with POST /api/v1/referrers/${org.id}/users/${user.id}/approve if they work there, or ask the office.`,
      caseId: null,
      referrerOrgId: org.id,
      replyTo: null,
      createdAt: now,
      updatedAt: now,
    });
    for (const admin of org.users.filter((u) => u.officeAdmin && u.status === 'active')) {
      await tell(org, admin, `enrolment-request:${org.id}:${user.id}:${admin.id}`, {
        en: `${user.name} asks to see and send ${org.name}'s orders with us here. If they work with you, reply APPROVE ${user.name}.`,
        es: `${user.name} pide ver y enviar aquí las órdenes de ${org.name}. Si trabaja con ustedes, responda APROBAR ${user.name}.`,
      });
    }
  }

  /** Approves one pending person: active from their next message; the task is done and they are told. */
  async function activate(org: ReferrerOrg, user: ReferrerUser, officeAdmin: boolean): Promise<ReferrerOrg> {
    const saved = await deps.orgs.updateUser(org.id, user.id, { status: 'active', ...(officeAdmin ? { officeAdmin: true } : {}) });
    if (!saved) throw new Error(`user ${user.id} left organization ${org.id} while being approved`);
    await deps.tasks.close(enrolmentTaskKey(org.id, user.id), deps.now());
    if (user.status === 'pending')
      await tell(org, user, `enrolment-approved:${org.id}:${user.id}`, {
        en: `You're approved: you can now send and follow ${org.name}'s imaging orders here. Say MENU to start.`,
        es: `Ya tiene acceso: puede enviar y seguir aquí las órdenes de imágenes de ${org.name}. Escriba HOLA para empezar.`,
      });
    return saved;
  }

  return {
    async identify(who: { tenantId: string | null; aadObjectId: string | null; name: string | null }): Promise<TeamsIdentity> {
      if (!who.tenantId) return { kind: 'no_tenant' };
      const org = await deps.orgs.findByTenant(who.tenantId);
      if (!org) {
        const now = deps.now();
        await deps.tasks.insert({
          id: newId('t'),
          kind: 'unknown_teams_tenant',
          status: 'open',
          dedupeKey: `unknown_teams_tenant:${who.tenantId}`,
          summary: `Someone wrote from Microsoft Teams tenant ${who.tenantId}, which is not linked to a referring organization. Link it (npm run cli -- referrer create --tenant ${who.tenantId}) or contact them.`,
          caseId: null,
          referrerOrgId: null,
          replyTo: null,
          createdAt: now,
          updatedAt: now,
        });
        return { kind: 'unknown_tenant', tenantId: who.tenantId };
      }
      // Without an Azure AD object id there is no person to enrol, so nobody to show the organization's orders to.
      if (!who.aadObjectId) return { kind: 'pending', org, name: who.name?.trim() || 'Teams user' };
      const known = org.users.find((u) => u.aadObjectId === who.aadObjectId);
      if (known) return known.status === 'active' ? { kind: 'member', org, userId: known.id, officeAdmin: known.officeAdmin } : { kind: 'pending', org, name: known.name };
      const user: ReferrerUser = { id: newId('u', 16), name: who.name?.trim() || 'Teams user', email: null, aadObjectId: who.aadObjectId, status: 'pending', officeAdmin: false };
      const added = await deps.orgs.addUser(org.id, user);
      const stored = added?.users.find((u) => u.aadObjectId === who.aadObjectId) ?? user;
      if (stored.status === 'pending') await requested(added ?? org, stored);
      return stored.status === 'active' ? { kind: 'member', org: added ?? org, userId: stored.id, officeAdmin: stored.officeAdmin } : { kind: 'pending', org: added ?? org, name: stored.name };
    },

    /** Center staff approve a person (admin, coordinator), optionally as the office's admin. */
    async approve(orgId: string, userId: string, input: { officeAdmin?: boolean }, principal: Principal): Promise<Result<ReferrerOrg, EnrolmentFailure>> {
      if (principal.role !== 'admin' && principal.role !== 'coordinator') return err('FORBIDDEN', `role '${principal.role}' may not approve office users`);
      const org = await deps.orgs.findById(orgId);
      if (!org) return err('REFERRER_NOT_FOUND', `no referring organization with id '${orgId}'`);
      const user = org.users.find((u) => u.id === userId);
      if (!user) return err('USER_NOT_FOUND', `no user '${userId}' in organization '${orgId}'`);
      return ok(await activate(org, user, input.officeAdmin === true));
    },

    /** An office admin approves one of the office's pending people by name, in the chat. */
    async approveByName(principal: Principal, name: string): Promise<Result<ReferrerUser, EnrolmentFailure>> {
      const org = principal.referrerOrgId ? await deps.orgs.findById(principal.referrerOrgId) : null;
      const me = org?.users.find((u) => u.id === principal.id);
      if (!org || !me?.officeAdmin || me.status !== 'active') return err('FORBIDDEN', 'only an admin of the office may approve its people');
      const wanted = foldAccents(name).replace(/\s+/g, ' ').trim();
      const hits = org.users.filter((u) => u.status === 'pending' && foldAccents(u.name).replace(/\s+/g, ' ').trim() === wanted);
      if (hits.length === 0) return err('USER_NOT_FOUND', `nobody named ${name} is waiting for approval`);
      if (hits.length > 1) return err('AMBIGUOUS_NAME', `more than one person named ${name} is waiting: ask us to approve the right one`);
      await activate(org, hits[0]!, false);
      return ok(hits[0]!);
    },
  };
}
export type TeamsIdentityService = ReturnType<typeof createTeamsIdentity>;
