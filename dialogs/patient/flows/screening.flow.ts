import type { Case } from '../../../services/cases/case.schema';
import { questionsToAsk } from '../../../services/patients/self-service.service';
import type { Answer, ScreeningQuestion } from '../../../services/screening/screening';
import { KIND_OF_QUESTION } from '../../../services/screening/disclosures';
import { step, type Out } from '../../engine/step';
import type { Kit, Steps } from '../kit';
import { YES_NO_UNSURE, yesNo } from '../kit';
import { screeningAnswer } from '../parse';
import type { PatientCtx } from '../state';
import { t } from '../patient.texts';
import { fold } from '../../engine/interruptions';

/** "he's 11 lol", "im a guy", "es una niña de 9 años", "not pregnant": the pregnancy question does not apply. */
const NOT_PREGNANT = /^(not pregnant|no(t)? (i'?m )?not pregnant|n\/?a|not applicable|does ?n'?t apply|no aplica|no estoy embarazada)\b|\b(i'?m|i am|he'?s|he is|soy|es) (a |an |un |una )?(man|male|guy|dude|boy|hombre|varon|nino)\b|\b(he'?s|he is) \d|\b(she'?s|she is|es una nina de|tiene) ([1-9]|1[01])( (years|yrs|anos))?\b|\bes una nina\b/;

/**
 * Safety screening, once per case (domain.md §4): one question per message, the patient's own words kept; its result
 * goes back to scheduling: cleared (times are offered) or held for a technologist.
 */
export function createScreeningFlow(kit: Kit) {
  const { self } = kit;

  /** The questions being asked: the case's still unanswered ones, or those of every case a request just made (once each). */
  async function questionsFor(s: PatientCtx['s'] | undefined) {
    const ids = s?.screening?.caseIds ?? (s?.caseId ? [s.caseId] : []);
    const found = await Promise.all(ids.map((id) => self.findCase(id)));
    const cases = found.filter((c): c is Case => c !== null);
    const questions: ScreeningQuestion[] = [];
    for (const q of cases.flatMap(questionsToAsk)) if (!questions.some((x) => x.id === q.id)) questions.push(q);
    return { c: cases[0] ?? null, cases, questions };
  }

  /** A screening question with its yes / no / not sure choices. */
  const ask = (q: ScreeningQuestion, lang: PatientCtx['turn']['lang']): Out => ({ text: q[lang], choices: YES_NO_UNSURE(lang) });

  // The case is read once per answer: read hands it and its questions on to next.
  type Answered = { answer: Answer; cases: Case[]; questions: ScreeningQuestion[]; q: ScreeningQuestion };
  const steps: Steps<'screening'> = {
    screening: step<PatientCtx, Answered>({
      prompt: async ({ s, turn }) => {
        const q = (await questionsFor(s)).questions[s.screening?.index ?? 0];
        return q ? [ask(q, turn.lang)] : [];
      },
      help: ({ turn }) => t('screening_help', turn.lang),
      read: async ({ conv, s, turn }) => {
        const { cases, questions } = await questionsFor(s);
        const q = questions[s.screening?.index ?? 0];
        if (!q) return null;
        // "yes, a knee replacement and a stent" and "ive had a pacemaker since 2019" answer yes, in the patient's words.
        const kind = KIND_OF_QUESTION[q.id];
        const said = kind !== undefined && (conv.disclosures ?? []).some((d) => d.kind === kind && d.words === turn.text.trim().slice(0, 500));
        const answer = yesNo(turn.text, turn.lang) ?? (q.id === 'pregnancy' && NOT_PREGNANT.test(fold(turn.text)) ? 'no' : null) ?? screeningAnswer(turn.text) ?? (said ? 'yes' : null);
        return answer === null ? null : { answer, cases, questions, q };
      },
      next: async (ctx, { answer, cases, questions, q }) => {
        const { conv, s, turn } = ctx;
        const sc = s.screening!;
        sc.answers[q.id] = answer;
        if (!/^\W*(y|yes|no|n|si|sí|unsure|not sure|no se|no sé)\W*$/i.test(turn.text.trim())) (sc.words ??= {})[q.id] = turn.text.trim().slice(0, 500);
        sc.index++;
        s.fails = 0;
        const nextQ = questions[sc.index];
        if (nextQ) return [ask(nextQ, turn.lang)];
        let held = false;
        let noted = false;
        for (const c of cases) {
          await kit.putOnCase(conv, c.id);
          const r = await self.recordScreening(c.id, sc.answers, kit.verified(conv)?.birthDate ?? s.answers.birthDate ?? null, sc.words ?? {});
          if (!r.ok) return [{ text: t('busy', turn.lang) }];
          held ||= r.value.held;
          noted ||= !r.value.noFlags;
        }
        // Claustrophobia, diabetes, age over 60 with contrast: staff follow up before the visit, and booking goes on.
        const followUp: Out[] = !held && noted ? [{ text: t('screening_follow_up', turn.lang) }] : [];
        // A request screened before its order arrives: said how it stands, then the optional reminders question.
        if (sc.caseIds) return [...followUp, { text: t(held ? 'screening_review' : 'screening_done_request', turn.lang) }, ...(await kit.marketingOrEnd(ctx))];
        if (held) {
          delete conv.patient;
          return [{ text: t('screening_review', turn.lang) }];
        }
        return kit.links.offer(ctx, cases[0]!, followUp);
      },
    }),
  };

  /** The safety questions of a request's new cases, asked before the order arrives so it can be booked at once. */
  async function screenRequest(ctx: PatientCtx, caseIds: string[]): Promise<Out[] | null> {
    ctx.s.screening = { index: 0, answers: {}, caseIds };
    ctx.s.caseId = caseIds[0];
    if ((await questionsFor(ctx.s)).questions.length === 0) {
      delete ctx.s.screening;
      return null;
    }
    return [{ text: t('screening_intro_request', ctx.turn.lang) }, ...(await kit.goTo(ctx, 'screening'))];
  }

  /** A case the patient may book: stat/asap go to a person, then screening (once), then times. */
  async function schedule(ctx: PatientCtx, found: Case): Promise<Out[]> {
    const { conv, s, turn } = ctx;
    // Whatever the patient said earlier in this conversation about their safety holds the booking for review.
    const c = (await kit.putOnCase(conv, found.id)) ?? found;
    if (c.track === 'human') {
      await self.staffTask('schedule_by_phone', c, `Stat/asap case ${c.id}: the patient wants to book; call them to schedule.`);
      delete conv.patient;
      return [{ text: t('human_track', turn.lang) }];
    }
    if (c.screening?.status === 'review') {
      delete conv.patient;
      return [{ text: t('screening_pending', turn.lang) }];
    }
    // Never screened, or screened for a request before its order asked for more (contrast, say): those questions now.
    if (questionsToAsk(c).length > 0) {
      s.screening = { index: 0, answers: {} };
      return [{ text: t('screening_intro', turn.lang) }, ...(await kit.goTo(ctx, 'screening'))];
    }
    if (!c.screening?.answered) {
      const r = await self.recordScreening(c.id, {}, kit.verified(conv)?.birthDate ?? null);
      if (!r.ok) return [{ text: t('busy', turn.lang) }];
    }
    return kit.links.offer(ctx, c, []);
  }

  return { steps, schedule, screenRequest, questionsFor };
}
