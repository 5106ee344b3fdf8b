import type { SiteConfig } from '../services/config/site.schema';
import type { Notice, NoticeWords } from '../services/messaging/notices';
import { phoneText, type Language } from '../services/messaging/templates';
import { prepMessage } from '../services/scheduling/prep';
import { clockText, placeText, slotText } from '../services/scheduling/slot-text';
import { fillIn } from '../services/text';

/** The texts services send on their own (confirmations, reminders, offers, consent answers), in English and Spanish; {vars} filled in. */
const N: Record<Notice['kind'], Record<Language, string>> = {
  booking_confirmed: {
    en: '{center}: your appointment is confirmed: {when} at {place}. How to prepare: {prep} Reply C to confirm, R to reschedule or X to cancel.',
    es: '{center}: su cita está confirmada: {when} en {place}. Preparación: {prep} Responda C para confirmar, R para cambiar la cita o X para cancelarla.',
  },
  invite_to_book: {
    en: '{center}: your doctor sent us an order for an imaging exam. Reply BOOK to pick a time here, or call {phone}.',
    es: '{center}: su médico nos envió una orden para un examen de imágenes. Responda AGENDAR para elegir la hora por aquí, o llame al {phone}.',
  },
  order_declined: {
    en: "{center}: your doctor's office will not be sending an order for the exam you asked about. Please talk with your doctor, or call us at {phone} and we'll help.",
    es: '{center}: el consultorio de su médico no enviará la orden para el examen que pidió. Hable con su médico, o llámenos al {phone} y le ayudamos.',
  },
  authorization_denied: {
    en: "{center}: your insurance has not approved your exam yet. Your doctor's office is working with them on it; there is nothing you need to do now. We'll text you as soon as it's approved. Questions: {phone}.",
    es: '{center}: su seguro todavía no aprobó su examen. El consultorio de su médico está trabajando con ellos; por ahora usted no tiene que hacer nada. Le escribiremos en cuanto lo aprueben. Preguntas: {phone}.',
  },
  authorization_cancelled: {
    en: "{center}: your insurance did not approve your exam, so it is cancelled for now. Please talk with your doctor's office about what to do next, or call us at {phone}.",
    es: '{center}: su seguro no aprobó su examen, así que por ahora queda cancelado. Hable con el consultorio de su médico sobre el siguiente paso, o llámenos al {phone}.',
  },
  authorization_expired: {
    en: "{center}: your insurance's approval for your exam has ended, so we've asked your doctor's office to renew it.{held} We'll text you as soon as it's renewed. Questions: {phone}.",
    es: '{center}: la aprobación de su seguro para el examen venció, así que pedimos al consultorio de su médico que la renueve.{held} Le escribiremos en cuanto la renueven. Preguntas: {phone}.',
  },
  screening_cleared: {
    en: '{center}: thank you for talking with our team. You can pick a time for your exam now: reply BOOK. Questions: {phone}.',
    es: '{center}: gracias por hablar con nuestro equipo. Ya puede elegir la hora de su examen: responda AGENDAR. Preguntas: {phone}.',
  },
  prep: { en: '{center}: your appointment is {when}. How to prepare: {prep}', es: '{center}: su cita es el {when}. Preparación: {prep}' },
  appointment_reminder: {
    en: '{center}: reminder of your appointment {when} at {place}. Reply C to confirm, R to reschedule or X to cancel. Questions: {phone}.',
    es: '{center}: le recordamos su cita del {when} en {place}. Responda C para confirmar, R para cambiar la cita o X para cancelarla. Preguntas: {phone}.',
  },
  readiness_check: {
    en: '{center}: For your exam tomorrow you need to stop eating at {clock}. Will you be able to? Reply YES, NO or NOT SURE.',
    es: '{center}: Para su examen de mañana debe dejar de comer a {clock}. ¿Podrá hacerlo? Responda SÍ, NO o NO SÉ.',
  },
  waitlist_offer: {
    en: "{center}: an earlier time opened for your exam: {when} at {place}. We're holding it for you until {clock}: reply YES to take it{release} or NO to pass.",
    es: '{center}: se abrió una hora antes para su examen: {when} en {place}. Se la guardamos hasta {clock}: responda SÍ para tomarla{release} o NO para dejarla pasar.',
  },
  lead_nurture: {
    en: "{center}: still planning your imaging exam? We're happy to help you get it scheduled: reply BOOK or call {phone}. Reply STOP to opt out.",
    es: '{center}: ¿todavía necesita su estudio de imagen? Con gusto le ayudamos a agendarlo: responda AGENDAR o llame al {phone}. Responda STOP para no recibir más mensajes.',
  },
  campaign: { en: '{text} Reply STOP to opt out.', es: '{text} Responda STOP para no recibir más.' },
  help: {
    en: '{center}: imaging appointments, prep and reminders. Help: call {phone}{website}. Msg frequency varies. Msg & data rates may apply. Reply STOP to opt out.',
    es: '{center}: citas de imágenes, preparación y recordatorios. Ayuda: llame al {phone}{website}. La frecuencia de mensajes varía. Pueden aplicarse tarifas de mensajes y datos (Msg & data rates may apply). Responda STOP para no recibir más.',
  },
  opt_out_confirmation: {
    en: '{center}: you are unsubscribed and will get no more texts from us. Reply START to resubscribe. Questions: {phone}.',
    es: '{center}: ya no recibirá mensajes nuestros. Responda START o COMENZAR para volver a suscribirse. Preguntas: {phone}.',
  },
  opt_in_confirmation: {
    en: '{center}: you are subscribed again to appointment texts. Msg & data rates may apply. Reply HELP for help, STOP to opt out.',
    es: '{center}: volvió a suscribirse a los mensajes de sus citas. Pueden aplicarse tarifas de mensajes y datos. Responda HELP para ayuda, STOP para cancelar.',
  },
};

