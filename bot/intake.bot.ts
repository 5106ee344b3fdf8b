import { ActivityHandler, ConversationState, type TurnContext } from 'botbuilder';
import type { SiteConfig } from '../services/config/site.schema';
import { detectLanguage } from '../services/messaging/language';
import type { Language } from '../services/messaging/templates';

interface ConversationData {
  language?: Language;
  menuShown?: boolean;
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES: Record<Language, string[]> = {
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
  es: ['lun', 'mar', 'mié', 'jue', 'vie', 'sáb', 'dom'],
};

/** "Mon–Thu 07:00–19:00, Fri 07:00–18:00, Sat 08:00–13:00" from the site's opening hours. */
export function openingHoursText(site: SiteConfig, lang: Language): string {
  const spans = DAYS.map((d) => (site.openingHours[d] ?? []).map((w) => `${w.start}–${w.end}`).join(', '));
  const parts: string[] = [];
  for (let i = 0; i < 7; i++) {
    if (!spans[i]) continue;
    let j = i;
    while (j + 1 < 7 && spans[j + 1] === spans[i]) j++;
    parts.push(`${DAY_NAMES[lang][i]}${j > i ? `–${DAY_NAMES[lang][j]}` : ''} ${spans[i]}`);
    i = j;
  }
  return parts.join(', ');
}

function choiceOf(text: string): 1 | 2 | 3 | null {
  const t = text.trim().toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  if (/^(1|one|uno|patient|paciente)\b/.test(t)) return 1;
  if (/^(2|two|dos|office|doctor|oficina|consultorio)\b/.test(t)) return 2;
  if (/^(3|three|tres|person|human|agent|persona|agente)\b/.test(t) || /\b(talk to (a )?(person|human)|hablar con (una )?persona)\b/.test(t)) return 3;
  return null;
}

/**
 * The first conversation (before the patient and referrer dialogs): a greeting and a numbered menu in English or
 * Spanish, and honest answers for each choice. Same bot for SMS, Web Chat and Teams.
 */
export class IntakeBot extends ActivityHandler {
  constructor(conversationState: ConversationState, site: SiteConfig) {
    super();
    const data = conversationState.createProperty<ConversationData>('intake');
    const phone = site.center.phone.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3');

    this.onMessage(async (context: TurnContext, next) => {
      const state = await data.get(context, {});
      const text = context.activity.text ?? '';
      if (/\b(espanol|spanish)\b/i.test(text.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))) state.language = 'es';
      else if (/\benglish|ingles\b/i.test(text)) state.language = 'en';
      const lang: Language = state.language ?? detectLanguage(text);
      state.language = lang;
      const hours = openingHoursText(site, lang);
      const choice = state.menuShown ? choiceOf(text) : null;
      const es = lang === 'es';

      if (choice === 1) {
        await context.sendActivity(
          es
            ? `Gracias. Pronto podrá pedir un examen, recibir la preparación y confirmar su cita por aquí. Por ahora llame al ${phone} (${hours}) y lo ayudamos.`
            : `Thanks. Soon you'll be able to request an exam, get prep instructions and confirm your appointment right here. For now, call us at ${phone} (${hours}) and we'll help.`,
        );
      } else if (choice === 2) {
        await context.sendActivity(
          es
            ? `Consultorios: envíen órdenes y pregunten por su estado al ${phone} (${hours}). Pronto también por Teams y chat web.`
            : `Doctor's offices: send orders and ask about their status at ${phone} (${hours}). Ordering by Teams and web chat is coming next.`,
        );
      } else if (choice === 3) {
        await context.sendActivity(
          es
            ? `Para hablar con una persona llame al ${phone} (${hours}). Si es una emergencia médica, llame al 911.`
            : `To talk to a person, call ${phone} (${hours}). If this is a medical emergency, call 911.`,
        );
      } else {
        const greeting = es ? `Hola, le escribe ${site.center.name}. ¿Cómo le ayudamos?` : `Hi, this is ${site.center.name}. How can we help?`;
        const options = es
          ? ['1. Soy paciente', '2. Llamo de un consultorio médico', '3. Hablar con una persona']
          : ["1. I'm a patient", "2. I'm with a doctor's office", '3. Talk to a person'];
        const footer = es ? 'Responda con un número. HELP para ayuda, STOP para no recibir mensajes.' : 'Reply with a number. HELP for help, STOP to opt out.';
        await context.sendActivity([greeting, ...options, footer].join('\n'));
        state.menuShown = true;
      }
      await next();
    });
  }
}
