import { pickChoice } from '../../../services/conversations/outbound-content';
import { findPhone } from '../../../services/contact/phone';
import { looksLikeQuestion } from '../../../services/faq/faq.topics';
import { Reply, step, type Out } from '../../engine/step';
import { fold } from '../../engine/interruptions';
import type { Kit, Steps } from '../kit';
import { MAX_FAILS } from '../kit';
import { birthDateReadings } from '../parse';
import type { Flow, PatientCtx } from '../state';
import { t, type TextId } from '../patient.texts';

/** The identity check's questions, in the words of the flow that asks ("where is my order?" or an appointment change). */
const ASK: Record<Flow, { phone: TextId; dob: TextId; name: TextId }> = {
  status: { phone: 'status_phone', dob: 'status_dob', name: 'status_name' },
  manage: { phone: 'phone', dob: 'dob', name: 'verify_name' },
  request: { phone: 'phone', dob: 'dob', name: 'verify_name' },
  handoff: { phone: 'handoff_phone', dob: 'handoff_dob', name: 'verify_name' },
};

/**
 * The date of birth in this message, or the question that settles one that reads two ways ("05/11/1979" in a Spanish
 * conversation: May 11 or 5 November), or null when there is no date. Never guessed.
 */
export function readBirthDate(kit: Kit, { s, turn }: PatientCtx): string | Reply | null {
  const choices = (s.dobChoices ?? []).map((d) => ({ value: d, title: kit.dayText(d, turn.lang, true) }));
  // "1", "the first", or the day and month in words ("el 8 de marzo", "march 8th").
  const said = fold(turn.text);
  const byWords = choices.findIndex((c) => [kit.dayText(c.value, 'es'), kit.dayText(c.value, 'en')].some((w) => said.includes(fold(w).toLowerCase())));
  const i = choices.length ? (pickChoice(turn.text, choices) ?? (byWords >= 0 ? byWords : null)) : null;
  if (i !== null) {
    delete s.dobChoices;
    return choices[i]!.value;
  }
  const readings = birthDateReadings(turn.text, kit.deps.now(), turn.lang);
  if (readings.length === 0) return null;
  if (readings.length === 1) {
    delete s.dobChoices;
    return readings[0]!;
  }
  s.dobChoices = readings;
  return new Reply([{ text: t('dob_which', turn.lang), choices: readings.map((d) => ({ value: d, title: kit.dayText(d, turn.lang, true) })) }]);
}

/**
 * The identity check (phone when not on SMS, date of birth, name), one module for appointment changes, order status and
 * rebooking. Its result, a verified patient, goes to the flow that asked; three misses go to a person.
 */
export function createIdentityFlow(kit: Kit) {
  const { self, deps } = kit;
  const steps: Steps<'verify_phone' | 'verify_dob' | 'verify_name'> = {
    verify_phone: step<PatientCtx, string>({
      prompt: ({ s, turn }) => [{ text: t(ASK[s.flow].phone, turn.lang) }],
      help: ({ turn }) => t('phone_help', turn.lang),
      read: ({ turn }) => findPhone(turn.text),
      next: async (ctx, phone) => {
        ctx.s.answers.phone = phone;
        return kit.goTo(ctx, 'verify_dob');
      },
    }),
    verify_dob: step<PatientCtx, string>({
      prompt: ({ s, turn }) => [{ text: t(ASK[s.flow].dob, turn.lang) }],
      help: ({ turn }) => t('dob_help', turn.lang),
      read: (ctx) => readBirthDate(kit, ctx),
      next: async (ctx, dob) => {
        ctx.s.answers.birthDate = dob;
        return kit.goTo(ctx, 'verify_name');
      },
    }),
    verify_name: step<PatientCtx, string>({
      prompt: ({ s, turn }) => [{ text: t(ASK[s.flow].name, turn.lang) }],
      help: ({ turn }) => t('name_help', turn.lang),
      // Any words can be a name, so a question here is never taken for one (nor counted as a failed check).
      freeText: true,
      // "Ximena Galván de los Santos, es mi hija": what follows the name does not make the answer a question.
      read: ({ turn }) => (/[a-z]{2,}/.test(fold(turn.text)) && !/[?¿]/.test(turn.text) && !looksLikeQuestion(turn.text.split(/[,.;]/)[0]!) ? turn.text.trim() : null),
      next: async (ctx, name) => {
        const { conv, s, turn } = ctx;
        const phoneHash = kit.phoneHashOf(ctx);
        const found = phoneHash ? await self.verify({ phoneHash, birthDate: s.answers.birthDate!, name, language: turn.lang }) : { patients: [] };
        // After a handoff the check is optional: one try, and the task stands either way.
        if (found.patients.length === 0 && s.flow === 'handoff') {
          delete conv.patient;
          return [{ text: t('handoff_not_found', turn.lang) }];
        }
        if (found.patients.length === 0) {
          // Three tries; nothing is said about why it did not match, not even whether the number is known.
          s.verifyTries = (s.verifyTries ?? 0) + 1;
          if (s.verifyTries < MAX_FAILS) return [{ text: `${t('verify_failed', turn.lang)} ${t('try_again', turn.lang)}` }, ...(await kit.goTo(ctx, 'verify_dob'))];
          delete conv.patient;
          await turn.handoff(`did not pass the identity check (date of birth and name) for ${s.flow === 'status' ? 'an order status question' : 'an appointment change'}`);
          return [{ text: `${t('verify_failed', turn.lang)} ${t('agent', turn.lang)} ${t('handoff_hours', turn.lang, { phone: kit.centerPhone })}` }];
        }
        conv.verified = { patientIds: found.patients.map((p) => p.id), phoneHash: phoneHash!, birthDate: s.answers.birthDate!, name, at: deps.now().toISOString() };
        return kit.links.identified(ctx, conv.verified);
      },
    }),
  };

  return {
    steps,
    /** The check's first question: the date of birth on SMS (the number is known), else the phone. */
    start(ctx: PatientCtx): Promise<Out[]> {
      return kit.goTo(ctx, ctx.turn.phoneHash ? 'verify_dob' : 'verify_phone');
    },
  };
}
