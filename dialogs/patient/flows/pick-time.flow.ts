import { DateTime } from 'luxon';
import type { Case } from '../../../services/cases/case.schema';
import { pickChoice } from '../../../services/conversations/outbound-content';
import type { Language } from '../../../services/messaging/templates';
import { studyOf } from '../../../services/patients/self-service.service';
import { prepMessage } from '../../../services/scheduling/prep';
import { FASTING_MORNING_HOURS } from '../../../services/scheduling/scheduling.service';
import { fastingHours } from '../../../services/scheduling/study';
import type { Slot } from '../../../services/scheduling/scheduling.service';
import { placeText, slotText } from '../../../services/scheduling/slot-text';
import { phoneText } from '../../../services/messaging/templates';
import { fitsWish, mergeWish, parseTimeWish, weekdayNamed } from '../../../services/scheduling/time-wish';
import { WAITLIST_NAMED } from '../../../services/understanding/rules.engine';
import { fold } from '../../engine/interruptions';
import { Reply, step, type Out } from '../../engine/step';
import type { Kit, Steps } from '../kit';
import { manageActions } from '../kit';
import type { PatientCtx, PatientDialogState } from '../state';
import { examLabel, t } from '../patient.texts';

const ANY_TIME = /\b(any ?time|whenever|no preference|doesn'?t matter|does not matter|any day|either|cualquier (dia|hora|momento)|cuando sea|no importa|me da igual|lo que sea)\b/;
/** "whatever you have", "any of those", "cualquiera": the first time offered will do. */
const FIRST_WILL_DO = /\b(whatever (you have|you got|works|is open|is first|is available)|any (of (them|those)|one|is fine|will do)|whichever|first available|cualquiera|el que sea|la que sea|el que tenga|la que tenga)\b/;
/** "ahorita no, luego les llamo", "not now, i'll call to book": no time now; the order stays for later. */
const LATER = /\b(not (right )?now|not yet|later|maybe later|i'?ll (call|book|schedule|text|get back)|get back to you|after i (talk|check|speak)|check (her|his|my|our|the) calendar|ahorita no|ahora no|luego (les |le )?(llamo|escribo|aviso)|despues (les |le )?(llamo|escribo|aviso)|mas tarde|otro dia (les |le )?(llamo|escribo))\b/;
const REFUSAL = /\b(none|neither|no good|(doesn'?t|don'?t|do not|won'?t) work|can'?t make|ninguno|ninguna|no me (sirve|sirven|queda|quedan))\b/;

/**
 * Picking a time: the offered times by number, ordinal, clock time or button; a refusal with a wish ("none of those
 * work, im at work til 5", "not tuesday") offers times that fit; dates past the horizon are said so; then the booking.
 */
export function createPickTimeFlow(kit: Kit) {
  const { self, site, deps } = kit;

  /** "the 2nd one", "la segunda", "the last one", "the 7:45 one", "1pm": which offered time. */
  function pickOffered(text: string, offered: Array<{ start: string }>): number | null {
    const f = fold(text);
    const ordinals: Array<[RegExp, number]> = [
      [/\b(1st|first|primer[oa]?|la uno|el uno|earliest|soonest|mas temprano|mas pronto)\b/, 0],
      [/\b(2nd|second|segund[oa]|la dos|el dos)\b/, 1],
      [/\b(3rd|third|tercer[oa]?|la tres|el tres)\b/, 2],
      [/\b(last|latest|ultim[oa]|mas tarde)\b/, offered.length - 1],
    ];
    for (const [re, i] of ordinals) if (re.test(f) && i >= 0 && i < offered.length) return i;
    const local = offered.map((o) => DateTime.fromISO(o.start, { zone: site.center.timeZone }));
    // "the tuesday one", "el del jueves": the time offered on that day (the earliest, when every time is that day).
    const day = weekdayNamed(f);
    if (day !== null && /\b(one|that|el del|la del|ese|esa)\b/.test(f)) {
      const onDay = local.flatMap((d, n) => (d.weekday === day ? [n] : []));
      if (onDay.length === 1 || (onDay.length > 1 && onDay.length === local.length)) return onDay[0]!;
    }
    const m = clockNamed(f);
    if (!m) return null;
    const hit = local.findIndex((d) => {
      const h12 = d.hour % 12 || 12;
      if (m.hour !== h12 && m.hour !== d.hour) return false;
      if (m.minute !== d.minute) return false;
      return m.pm === null || m.pm === d.hour >= 12;
    });
    return hit >= 0 ? hit : null;
  }

  /** "the 7:45 one", "1pm": a clock time (with minutes or am/pm, so "the 2nd one" is none). */
  function clockNamed(f: string): { hour: number; minute: number; pm: boolean | null } | null {
    const m = /\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b/.exec(f);
    if (!m || (!m[2] && !m[3])) return null;
    return { hour: Number(m[1]), minute: m[2] ? Number(m[2]) : 0, pm: m[3] ? m[3] === 'pm' : null };
  }

  function offerContent(s: PatientDialogState, lang: Language): Out {
    return {
      text: t('slots', lang),
      choices: (s.offered ?? []).map((o, i) => ({ value: String(i + 1), title: slotText(new Date(o.start), site, lang) })),
      smsFooter: t('slots_help', lang),
    };
  }

  type Pick = { pick: number } | { wish: true } | { beyond: true } | { later: true } | { waitlist: true };
  const steps: Steps<'pick_slot'> = {
    pick_slot: step<PatientCtx, Pick>({
      prompt: ({ s, turn }) => [offerContent(s, turn.lang)],
      help: ({ turn }) => t('slots_help', turn.lang),
      read: ({ s, turn }) => {
        const offered = s.offered ?? [];
        const wish = parseTimeWish(turn.text, deps.now(), site.center.timeZone);
        const i = pickChoice(turn.text, offered.map((o, n) => ({ value: String(n + 1), title: slotText(new Date(o.start), site, turn.lang) }))) ?? pickOffered(turn.text, offered);
        // "the first one on tuesday afternoon": the pick counts only when that time fits what they also said.
        const fits = (n: number) => !wish || fitsWish(mergeWish(s.wish, wish), new Date(offered[n]!.start), 0, site.center.timeZone);
        const f = fold(turn.text);
        // "none of those work, put me on the waiting list", "apúnteme en la lista de espera… algo más pronto": no pick.
        if (WAITLIST_NAMED.test(f) && (i === null || REFUSAL.test(f) || /\b(mas pronto|mas temprano|earliest|soonest)\b/.test(f))) return { waitlist: true };
        if (i !== null && fits(i)) return { pick: i };
        // "whatever you have", "whichever is first that's not a monday": the first offered time that fits.
        const first = FIRST_WILL_DO.test(f) ? offered.findIndex((_, n) => fits(n)) : -1;
        if (first >= 0) return { pick: first };
        // "none of those work, im at work til 5", "not tuesday", "thursday evening", "next week": times that fit.
        const dates = turn.understanding.fields.preferredTimes.map((x) => x.slice(0, 10));
        if (dates.some((d) => d > kit.horizonDate())) return { beyond: true };
        if (wish) s.wish = mergeWish(s.wish, wish);
        // "the 1:45 one if you have it": not offered, so times from about then (1–6 without am/pm read as afternoon).
        const clock = clockNamed(f);
        if (clock) {
          const h = clock.pm === true && clock.hour < 12 ? clock.hour + 12 : clock.pm === null && clock.hour >= 1 && clock.hour <= 6 ? clock.hour + 12 : clock.hour;
          const after = Math.max(s.wish?.after ?? 0, h * 60 + clock.minute - 30);
          s.wish = mergeWish(s.wish, { days: [], notDays: [], after, before: null, from: null });
          return { wish: true };
        }
        if (dates.length) s.answers.preferredDates = dates;
        if (wish || dates.length) return { wish: true };

        if (LATER.test(f) && !wish) return { later: true };
        if (REFUSAL.test(f)) return new Reply([{ text: t('ask_when', turn.lang) }]);
        // "whenever honestly", "cualquier día": the earliest times are the ones shown.
        if (ANY_TIME.test(f)) return new Reply([{ text: t('any_time', turn.lang) }, offerContent(s, turn.lang)]);
        return null;
      },
      next: async (ctx, v) => {
        if ('pick' in v) return book(ctx, ctx.s.offered![v.pick]!);
        if ('later' in v) {
          delete ctx.conv.patient;
          return [{ text: t('book_later', ctx.turn.lang) }];
        }
        const c = await self.findCase(ctx.s.caseId!);
        if (!c) return [{ text: t('busy', ctx.turn.lang) }];
        if ('waitlist' in v) return kit.links.waitlist(ctx, [c]);
        const lead = 'beyond' in v ? [{ text: t('beyond_horizon', ctx.turn.lang, { until: kit.dayText(kit.horizonDate(), ctx.turn.lang) }) }] : [];
        return offer(ctx, c, lead);
      },
    }),
  };

  /** Open times that fit what the patient said; none at all goes to a person who calls them. */
  async function offer(ctx: PatientCtx, c: Case, lead: Out[]): Promise<Out[]> {
    const { conv, s, turn } = ctx;
    // An approval that ended: not bookable until renewed (the office is asked, a booked time held).
    const expired = await self.lapseAuthorization(c.id, turn.channel);
    if (expired) {
      if (conv.patient === s) delete conv.patient;
      return [...lead, { text: expiredText(expired, turn.lang) }];
    }
    let slots: Slot[] = await self.offer(c, s.answers.preferredDates, s.wish ?? null);
    const study = studyOf(c);
    if (slots.length === 0 && s.wish && study && s.wish.after !== null && s.wish.after >= 12 * 60 && fastingHours(site, study) >= FASTING_MORNING_HOURS) {
      // "tuesday afternoon" for a fasting ultrasound: said why it is mornings, with mornings on the days they named.
      s.wish = { ...s.wish, after: null, before: null };
      slots = await self.offer(c, s.answers.preferredDates, s.wish);
      if (slots.length) lead = [...lead, { text: t('morning_only', turn.lang) }];
    }
    if (slots.length === 0 && s.wish) {
      // Nothing fits what they asked for: said so, with the closest times there are.
      delete s.wish;
      slots = await self.offer(c, s.answers.preferredDates);
      if (slots.length) lead = [...lead, { text: t('no_fit', turn.lang) }];
    }
    if (slots.length === 0) {
      await self.staffTask('schedule_by_phone', c, `No open time fits case ${c.id} in the next 4 weeks; call the patient to schedule.`);
      if (conv.patient === s) delete conv.patient;
      return [...lead, { text: t('no_slots', turn.lang) }];
    }
    s.offered = slots.map((x) => ({ scannerId: x.scannerId, start: x.start.toISOString() }));
    s.step = 'pick_slot';
    s.fails = 0;
    return [...lead, offerContent(s, turn.lang)];
  }

  function expiredText(c: Case, lang: Language): string {
    const until = kit.dayText(c.authorization!.validTo!, lang);
    const held = c.appointment && c.appointment.start > deps.now() ? t('authorization_held', lang, { when: slotText(c.appointment.start, site, lang) }) : '';
    return t('authorization_expired', lang, { until, held, phone: phoneText(site.center.phone) });
  }

  async function book(ctx: PatientCtx, pick: { scannerId: string; start: string }): Promise<Out[]> {
    const { conv, s, turn } = ctx;
    const { lang } = turn;
    const r = await self.book(s.caseId!, { scannerId: pick.scannerId, start: new Date(pick.start) }, turn.channel, s.cancelReason ? `patient asked for a new time: ${s.cancelReason}` : undefined);
    if (!r.ok) {
      const c = await self.findCase(s.caseId!);
      if (c && (r.error.code === 'SLOT_TAKEN' || r.error.code === 'SLOT_INVALID')) return offer(ctx, c, [{ text: t('slot_taken', lang) }]);
      if (c && r.error.code === 'HUMAN_TRACK_ONLY') return kit.links.schedule(ctx, c);
      if (c && r.error.code === 'OUTSIDE_AUTHORIZATION') return offer(ctx, c, [{ text: t('outside_authorization', lang, { until: kit.dayText(c.authorization!.validTo!, lang) }) }]);
      if (c && r.error.code === 'AUTHORIZATION_EXPIRED') return offer(ctx, c, []);
      return [{ text: t('busy', lang) }];
    }
    delete conv.patient;
    const when = slotText(r.value.appointment.start, site, lang);
    const where = placeText(site);
    if (r.value.held) return [{ text: `${t('holding', lang, { when, where })} ${t('held', lang)}` }];
    const study = studyOf(r.value.case)!;
    const rescheduled = s.flow === 'manage';
    return [
      {
        text: t(rescheduled ? 'booked_moved' : 'booked', lang, { when, where }),
        // Chats show the booking as a card; SMS carries no study (domain.md §6, minimum content).
        summary: turn.channel === 'sms' ? null : {
          title: t('booking_card_title', lang),
          facts: [
            { label: t('booking_when', lang), value: when },
            { label: t('booking_where', lang), value: where },
            { label: t('booking_exam', lang), value: examLabel({ modality: study.modality, bodyPart: study.bodyPart }, lang) },
          ],
          actions: manageActions(lang),
        },
      },
      { text: `${t('prep_heading', lang)}: ${prepMessage(site, study, lang)}` },
      // On SMS the letters are the way to answer; chats have the card's buttons.
      ...(turn.channel === 'sms' ? [{ text: t('manage_choices', lang) }] : []),
      // A first booking asks the optional reminders question once, as a request does.
      ...(rescheduled ? [] : await kit.marketingOrEnd(ctx)),
    ];
  }

  return { steps, offer };
}
