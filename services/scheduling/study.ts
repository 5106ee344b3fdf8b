import type { z } from 'zod';
import type { SiteConfig } from '../config/site.schema';
import type { Contrast, Modality } from '../orders/order.schema';

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

/** The prep entries that apply to a study (the site's general one first), in the site's order. */
export function prepFor(site: SiteConfig, study: Study): SiteConfig['prep'] {
  return site.prep.filter(
    (p) =>
      (!p.modality || p.modality === study.modality) &&
      (!p.contrast || (study.contrast !== null && p.contrast.includes(study.contrast))) &&
      (!p.bodyPartPattern || (study.bodyPart !== null && new RegExp(p.bodyPartPattern, 'i').test(study.bodyPart))),
  );
}

/** Hours of fasting the study's prep asks for (0 when none): fasting studies are offered morning slots only. */
export function fastingHours(site: SiteConfig, study: Study): number {
  return Math.max(0, ...prepFor(site, study).map((p) => p.fastingHours ?? 0));
}
