import type { SiteConfig } from '../config/site.schema';
import type { Purpose } from '../consent/consent.schema';

export type Language = 'en' | 'es';

interface Template {
  /** Purposes this template may be sent for: a care template never goes out as marketing, nor the reverse. */
  purposes: readonly Purpose[];
  /** Sent whatever the consent status (HELP answers, the one opt-out confirmation). */
  consentExempt?: boolean;
  /** Counts toward the care reminder caps. */
  reminder?: boolean;
}

export const TEMPLATES = {
  reply: { purposes: ['care'] },
  help: { purposes: ['care'], consentExempt: true },
  opt_out_confirmation: { purposes: ['care'], consentExempt: true },
  opt_in_confirmation: { purposes: ['care'] },
  reminder: { purposes: ['care'], reminder: true },
  staff_message: { purposes: ['care'] },
  order_request: { purposes: ['care'] },
  office_reminder: { purposes: ['care'] },
  waitlist_offer: { purposes: ['care'] },
  campaign: { purposes: ['marketing'] },
  nurture: { purposes: ['marketing'] },
} as const satisfies Record<string, Template>;
export type TemplateId = keyof typeof TEMPLATES;

export function templateInfo(id: string): Template | null {
  return (TEMPLATES as Record<string, Template>)[id] ?? null;
}

/** A US number as people write it, (512) 555-0100; other numbers as given. */
export function phoneText(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

/** The words of the consent layer's own texts, in English and Spanish; short enough for one or two SMS segments. */
export function consentText(kind: 'help' | 'opt_out_confirmation' | 'opt_in_confirmation', lang: Language, site: SiteConfig): string {
  const c = site.center;
  const phone = phoneText(c.phone);
  const site_ = c.website ? ` or ${c.website}` : '';
  const sitio = c.website ? ` o ${c.website}` : '';
  const texts: Record<typeof kind, Record<Language, string>> = {
    help: {
      en: `${c.name}: imaging appointments, prep and reminders. Help: call ${phone}${site_}. Msg frequency varies. Msg & data rates may apply. Reply STOP to opt out.`,
      es: `${c.name}: citas de imágenes, preparación y recordatorios. Ayuda: llame al ${phone}${sitio}. La frecuencia de mensajes varía. Pueden aplicarse tarifas de mensajes y datos (Msg & data rates may apply). Responda STOP para no recibir más.`,
    },
    opt_out_confirmation: {
      en: `${c.name}: you are unsubscribed and will get no more texts from us. Reply START to resubscribe. Questions: ${phone}.`,
      es: `${c.name}: ya no recibirá mensajes nuestros. Responda START o COMENZAR para volver a suscribirse. Preguntas: ${phone}.`,
    },
    opt_in_confirmation: {
      en: `${c.name}: you are subscribed again to appointment texts. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`,
      es: `${c.name}: volvió a suscribirse a los mensajes de sus citas. Pueden aplicarse tarifas de mensajes y datos. Responda HELP para ayuda, STOP para cancelar.`,
    },
  };
  return texts[kind][lang];
}
