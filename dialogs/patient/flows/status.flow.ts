import type { Out } from '../../engine/step';
import type { Kit } from '../kit';
import { SCHEDULABLE_STATES } from '../kit';
import type { PatientCtx, Verified } from '../state';
import { t } from '../patient.texts';
import { orderLine } from '../status.texts';

/**
 * "Where is my order?" (domain.md §8): the identity check first; then each open order's state in plain words, nothing
 * clinical; an order ready to schedule goes straight on to its safety questions and times ("what do you have?").
 */
export function createStatusFlow(kit: Kit) {
  return {
    async identified(ctx: PatientCtx, v: Verified): Promise<Out[]> {
      const { conv, s, turn } = ctx;
      const r = await kit.deps.orderStatus.describe({ phoneHash: v.phoneHash, birthDate: v.birthDate, familyName: v.name });
      if (!r.ok || r.value.length === 0) {
        delete conv.patient;
        return [{ text: t('status_none', turn.lang) }];
      }
      const lines = { text: r.value.map((o) => orderLine(o, turn.lang, kit.site.center.timeZone)).join('\n') };
      const { cases } = await kit.self.verify({ phoneHash: v.phoneHash, birthDate: v.birthDate, name: v.name });
      const ready = cases.filter((c) => SCHEDULABLE_STATES.includes(c.state));
      if (ready.length > 0 && conv.patient === s) {
        // Booking it is the request flow's last part: the order is found, so nothing is asked twice.
        Object.assign(s, { flow: 'request', lookedUp: true });
        const booked = await kit.links.bookFound(ctx, ready);
        if (booked) return [lines, ...booked];
      }
      delete conv.patient;
      return [lines];
    },
  };
}