const HELD: Record<Language, string> = { en: ' We are holding your time, {when}, until then.', es: ' Le guardamos su hora, {when}, mientras tanto.' };
const RELEASE: Record<Language, string> = { en: " (we'll release your {current} appointment)", es: ' (liberamos su cita del {current})' };

/** A clock time as said after "at" / "a": "1:00 PM", "la 1:00", "las 3:30". */
function atClock(at: Date, site: SiteConfig, lang: Language): string {
  const t = clockText(at, site, lang);
  return lang === 'es' ? `${t.startsWith('1:') ? 'la' : 'las'} ${t}` : t;
}

/** The site's catalogue of notices, as the services' `words` port. */
export function noticeWords(site: SiteConfig): NoticeWords {
  const c = site.center;
  return (n, lang) => {
    const vars: Record<string, string> = {
      center: c.name,
      phone: phoneText(c.phone),
      website: c.website ? (lang === 'es' ? ` o ${c.website}` : ` or ${c.website}`) : '',
      place: placeText(site),
    };
    if ('start' in n) vars.when = slotText(n.start, site, lang);
    if ('study' in n) vars.prep = prepMessage(site, n.study, lang);
    if (n.kind === 'readiness_check') vars.clock = atClock(n.stopEatingAt, site, lang);
    if (n.kind === 'waitlist_offer') {
      vars.clock = atClock(n.holdUntil, site, lang);
      vars.release = n.current ? fillIn(RELEASE[lang], { current: slotText(n.current, site, lang) }) : '';
    }
    if (n.kind === 'authorization_expired') vars.held = n.held ? fillIn(HELD[lang], { when: slotText(n.held, site, lang) }) : '';
    if (n.kind === 'campaign') vars.text = n.text.toLowerCase().includes(c.name.toLowerCase()) ? n.text : `${c.name}: ${n.text}`;
    return fillIn(N[n.kind][lang], vars);
  };
}
