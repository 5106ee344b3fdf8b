import type { SiteConfig } from '../../services/config/site.schema';
import { phoneText } from '../../services/messaging/templates';
import { placeText, slotText } from '../../services/scheduling/slot-text';
import type { WaitlistAnswer } from '../../services/waitlist/waitlist.service';

/** The reply to a YES or NO about a time held from the waitlist, in the patient's language. */
export function waitlistReply(a: WaitlistAnswer, site: SiteConfig): string {
  const es = a.language === 'es';
  const when = slotText(a.start, site, a.language);
  const phone = phoneText(site.center.phone);
  switch (a.outcome) {
    case 'already_yours':
      return es ? `Ya tiene su cita el ${when}. ¡Lo(a) esperamos!` : `You already have ${when}. See you then!`;
    case 'gone':
      return es
        ? `Lo sentimos, la hora del ${when} ya no está disponible. ${a.booked ? 'Su cita no cambió, y usted sigue' : 'Usted sigue'} en la lista de espera: le avisaremos si se abre otra. Preguntas: ${phone}.`
        : `Sorry, the ${when} time is no longer available. ${a.booked ? "Your appointment hasn't changed, and you're" : "You're"} still on the waitlist: we'll text you if another opens. Questions: ${phone}.`;
    case 'passed':
      return es
        ? `Entendido, ${a.booked ? 'conserva su hora actual. Sigue' : 'no tomamos esa hora. Sigue'} en la lista de espera.`
        : `OK, ${a.booked ? "you keep your current time. You're" : "we've let that time go. You're"} still on the waitlist.`;
    case 'not_moved':
      return es ? `Lo sentimos, no pudimos cambiar su cita. Llámenos al ${phone}.` : `Sorry, we couldn't move your appointment. Please call us at ${phone}.`;
    case 'moved':
      return es
        ? `¡Listo! Su cita es el ${when} en ${placeText(site)}. ${a.hadAppointment ? 'Su hora anterior quedó libre. ' : ''}Le enviaremos la preparación y un recordatorio.`
        : `Done! Your appointment is ${when} at ${placeText(site)}. ${a.hadAppointment ? 'Your previous time is released. ' : ''}We'll send your prep and a reminder.`;
  }
}
