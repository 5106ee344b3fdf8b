import type { Connection } from 'mongoose';
import { createMongoStorage } from './bot-state.storage';
import { createCaseRepository } from './case.repository';
import { createConsentRepository } from './consent.repository';
import { createMessageRepository } from './message.repository';
import { createPatientRepository } from './patient.repository';
import { createReferrerRepository } from './referrer.repository';
import { createStaffTokenRepository } from './staff-token.repository';
import { createConversationRefRepository } from './conversation-ref.repository';
import { createTaskRepository } from './task.repository';
import { createAppointmentRepository } from './appointment.repository';
import { createReferrerInviteRepository } from './referrer-invite.repository';
import { createCampaignRepository } from './campaign.repository';
import { createWaitlistRepository } from './waitlist.repository';
import { createOfficeNoticeRepository } from './office-notice.repository';
import { createOfficeSessionRepository } from './office-session.repository';
import { createDocumentRepository } from './document.repository';
import { createIdempotencyRepository } from './idempotency.repository';
import { createAuditRepository } from './audit.repository';

/** Every repository on one connection, and one call that declares all their indexes. */
export function createRepositories(conn: Connection) {
  const repos = {
    cases: createCaseRepository(conn),
    consents: createConsentRepository(conn),
    messages: createMessageRepository(conn),
    patients: createPatientRepository(conn),
    referrers: createReferrerRepository(conn),
    staffTokens: createStaffTokenRepository(conn),
    botState: createMongoStorage(conn),
    conversationRefs: createConversationRefRepository(conn),
    tasks: createTaskRepository(conn),
    appointments: createAppointmentRepository(conn),
    referrerInvites: createReferrerInviteRepository(conn),
    campaigns: createCampaignRepository(conn),
    waitlist: createWaitlistRepository(conn),
    officeNotices: createOfficeNoticeRepository(conn),
    officeSessions: createOfficeSessionRepository(conn),
    documents: createDocumentRepository(conn),
    idempotency: createIdempotencyRepository(conn),
    audit: createAuditRepository(conn),
  };
  return {
    ...repos,
    async ensureIndexes() {
      for (const r of Object.values(repos)) await r.ensureIndexes();
    },
  };
}
export type Repositories = ReturnType<typeof createRepositories>;
