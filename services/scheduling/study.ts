import type { z } from 'zod';
import type { SiteConfig } from '../config/site.schema';
import type { Contrast, Modality } from '../orders/order.schema';
import { bodyPartsIn } from '../understanding/lexicon';

export interface Study {
  modality: z.infer<typeof Modality>;
  bodyPart: string | null;
  contrast: z.infer<typeof Contrast> | null;
}

/** Minutes a study takes on the scanner: a body-part override, else the contrast length, else the modality default. */
export function slotMinutes(site: SiteConfig, study: Study): number {
  const rule = site.slotMinutes[study.modality];
  if (!rule) throw new Error(`no slot lengths for ${study.modality}`);
  const part = study.bodyPart?.toLowerCase();
  const byPart = part ? Object.entries(rule.bodyPart ?? {}).find(([k]) => part.includes(k.toLowerCase()))?.[1] : undefined;
  return byPart ?? (study.contrast ? rule.contrast?.[study.contrast] : undefined) ?? rule.default;
}

/**
 * The prep entries that apply to a study, in the site's order: general ones, those of its modality and contrast, and
 * those whose body parts it names (whole parts, so a gallbladder ultrasound is not a bladder one). An entry for a
 * combined study whose parts it names every one of ("abdomen and pelvis") stands in for the single-part entries.
 */
export function prepFor(site: SiteConfig, study: Study): SiteConfig['prep'] {
  const parts = study.bodyPart ? bodyPartsIn(study.bodyPart) : [];
  const fits = site.prep.filter(
    (p) =>
      (!p.modality || p.modality === study.modality) &&
      (!p.contrast || (study.contrast !== null && p.contrast.includes(study.contrast))) &&
      (!p.bodyParts || p.bodyParts.some((b) => parts.includes(b))) &&
      (!p.allBodyParts || p.allBodyParts.every((b) => parts.includes(b))),
  );
  return fits.some((p) => p.allBodyParts) ? fits.filter((p) => !p.bodyParts) : fits;
}

/** Hours of fasting the study's prep asks for (0 when none): fasting studies are offered morning slots only. */
export function fastingHours(site: SiteConfig, study: Study): number {
  return Math.max(0, ...prepFor(site, study).map((p) => p.fastingHours ?? 0));
}
