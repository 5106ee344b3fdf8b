import { z } from 'zod';
import { foldAccents } from '../text';

/**
 * The one modality catalogue: everything the service knows about a kind of study (names, words people use for it,
 * screening, contrast, implied body part, what the LLM is told) is here. Adding a modality is an entry here, the
 * site config (scanners, slot lengths, prep) and tests.
 *
 * The order is the precedence when one message names several and only one exam is read ("pet ct" reads as CT there).
 */
export const MODALITIES = ['mri', 'ct', 'ultrasound', 'mammography', 'xray', 'pet', 'dexa'] as const;
export const Modality = z.enum(MODALITIES);
export type Modality = z.infer<typeof Modality>;

export const Contrast = z.enum(['with', 'without', 'with_and_without']);
export type Contrast = z.infer<typeof Contrast>;
/** The side of a paired body part; with modality, body part and contrast it names a study. */
export const Laterality = z.enum(['left', 'right', 'bilateral']);
export type Laterality = z.infer<typeof Laterality>;

/** Groups of screening questions (services/screening/): `contrast` only when the study uses contrast. */
export const ScreeningSet = z.enum(['mri_safety', 'pregnancy', 'contrast']);
export type ScreeningSet = z.infer<typeof ScreeningSet>;

const Label = z.object({ short: z.string().min(1), long: z.string().min(1) }).strict();
const Words = z.array(z.string().min(1)).min(1);

export const ModalityEntry = z
  .object({
    /** To patients: `short` inside a sentence ("your mammogram"), `long` where the study is introduced. */
    label: z.object({ en: Label, es: Label }).strict(),
    /** The study's name on an order, an office's list and a staff summary ("Mammography"). */
    orderName: z.string().min(1),
    /** Lay and clinical words, common misspellings included; matched as whole words, accents and case ignored. */
    words: z.object({ en: Words, es: Words }).strict(),
    /** Abbreviations that are no everyday word ("XR", "CTA"): matched like words. */
    abbreviations: z.array(z.string().min(1)),
    /** Abbreviations that are also everyday words ("US" is "us"): an exam only when written in capitals next to a body part. */
    ambiguous: z.array(z.string().min(1)),
    /** The screening groups asked before slots, in the order asked. */
    screening: z.array(ScreeningSet),
    /** Whether the study may use contrast: the order must then say with, without or both (domain.md §3). */
    contrast: z.boolean(),
    /** The body part the study's name implies, when the patient names none. */
    impliedBodyPart: z.string().min(1).nullable(),
    /** How the LLM prompt describes the id (what people call it). */
    prompt: z.string().min(1),
  })
  .strict()
  .refine((e) => e.contrast || !e.screening.includes('contrast'), 'contrast screening needs a study that may use contrast');
export type ModalityEntry = z.infer<typeof ModalityEntry>;

