import { MemoryStorage } from 'botbuilder';
import type { ConversationPorts, ConversationRepositories } from '../../../bot/conversations.wiring';
import { MemoryCampaigns } from './campaigns.memory';
import { MemoryCases, MemoryPatients } from './cases.memory';
import { memoryLocks, memorySmsStore, recordedQueues, recordingChatSender, recordingTransport } from './infra.memory';
import { MemoryConsents, MemoryConversationRefs, MemoryMessages } from './messaging.memory';
import { MemoryAppointments, MemoryWaitlist } from './scheduling.memory';
import { MemoryOfficeNotices, MemoryOfficeSessions, MemoryReferrerInvites, MemoryReferrers, MemoryTasks } from './staff.memory';

export { MemoryCases, MemoryPatients, MemoryConsents, MemoryConversationRefs, MemoryMessages, MemoryAppointments, MemoryWaitlist, MemoryReferrerInvites, MemoryReferrers, MemoryTasks, MemoryCampaigns, MemoryOfficeNotices, MemoryOfficeSessions };

/** Every port of the conversation stack in memory; the concrete stores are returned too, for assertions. */
export function memoryPorts() {
  const cases = new MemoryCases();
  const patients = new MemoryPatients();
  const messages = new MemoryMessages();
  const stores = {
    cases,
    patients,
    messages,
    consents: new MemoryConsents(),
    referrers: new MemoryReferrers(),
    conversationRefs: new MemoryConversationRefs(),
    tasks: new MemoryTasks(),
    appointments: new MemoryAppointments(),
    referrerInvites: new MemoryReferrerInvites(),
    campaigns: new MemoryCampaigns({ cases, patients, messages }),
    waitlist: new MemoryWaitlist(),
    officeNotices: new MemoryOfficeNotices(),
    officeSessions: new MemoryOfficeSessions(),
    // botbuilder's own: eTags honoured, `*` overwrites, items stored as JSON (as our Mongo storage does).
    botState: new MemoryStorage(),
  } satisfies ConversationRepositories;
  const queues = recordedQueues();
  const transport = recordingTransport();
  const chatSender = recordingChatSender();
  const ports: ConversationPorts = {
    repos: stores,
    locks: memoryLocks(5_000),
    turnQueue: memoryLocks(30_000),
    smsTurnLocks: memoryLocks(30_000),
    smsStore: memorySmsStore(),
    redisPrefix: 'fast:',
    ...queues.ports,
    transport,
    chatSender,
  };
  return { ports, stores, queues, transport, chatSender };
}
export type MemoryPorts = ReturnType<typeof memoryPorts>;
