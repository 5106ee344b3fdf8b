import { prepMessage, prepText } from '../../services/scheduling/prep';
import type { SiteConfig } from '../../services/config/site.schema';
import { modalityLabel } from '../../services/exams/modality.catalog';
import { faqTopics, isBuiltInTopic, looksLikeQuestion, type SiteTopic } from '../../services/faq/faq.topics';
import type { Language } from '../../services/messaging/templates';
import { phoneText } from '../../services/messaging/templates';
import type { Study } from '../../services/scheduling/study';
import { prepFor } from '../../services/scheduling/study';

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

/** A study as far as it is known: the modality, maybe the body part and contrast. */
export type KnownStudy = Pick<Study, 'modality'> & Partial<Pick<Study, 'bodyPart' | 'contrast'>>;

/** The side question in this message, if it is one: its topic (questions only, so a step's answer is never taken). */
export function sideQuestion(text: string, site: SiteConfig): string | null {
  return sideQuestions(text, site)[0] ?? null;
}

/** Every topic of the side question in this message, in the order asked (none when it is not a question). */
export function sideQuestions(text: string, site: SiteConfig): string[] {
  return looksLikeQuestion(text) ? faqTopics(text, siteTopics(site)) : [];
}

/** The answer to the first two topics a side question asks about, one after the other. */
export function sideAnswers(site: SiteConfig, topics: readonly string[], lang: Language, study: KnownStudy | null): string {
  return [...new Set(topics.slice(0, 2).map((x) => sideAnswer(site, x, lang, study)))].join(' ');
}

const topicsOf = new WeakMap<SiteConfig, SiteTopic[]>();
/** The site's own FAQ topics (those with words), read once per config. */
export function siteTopics(site: SiteConfig): SiteTopic[] {
  let own = topicsOf.get(site);
  if (!own) topicsOf.set(site, (own = Object.entries(site.faq).flatMap(([topic, e]) => (e.words ? [{ topic, words: e.words }] : []))));
  return own;
}

/**
 * The answer to a side question from the site config, for the study the patient is asking about when known. Never
 * clinical: eating and medicines are the site's prep texts; anything about this person's safety goes to a person.
 */
export function sideAnswer(site: SiteConfig, topic: string, lang: Language, study: KnownStudy | null): string {
  const es = lang === 'es';
  const phone = phoneText(site.center.phone);
  const entry = site.faq[topic];
  const configured = (study && entry?.byModality?.[study.modality]?.[lang]) ?? entry?.text?.[lang];
  if (configured) return configured;
  const general = prepText(site.prep.filter((p) => !p.modality && !p.contrast && !p.bodyParts && !p.allBodyParts), lang);
  const byPhone = es ? `Con gusto se lo explicamos por teléfono: llame al ${phone}.` : `We'd be glad to go over that by phone: call ${phone}.`;
  if (!isBuiltInTopic(topic)) return byPhone;
  switch (topic) {
    case 'what_to_bring':
      return general;
    case 'eating_and_medicines':
      return eatingAnswer(site, lang, study);
    case 'hours':
      return es ? `Nuestro horario: ${openingHoursText(site, lang)}.` : `Our hours: ${openingHoursText(site, lang)}.`;
    case 'insurance_accepted': {
      const payers = site.payers.map((p) => p.name).join(', ');
      return es
        ? `Trabajamos con ${payers}, y también aceptamos pago propio. Para revisar su plan, llame al ${phone}.`
        : `We work with ${payers}, and self-pay is welcome too. To check your plan, call ${phone}.`;
    }
    case 'parking_directions': {
      const a = site.center.address;
      return `${es ? 'Estamos en' : "We're at"} ${a.line1}, ${a.city}, ${a.state} ${a.postalCode}.${site.center.website ? ` ${site.center.website}` : ''}`;
    }
    case 'arrival':
      return general;
    case 'what_to_wear':
      return study ? prepMessage(site, { modality: study.modality, bodyPart: study.bodyPart ?? null, contrast: study.contrast ?? null }, lang) : general;
    case 'how_long':
    case 'what_it_feels_like':
    case 'claustrophobia':
    case 'cost':
    case 'accessibility':
    case 'companion':
      return byPhone;
  }
}

/** Eating and medicines before the study, as the site's prep says; both ways when contrast is not known yet. */
function eatingAnswer(site: SiteConfig, lang: Language, study: KnownStudy | null): string {
  const es = lang === 'es';
  const asNormal = es ? 'puede comer y tomar sus medicinas como siempre.' : 'you can eat and take your medicines as normal.';
  if (!study) {
    return es
      ? 'Depende del examen. Dígame cuál es (por ejemplo "¿puedo comer antes de mi tomografía?") y le digo la preparación.'
      : 'It depends on the exam. Tell me which one (like "can I eat before my CT?") and I\'ll tell you the prep.';
  }
  const exam = modalityLabel(study.modality, lang);
  const rules = (s: Study) => prepFor(site, s).filter((p) => p.modality).map((p) => p.text[lang]).join(' ');
  const base: Study = { modality: study.modality, bodyPart: study.bodyPart ?? null, contrast: study.contrast ?? null };
  const known = rules(base);
  const contrastMatters = study.contrast == null && site.prep.some((p) => p.modality === study.modality && p.contrast);
  if (contrastMatters) {
    const withContrast = rules({ ...base, contrast: 'with' });
    return es
      ? `Si su ${exam} es con contraste: ${withContrast} Si es sin contraste, ${asNormal}`
      : `If your ${exam} uses contrast: ${withContrast} If it doesn't, ${asNormal}`;
  }
  return known || `${es ? `Para su ${exam},` : `For your ${exam},`} ${asNormal}`;
}
