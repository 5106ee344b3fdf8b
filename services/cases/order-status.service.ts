import { DateTime } from 'luxon';
import { verifiedPatients } from './identity';
import type { CaseState } from '../pipeline/pipeline.states';
import { err, ok, type Result } from '../result';
import type { CaseRepository, PatientRepository } from './case.ports';

type Language = 'en' | 'es';

/** Each state in plain words, with no clinical content: SMS never carries the study, body part, results or insurance. */
const STATE_WORDS: Record<CaseState, Record<Language, string>> = {
  lead: { en: 'we have your request and will contact you to set it up', es: 'tenemos su solicitud y lo contactaremos para prepararla' },
  qualified: { en: 'we have your details and are preparing your exam request', es: 'tenemos sus datos y estamos preparando su solicitud' },
  order_requested: { en: "we asked your doctor's office for the order and are waiting for it", es: 'pedimos la orden al consultorio de su médico y estamos esperándola' },
  received: { en: 'we received the order and are reviewing it', es: 'recibimos la orden y la estamos revisando' },
  awaiting_documentation: { en: "we are waiting for some paperwork from your doctor's office", es: 'estamos esperando unos documentos del consultorio de su médico' },
  pending_authorization: { en: 'we are waiting for your insurance to approve the exam', es: 'estamos esperando que su seguro apruebe el examen' },
  ready_to_schedule: { en: 'it is ready to schedule', es: 'está lista para agendar' },
  scheduled: { en: 'your appointment is booked', es: 'su cita está agendada' },
  checked_in: { en: 'you are checked in', es: 'usted ya se registró' },
  imaging_completed: { en: 'your exam is done and the radiologist is reading it', es: 'su examen está hecho y el radiólogo lo está leyendo' },
  incomplete: { en: 'your exam could not be finished; we will contact you to rebook', es: 'su examen no se pudo terminar; lo contactaremos para reagendar' },
  no_show: { en: 'we missed you at your appointment; we can rebook it', es: 'no pudo asistir a su cita; podemos reagendarla' },
  reschedule_needed: { en: 'your appointment needs a new time', es: 'su cita necesita una nueva hora' },
  reported: { en: 'the report is ready and on its way to your doctor', es: 'el informe está listo y va en camino a su médico' },
  delivered: { en: 'the report was sent to your doctor', es: 'el informe fue enviado a su médico' },
  closed: { en: 'it is complete', es: 'está completa' },
  cancelled: { en: 'it was cancelled', es: 'fue cancelada' },
};

/** A case's state in plain words for the patient, with no clinical content. */
export function stateInWords(state: CaseState, language: Language): string {
  return STATE_WORDS[state][language];
}

/**
 * "Where is my order?" (domain.md §8): answered only when phone, date of birth and name match a patient;
 * otherwise nothing is disclosed, not even whether the number is known.
 */
export function createOrderStatus(deps: { cases: CaseRepository; patients: PatientRepository; timeZone: string }) {
  return {
    async describe(who: { phoneHash: string; birthDate: string; familyName: string }, language: Language): Promise<Result<string[], 'NOT_VERIFIED'>> {
      const matched = await verifiedPatients(deps.patients, { phoneHash: who.phoneHash, birthDate: who.birthDate, name: who.familyName });
      if (matched.length === 0) return err('NOT_VERIFIED', 'the details do not match a patient');
      const { items } = await deps.cases.list({ patientIds: matched.map((p) => p.id) }, { limit: 5 });
      return ok(
        items.map((c) => {
          const date = DateTime.fromJSDate(c.createdAt, { zone: deps.timeZone }).setLocale(language === 'es' ? 'es' : 'en-US').toFormat(language === 'es' ? "d 'de' LLLL" : 'LLL d');
          return language === 'es' ? `Su orden de imágenes del ${date}: ${STATE_WORDS[c.state].es}.` : `Your imaging order from ${date}: ${STATE_WORDS[c.state].en}.`;
        }),
      );
    },
  };
}
export type OrderStatusService = ReturnType<typeof createOrderStatus>;
