import { TRANSITIONS } from '../../../services/pipeline/pipeline.transitions';
import { fold } from '../../engine/interruptions';
import type { Out } from '../../engine/step';
import type { Kit } from '../kit';
import { SCHEDULABLE_STATES } from '../kit';
import type { PatientCtx, Verified } from '../state';
import { t } from '../patient.texts';
import { orderLine } from '../status.texts';

/** "did you get my order? when can i come in?": a status check that also asks for a time. */
const ASKS_FOR_TIME = /\b(book|schedule|what (do|did) (you|u|y'?all) (have|got)|asap|as soon as|soonest|earliest|lo mas pronto|(la|lo) (ocupo|necesito)|when can (i|we|she|he) (come|go|get)|come in|what (times|days)|available|openings?|agendar|cuando (puedo|me pueden|podria)|que (horarios|dias)|dar(me)? (una )?cita|sacar (una )?cita)\b/;

/**
 * "Where is my order?" (domain.md §8): the identity check first; then each open order's state in plain words, nothing
 * clinical; an order ready to schedule goes on to its safety questions and times when they asked for a time, and
 * otherwise says how to book it.
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
      if (ready.length > 0 && conv.patient === s && ASKS_FOR_TIME.test(fold(s.opening ?? ''))) {
        // Booking it is the request flow's last part: the order is found, so nothing is asked twice.
        Object.assign(s, { flow: 'request', lookedUp: true });
        const booked = await kit.links.bookFound(ctx, ready);
        if (booked) return [lines, ...booked];
      }
      delete conv.patient;
      // Only a case the pipeline can book now is offered (an order waiting for insurance is held, not offered).
      if (!ready.some((c) => TRANSITIONS.book.from.includes(c.state))) return [lines];
      return [{ text: `${lines.text}\n${t('status_book', turn.lang)}` }];
    },
  };
}
