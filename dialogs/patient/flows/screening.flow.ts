import type { Case } from '../../../services/cases/case.schema';
import { studyOf } from '../../../services/patients/self-service.service';
import type { Answer, ScreeningQuestion } from '../../../services/screening/screening';
import { KIND_OF_QUESTION } from '../../../services/screening/disclosures';
import { step, type Out } from '../../engine/step';
import type { Kit, Steps } from '../kit';
import { YES_NO_UNSURE, yesNo } from '../kit';
import { screeningAnswer } from '../parse';
import type { PatientCtx } from '../state';
import { t } from '../patient.texts';

/**
 * Safety screening, once per case (domain.md §4): one question per message, the patient's own words kept; its result
 * goes back to scheduling: cleared (times are offered) or held for a technologist.
 */
export function createScreeningFlow(kit: Kit) {
  const { self } = kit;

  async function questionsFor(caseId: string | undefined) {
    const c = caseId ? await self.findCase(caseId) : null;
    const study = c && studyOf(c);
    return { c, questions: study ? self.screeningQuestions(study) : [] };
  }

  /** A screening question with its yes / no / not sure choices. */
  const ask = (q: ScreeningQuestion, lang: PatientCtx['turn']['lang']): Out => ({ text: q[lang], choices: YES_NO_UNSURE(lang) });

  // The case is read once per answer: read hands it and its questions on to next.
  type Answered = { answer: Answer; c: Case; questions: ScreeningQuestion[]; q: ScreeningQuestion };
  const steps: Steps<'screening'> = {
    screening: step<PatientCtx, Answered>({
      prompt: async ({ s, turn }) => {
        const q = (await questionsFor(s.caseId)).questions[s.screening?.index ?? 0];
        return q ? [ask(q, turn.lang)] : [];
      },
      help: ({ turn }) => t('screening_help', turn.lang),
      read: async ({ conv, s, turn }) => {
        const { c, questions } = await questionsFor(s.caseId);
        const q = questions[s.screening?.index ?? 0];
        if (!c || !q) return null;
        // "yes, a knee replacement and a stent" and "ive had a pacemaker since 2019" answer yes, in the patient's words.
        const kind = KIND_OF_QUESTION[q.id];
        const said = kind !== undefined && (conv.disclosures ?? []).some((d) => d.kind === kind && d.words === turn.text.trim().slice(0, 500));
        const answer = yesNo(turn.text, turn.lang) ?? screeningAnswer(turn.text) ?? (said ? 'yes' : null);
        return answer === null ? null : { answer, c, questions, q };
      },
      next: async (ctx, { answer, c, questions, q }) => {
        const { conv, s, turn } = ctx;
        s.screening!.answers[q.id] = answer;
        if (!/^\W*(y|yes|no|n|si|sí|unsure|not sure|no se|no sé)\W*$/i.test(turn.text.trim())) (s.screening!.words ??= {})[q.id] = turn.text.trim().slice(0, 500);
        s.screening!.index++;
        s.fails = 0;
        const nextQ = questions[s.screening!.index];
        if (nextQ) return [ask(nextQ, turn.lang)];
        const r = await self.recordScreening(c.id, s.screening!.answers, kit.verified(conv)?.birthDate ?? s.answers.birthDate ?? null, s.screening!.words ?? {});
        if (!r.ok) return [{ text: t('busy', turn.lang) }];
        if (!r.value.noFlags) {
          delete conv.patient;
          return [{ text: t('screening_review', turn.lang) }];
        }
        return kit.links.offer(ctx, c, []);
      },
    }),
  };

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
    if (!c.screening || !c.screening.answered) {
      const study = studyOf(c);
      const questions = study ? self.screeningQuestions(study) : [];
      if (questions.length > 0) {
        s.screening = { index: 0, answers: {} };
        return [{ text: t('screening_intro', turn.lang) }, ...(await kit.goTo(ctx, 'screening'))];
      }
      const r = await self.recordScreening(c.id, {}, kit.verified(conv)?.birthDate ?? null);
      if (!r.ok) return [{ text: t('busy', turn.lang) }];
    }
    return kit.links.offer(ctx, c, []);
  }

  return { steps, schedule, questionsFor };
}
