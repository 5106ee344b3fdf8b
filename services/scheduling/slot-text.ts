import { DateTime } from 'luxon';
import type { SiteConfig } from '../config/site.schema';

type Language = 'en' | 'es';

/** A time the way a patient reads it: "Tue, Dec 1 at 8:00 AM" / "mar 1 de dic a las 8:00". */
export function slotText(start: Date, site: SiteConfig, lang: Language): string {
  const d = DateTime.fromJSDate(start, { zone: site.center.timeZone }).setLocale(lang === 'es' ? 'es' : 'en-US');
  return lang === 'es' ? d.toFormat("ccc d 'de' LLL 'a las' H:mm") : d.toFormat("ccc, LLL d 'at' h:mm a");
}

/** The local date (yyyy-MM-dd) of an instant in the center's zone: what approved dates and preferred days compare with. */
export function localDay(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd');
}

/** A time of day alone: "10:35 AM" / "10:35" (the 24-hour clock, as in slotText). */
export function clockText(at: Date, site: SiteConfig, lang: Language): string {
  const d = DateTime.fromJSDate(at, { zone: site.center.timeZone }).setLocale(lang === 'es' ? 'es' : 'en-US');
  return lang === 'es' ? d.toFormat('H:mm') : d.toFormat('h:mm a');
}

/** The center and its street address, for confirmations and reminders. */
export function placeText(site: SiteConfig): string {
  return `${site.center.name}, ${site.center.address.line1}, ${site.center.address.city}`;
}
