import type { Case } from '../../../services/cases/case.schema';
import { pickChoice, type Choice } from '../../../services/conversations/outbound-content';
import type { Language } from '../../../services/messaging/templates';
import { slotText } from '../../../services/scheduling/slot-text';
import { mergeWish, parseTimeWish } from '../../../services/scheduling/time-wish';
import { yesNoUnsure } from '../../../services/understanding/rules.engine';
import { step, type Out } from '../../engine/step';
import { fold } from '../../engine/interruptions';
import type { Kit, Steps } from '../kit';
import { SCHEDULABLE_STATES, YES_NO, yesNo } from '../kit';
import type { PatientCtx, Verified } from '../state';
import { examLabel, t } from '../patient.texts';
import { studyOf } from '../../../services/patients/self-service.service';

function rebookChoices(lang: Language): Choice[] {
  return lang === 'es'
    ? [{ value: 'rebook', title: 'Ver nuevos horarios' }, { value: 'cancel', title: 'Cancelar la cita' }, { value: 'withdraw', title: 'Ya no necesito el examen' }]
    : [{ value: 'rebook', title: 'See new times' }, { value: 'cancel', title: 'Cancel the appointment' }, { value: 'withdraw', title: "I don't need the exam anymore" }];
}

/** "i dont need it anymore", "ya no lo necesito": the exam itself is withdrawn, not just the time. */
const WITHDRAW = /\b((do ?n'?t|do not|no longer) need (it|them|the exam|this|the (mri|ct|scan|test|x-?rays?))( \w+)? ?(anymore|any more)?|not needed|no need(?! to)|already (done|had it|got it|did it)|(it'?s|it was|got it) (already )?done|ya no (lo |la |los |las )?(necesito|necesita|necesitamos)|no (lo |la |los |las )?(necesito|necesita)|(cancel\w*|cancel+ it) (altogether|completely|for good|entirely)|por completo|no (quiere|quiero|queremos) (reprogramar|reagendar|otra (cita|hora|fecha))|(doesn'?t|does not) need (it|them|the exam|this)|ya no (me )?(lo |la |los |las )?(voy a )?hacer|ya me (lo|la|los|las) hicieron)\b/;
/** "yes another day", "show me times", "otro dia": new times. */
const REBOOK = /\b(cambi(e|a|ar|ela|emela|amela|armela|enla)|mejor no (la |lo )?cancel\w*|don'?t cancel|instead|new times?|other times?|another (day|time)|different (day|time)|see (the )?times|rebook|reschedul\w*|otr[oa] (dia|hora|fecha)|nuevos horarios|ver (los )?horarios|cambiar(la)? de (dia|hora))\b/;
/** "just cancel it for now, i still need it tho", "solo cancelela": the time goes, the order stays. */
const CANCEL_ONLY = /\b(just )?cancel+(ar|ela|enla|ala)?\b|\b(solo|nada mas) (cancel\w*)\b/;

/**
 * An appointment, once the identity check has passed: C confirms, R offers new times, X asks why and whether to rebook,
 * cancel just the time (the order stays) or withdraw the exam; "anything sooner?" joins the waitlist.
 */
export function createManageFlow(kit: Kit) {
  const { self, site, deps } = kit;

  const steps: Steps<'cancel_reason' | 'cancel_or_rebook' | 'withdraw_confirm'> = {
    // X with no appointment but an order ("I already had it done elsewhere"): the order is closed only on a yes.
    withdraw_confirm: step<PatientCtx, 'yes' | 'no'>({
      prompt: async ({ s, turn }) => {
        const c = await self.findCase(s.caseId!);
        const study = c && studyOf(c);
        return [{ text: t('withdraw_confirm', turn.lang, { exam: study ? examLabel(study, turn.lang) : '' }), choices: YES_NO(turn.lang) }];
      },
      help: ({ turn }) => t('withdraw_confirm_help', turn.lang),
      read: ({ turn }) => {
        const yn = yesNo(turn.text, turn.lang);
        if (yn === 'yes' || WITHDRAW.test(fold(turn.text)) || CANCEL_ONLY.test(fold(turn.text))) return 'yes';
        return yn === 'no' || /\b(keep|guard\w*|mantener)\b/.test(fold(turn.text)) ? 'no' : null;
      },
      next: async ({ conv, s, turn }, yn) => {
        delete conv.patient;
        if (yn === 'no') return [{ text: t('order_kept', turn.lang) }];
        const r = await self.cancel(s.caseId!, s.cancelReason ?? 'patient no longer needs the exam', turn.channel);
        return [{ text: r.ok ? t('order_closed', turn.lang) : t('busy', turn.lang) }];
      },
    }),
    cancel_reason: step<PatientCtx, string>({
      prompt: ({ turn }) => [{ text: t('cancel_reason', turn.lang) }],
      help: ({ turn }) => t('cancel_reason_help', turn.lang),
      freeText: true,
      read: ({ turn }) => (turn.text.trim().length < 2 ? null : turn.text.trim().slice(0, 300)),
      next: async (ctx, reason) => {
        ctx.s.cancelReason = reason;
        return kit.goTo(ctx, 'cancel_or_rebook');
      },
    }),
    cancel_or_rebook: step<PatientCtx, 'rebook' | 'cancel' | 'withdraw'>({
      prompt: ({ turn }) => [{ text: t('cancel_or_rebook', turn.lang), choices: rebookChoices(turn.lang) }],
      help: ({ turn }) => t('cancel_or_rebook_help', turn.lang),
      read: ({ turn }) => {
        const f = fold(turn.text);
        // "ya no la necesita, cancélenla por completo": not needed wins over the word cancel.
        if (WITHDRAW.test(f)) return 'withdraw';
        const i = pickChoice(turn.text, rebookChoices(turn.lang));
        if (i !== null) return (['rebook', 'cancel', 'withdraw'] as const)[i]!;
        // "cancel for now, i'll reschedule after i get out": the cancel is what they ask for now.
        if (CANCEL_ONLY.test(f)) return 'cancel';
        if (REBOOK.test(f)) return 'rebook';
        const yn = yesNoUnsure(turn.text);
        return yn === 'yes' ? 'rebook' : yn === 'no' ? 'cancel' : null;
      },
      next: async (ctx, choice) => {
        const { conv, s, turn } = ctx;
        const c = await self.findCase(s.caseId!);
        if (!c) return [{ text: t('busy', turn.lang) }];
        if (choice === 'rebook') {
          // "cambiemela pa la otra semana": the new times fit what was said with the choice.
          const wish = parseTimeWish(turn.text, deps.now(), site.center.timeZone);
          if (wish) s.wish = mergeWish(s.wish, wish);
          return kit.links.offer(ctx, c, []);
        }
        delete conv.patient;
        if (choice === 'cancel') {
          // The appointment goes; the order, the screening and the authorization stay for a new booking.
          const r = await self.cancelAppointment(c.id, s.cancelReason ?? 'patient cancelled', turn.channel);
          return [{ text: r.ok ? t('cancelled', turn.lang) : t('busy', turn.lang) }];
        }
        const r = await self.cancel(c.id, s.cancelReason ?? 'patient no longer wants the exam', turn.channel);
        return [{ text: r.ok ? t('withdrawn', turn.lang) : t('busy', turn.lang) }];
      },
    }),
  };

  /** The manage flow once we know who this is: their upcoming appointment, then C, R or X. */
  async function afterVerified(ctx: PatientCtx, v: Verified): Promise<Out[]> {
    const { conv, s, turn } = ctx;
    const { lang } = turn;
    const found = await self.verify({ phoneHash: v.phoneHash, birthDate: v.birthDate, name: v.name });
    if (s.manage === 'waitlist') return joinWaitlist(ctx, found.cases);
    const c = found.cases.find((x) => x.appointment !== null && ['scheduled', 'pending_authorization'].includes(x.state));
    if (!c) {
      // "can I rebook my mri?" after a cancelled appointment: the order is still here, so new times.
      const open = s.manage === 'reschedule' ? found.cases.find((x) => x.appointment === null && SCHEDULABLE_STATES.includes(x.state)) : undefined;
      if (open) {
        s.caseId = open.id;
        return kit.links.schedule(ctx, open);
      }
      const order = s.manage === 'cancel' ? found.cases.find((x) => x.appointment === null && studyOf(x)) : undefined;
      if (order) {
        s.caseId = order.id;
        return kit.goTo(ctx, 'withdraw_confirm');
      }
      delete conv.patient;
      return [{ text: t('no_appointment', lang) }];
    }
    s.caseId = c.id;
    await kit.putOnCase(conv, c.id);
    const when = slotText(c.appointment!.start, site, lang);
    if (s.manage === 'confirm') {
      delete conv.patient;
      if (c.appointment!.status === 'pending') return [{ text: `${t('holding_for_you', lang, { when })} ${t('held', lang)}` }];
      const r = await self.confirm(c.id);
      return [{ text: r.ok ? t('confirmed', lang, { when }) : t('busy', lang) }];
    }
    if (s.manage === 'cancel') return kit.goTo(ctx, 'cancel_reason');
    return kit.links.offer(ctx, c, [{ text: t('current_appointment', lang, { when }) }]);
  }

  /** A booked case waits for an earlier time; one still to book waits for any time. */
  async function joinWaitlist({ conv, turn }: PatientCtx, cases: Case[]): Promise<Out[]> {
    const { lang } = turn;
    delete conv.patient;
    const c = cases.find((x) => x.state === 'scheduled' && x.appointment?.status === 'booked') ?? cases.find((x) => SCHEDULABLE_STATES.includes(x.state));
    if (!c) return [{ text: t('no_appointment', lang) }];
    const r = await deps.waitlist.join(c);
    if (!r.ok) return [{ text: r.error.code === 'NOT_YET' ? t('held', lang) : r.error.code === 'HUMAN_TRACK_ONLY' ? t('waitlist_human', lang) : t('no_appointment', lang) }];
    if (r.value.already) return [{ text: t('waitlist_already', lang) }];
    const hold = String(deps.holdMinutes);
    return [{ text: r.value.current ? t('waitlist_joined', lang, { hold, when: slotText(r.value.current, site, lang) }) : t('waitlist_joined_unbooked', lang, { hold }) }];
  }

  return { steps, afterVerified, joinWaitlist };
}
