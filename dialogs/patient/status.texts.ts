import { DateTime } from 'luxon';
import type { CaseState } from '../../services/pipeline/pipeline.states';
import type { Language } from '../../services/messaging/templates';

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

/** "Your imaging order from Nov 30: …", the day in the center's zone. */
export function orderLine(o: { createdAt: Date; state: CaseState }, language: Language, zone: string): string {
  const es = language === 'es';
  const date = DateTime.fromJSDate(o.createdAt, { zone }).setLocale(es ? 'es' : 'en-US').toFormat(es ? "d 'de' LLLL" : 'LLL d');
  return es ? `Su orden de imágenes del ${date}: ${stateInWords(o.state, 'es')}.` : `Your imaging order from ${date}: ${stateInWords(o.state, 'en')}.`;
}