// Short words that are also ordinary words ("us", "mr", "cat", "pet", "rm") are left out of `words` on purpose.
const ENTRIES: Record<Modality, ModalityEntry> = {
  mri: {
    label: { en: { short: 'MRI', long: 'MRI (magnetic resonance imaging)' }, es: { short: 'resonancia', long: 'resonancia magnética' } },
    orderName: 'MRI',
    words: {
      en: ['mri', 'm.r.i', 'mris', 'mri scan', 'magnetic resonance', 'magnetic resonance imaging', 'mir', 'mrl', 'emm ar eye', 'mr angiogram', 'mr angiography'],
      es: ['resonancia', 'resonancia magnética', 'resonacia', 'rmn', 'angiorresonancia', 'imagen por resonancia'],
    },
    abbreviations: ['MRA'],
    ambiguous: [],
    screening: ['mri_safety', 'pregnancy', 'contrast'],
    contrast: true,
    impliedBodyPart: null,
    prompt: 'MRI, MRA, resonancia',
  },
  ct: {
    label: { en: { short: 'CT', long: 'CT (computed tomography, "CAT scan")' }, es: { short: 'tomografía', long: 'tomografía computarizada (TAC)' } },
    orderName: 'CT',
    words: {
      en: ['ct', 'c.t', 'ct scan', 'cat scan', 'cat-scan', 'catscan', 'computed tomography', 'ct angiogram', 'ct angiography'],
      es: ['tomografía', 'tomografía computarizada', 'tomografía axial', 'tac', 'tc', 'angiotomografía'],
    },
    // CTA is a CT with angiography: the same scanner and the same screening.
    abbreviations: ['CTA'],
    ambiguous: [],
    screening: ['pregnancy', 'contrast'],
    contrast: true,
    impliedBodyPart: null,
    prompt: 'CT, CAT scan, CTA, tomografía, TAC',
  },
  ultrasound: {
    label: { en: { short: 'ultrasound', long: 'ultrasound (sonogram)' }, es: { short: 'ultrasonido', long: 'ultrasonido (ecografía)' } },
    orderName: 'Ultrasound',
    words: {
      en: ['ultrasound', 'ultra sound', 'ultra-sound', 'ultrsound', 'ultrasond', 'ultrasounds', 'sonogram', 'sonography', 'sono', 'echo', 'doppler'],
      es: ['ultrasonido', 'ultrasonografía', 'sonograma', 'ecografía', 'eco'],
    },
    abbreviations: [],
    ambiguous: ['US'],
    screening: [],
    contrast: false,
    impliedBodyPart: null,
    prompt: 'ultrasound, US, sonogram, echo, Doppler, ultrasonido, eco',
  },
  mammography: {
    label: { en: { short: 'mammogram', long: 'mammogram (breast X-ray)' }, es: { short: 'mamografía', long: 'mamografía (radiografía de las mamas)' } },
    orderName: 'Mammography',
    words: {
      en: ['mammogram', 'mamogram', 'mammagram', 'mammo', 'mammography', 'breast screening'],
      es: ['mamografía', 'mamograma', 'mamo'],
    },
    abbreviations: [],
    ambiguous: [],
    screening: [],
    contrast: false,
    impliedBodyPart: 'breast',
    prompt: 'mammogram, mamografía',
  },
  xray: {
    label: { en: { short: 'X-ray', long: 'X-ray (radiograph)' }, es: { short: 'radiografía', long: 'radiografía (rayos X)' } },
    orderName: 'X-ray',
    words: {
      en: ['x-ray', 'xray', 'x ray', 'x-rays', 'xrays', 'xrey', 'exray', 'ex-ray', 'radiograph'],
      es: ['radiografía', 'rayos x', 'rayos-x', 'placa', 'placas'],
    },
    abbreviations: ['XR'],
    ambiguous: [],
    screening: ['pregnancy'],
    contrast: false,
    impliedBodyPart: null,
    prompt: 'X-ray, XR, radiograph, rayos X, radiografía, placa',
  },
  pet: {
    label: { en: { short: 'PET scan', long: 'PET scan (positron emission tomography)' }, es: { short: 'PET', long: 'PET (tomografía por emisión de positrones)' } },
    orderName: 'PET',
    words: {
      en: ['pet scan', 'pet-ct', 'pet/ct', 'pet ct'],
      es: ['tomografía por emisión de positrones'],
    },
    abbreviations: [],
    ambiguous: ['PET'],
    screening: ['pregnancy'],
    contrast: false,
    impliedBodyPart: null,
    prompt: 'PET scan, PET/CT',
  },
  dexa: {
    label: { en: { short: 'bone density scan', long: 'bone density scan (DEXA)' }, es: { short: 'densitometría', long: 'densitometría ósea (DEXA)' } },
    orderName: 'DEXA (bone density)',
    words: {
      en: ['dexa', 'dexa scan', 'dxa', 'dxa scan', 'bone density', 'bone density scan', 'bone density test', 'bone densitometry'],
      es: ['densitometría', 'densitometría ósea', 'densidad ósea', 'prueba de densidad ósea', 'estudio de densidad ósea'],
    },
    abbreviations: [],
    ambiguous: [],
    // Low-dose X-ray: pregnancy is asked as for X-ray.
    screening: ['pregnancy'],
    contrast: false,
    impliedBodyPart: 'hip and spine',
    prompt: 'bone density scan, DEXA, DXA, densitometría',
  },
};

/** Every entry, validated once at load: a mistake in the catalogue stops start-up rather than a conversation. */
export const CATALOG: Readonly<Record<Modality, ModalityEntry>> = Object.freeze(
  Object.fromEntries(MODALITIES.map((m) => [m, ModalityEntry.parse(ENTRIES[m])])) as Record<Modality, ModalityEntry>,
);
assertOneModalityPerWord();

