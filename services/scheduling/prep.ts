import type { SiteConfig } from '../config/site.schema';
import { fastingHours, prepFor, type Study } from './study';

type Language = 'en' | 'es';

/** Prep entries' texts in one language, then one arrival time: the longest any of them asks. */
export function prepText(entries: SiteConfig['prep'], language: Language): string {
  const early = Math.max(0, ...entries.map((p) => p.arriveMinutesEarly ?? 0));
  const arrive = early === 0 ? [] : [language === 'es' ? `Llegue ${early} minutos antes.` : `Please arrive ${early} minutes early.`];
  return [...entries.map((p) => p.text[language]), ...arrive].join(' ');
}

/** The prep message for a booked study: the site's texts that apply, general first, in the patient's language. */
export function prepMessage(site: SiteConfig, study: Study, language: Language): string {
  return prepText(prepFor(site, study), language);
}

/**
 * When to stop eating for the day-before readiness question (domain.md §5), or null when the study has no prep to
 * check: a clock time in the center's zone, so "no" or "unsure" can go to staff in time.
 */
export function readinessStopAt(site: SiteConfig, study: Study, start: Date): Date | null {
  const hours = fastingHours(site, study);
  return hours === 0 ? null : new Date(start.getTime() - hours * 3_600_000);
}
