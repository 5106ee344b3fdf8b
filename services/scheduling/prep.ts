import { DateTime } from 'luxon';
import type { SiteConfig } from '../config/site.schema';
import { fastingHours, prepFor, type Study } from './study';

type Language = 'en' | 'es';

/** The prep message for a booked study: the site's texts that apply, general first, in the patient's language. */
export function prepMessage(site: SiteConfig, study: Study, language: Language): string {
  return prepFor(site, study)
    .map((p) => p.text[language])
    .join(' ');
}

/**
 * The day-before readiness question (domain.md §5), or null when the study has no prep to check. For fasting it
 * names the clock time to stop eating, in the center's zone, so "no" or "unsure" can go to staff in time.
 */
export function readinessQuestion(site: SiteConfig, study: Study, start: Date, language: Language): string | null {
  const hours = fastingHours(site, study);
  if (hours === 0) return null;
  const stop = DateTime.fromJSDate(start, { zone: site.center.timeZone }).minus({ hours }).setLocale(language === 'es' ? 'es' : 'en-US');
  const time = stop.toFormat(language === 'es' ? 'H:mm' : 'h:mm a');
  return language === 'es'
    ? `Para su examen de mañana debe dejar de comer a las ${time}. ¿Podrá hacerlo? Responda SÍ, NO o NO SÉ.`
    : `For your exam tomorrow you need to stop eating at ${time}. Will you be able to? Reply YES, NO or NOT SURE.`;
}