/** A word of two modalities would make the reading depend on the order of this file. */
function assertOneModalityPerWord(): void {
  const owner = new Map<string, Modality>();
  for (const m of MODALITIES) {
    const e = CATALOG[m];
    for (const w of [...e.words.en, ...e.words.es, ...e.abbreviations, ...e.ambiguous].map(foldAccents)) {
      const other = owner.get(w);
      if (other && other !== m) throw new Error(`modality catalogue: '${w}' is a word of both ${other} and ${m}`);
      owner.set(w, m);
    }
  }
}

type Language = 'en' | 'es';

export function modalityLabel(m: Modality, lang: Language, form: 'short' | 'long' = 'short'): string {
  return CATALOG[m].label[lang][form];
}

export function orderName(m: Modality): string {
  return CATALOG[m].orderName;
}

/** Whether the study may use contrast, so an order must say which (CT and MRI today). */
export function usesContrast(m: Modality): boolean {
  return CATALOG[m].contrast;
}

export function impliedBodyPart(m: Modality): string | null {
  return CATALOG[m].impliedBodyPart;
}

/** The screening groups a study needs, in the order asked; contrast questions only when contrast is given. */
export function screeningSets(m: Modality, withContrast: boolean): ScreeningSet[] {
  return CATALOG[m].screening.filter((s) => s !== 'contrast' || (withContrast && CATALOG[m].contrast));
}

/** "MRI, CT, Ultrasound, …": the studies an office may order, for prompts. */
export function orderNames(): string {
  return MODALITIES.map(orderName).join(', ');
}

/** The modality line of the LLM's instructions: each id with what people call it. */
export function modalityPromptList(): string {
  const items = MODALITIES.map((m) => `${m} (${CATALOG[m].prompt})`);
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** Each modality's matchable words, folded (lower case, no accents): lay words in both languages and the plain abbreviations. */
export function modalityWords(m: Modality): string[] {
  const e = CATALOG[m];
  return [...new Set([...e.words.en, ...e.words.es, ...e.abbreviations].map(foldAccents))];
}

/** Folded ambiguous abbreviation → its modality ("us" → ultrasound). */
export function ambiguousAbbreviations(): Map<string, Modality> {
  return new Map(MODALITIES.flatMap((m) => CATALOG[m].ambiguous.map((a) => [foldAccents(a), m] as const)));
}

/**
 * How contrast is said, folded. A lead ("w/", "con y sin") counts before a contrast noun ("contrast", "dye", with
 * "iv" optional); a whole phrase ("w/wo", "non-contrast") counts alone. Read both-first, then without, then with, so
 * "with and without contrast" is not taken as "without contrast".
 */
export const CONTRAST_WORDS: Record<Contrast, { leads: string[]; phrases: string[] }> = {
  with_and_without: {
    leads: ['with and without', 'w/ and w/o', 'w/and w/o', 'w and w/o', 'w/ & w/o', 'with & without', 'with/without', 'con y sin'],
    phrases: ['w/wo', 'w/w/o', 'w/ w/o', 'w+wo', 'w+w/o', 'wwo'],
  },
  without: {
    leads: ['without', 'w/o', 'wo', 'no', 'sin'],
    phrases: ['non-contrast', 'non contrast', 'noncontrast', 'unenhanced'],
  },
  with: {
    leads: ['with', 'w/', 'con'],
    phrases: ['w/contrast', 'contrast-enhanced', 'contrast enhanced', 'contrastado', 'contrastada'],
  },
};
export const CONTRAST_NOUNS = ['contrast', 'contraste', 'dye', 'tinte'];
export const CONTRAST_ORDER: readonly Contrast[] = ['with_and_without', 'without', 'with'];

/** Every folded phrase that says this contrast: each lead before each noun (with "iv" or not), and the whole phrases. */
export function contrastPhrases(c: Contrast): string[] {
  const { leads, phrases } = CONTRAST_WORDS[c];
  const led = leads.flatMap((lead) => CONTRAST_NOUNS.flatMap((noun) => [`${lead} ${noun}`, `${lead} iv ${noun}`]));
  return [...new Set([...led, ...phrases].map(foldAccents))];
}
