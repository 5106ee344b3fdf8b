import { MODALITIES, modalityWords, type Modality } from '../exams/modality.catalog';
import { foldAccents } from '../text';
import { phrases } from './phrases';

export { foldAccents as fold } from '../text';

/** Words people use for each modality, in English and Spanish, lay and clinical, with common misspellings (from the catalogue). */
export const MODALITY_WORDS: Record<Modality, string[]> = Object.fromEntries(MODALITIES.map((m) => [m, modalityWords(m)])) as Record<Modality, string[]>;

/** Lay and Spanish words for body parts, mapped to the canonical English name used in orders. Longest first wins. */
export const BODY_PART_WORDS: Array<[string, string[]]> = [
  ['lumbar spine', ['lower back', 'low back', 'lumbar', 'lumbar spine', 'l-spine', 'lspine', 'l spine', 'ls spine', 'ls-spine', 'espalda baja', 'parte baja de la espalda', 'columna lumbar', 'zona lumbar', 'lumbares', 'my back', 'back pain', 'espalda']],
  ['cervical spine', ['neck', 'cervical', 'cervical spine', 'c-spine', 'c spine', 'cspine', 'cuello', 'columna cervical', 'cervicales']],
  ['thoracic spine', ['mid back', 'middle back', 'upper back', 'thoracic', 't-spine', 't spine', 'tspine', 'espalda media', 'espalda alta', 'columna toracica', 'columna dorsal', 'dorsal']],
  ['brain', ['brain', 'head', 'cerebro', 'cabeza', 'cerebral', 'craneo', 'craneal', 'encefalo']],
  ['knee', ['knee', 'knees', 'rodilla', 'rodillas']],
  ['shoulder', ['shoulder', 'shoulders', 'hombro', 'hombros']],
  ['hip', ['hip', 'hips', 'cadera', 'caderas']],
  ['ankle', ['ankle', 'ankles', 'tobillo', 'tobillos']],
  ['foot', ['foot', 'feet', 'pie', 'pies']],
  ['wrist', ['wrist', 'wrists', 'muneca', 'munecas']],
  ['hand', ['hand', 'hands', 'mano', 'manos']],
  ['elbow', ['elbow', 'elbows', 'codo', 'codos']],
  ['chest', ['chest', 'lungs', 'lung', 'pecho', 'torax', 'pulmones', 'pulmon']],
  ['abdomen', ['abdomen', 'abdominal', 'belly', 'stomach', 'tummy', 'barriga', 'panza', 'estomago', 'vientre']],
  ['abdomen and pelvis', ['abdomen and pelvis', 'abdomen pelvis', 'abd/pelvis', 'abd pelvis', 'abdomen/pelvis', 'abdomen y pelvis']],
  ['pelvis', ['pelvis', 'pelvic', 'pelvica', 'pelvico']],
  // "mama" alone is also "mom": only in phrases that are about the breast.
  ['breast', ['breast', 'breasts', 'seno', 'senos', 'de mama', 'de mamas', 'mama derecha', 'mama izquierda', 'ambas mamas']],
  ['thyroid', ['thyroid', 'tiroides']],
  ['kidneys', ['kidney', 'kidneys', 'renal', 'rinon', 'rinones']],
  ['liver', ['liver', 'higado']],
  ['right upper quadrant', ['ruq', 'right upper quadrant', 'cuadrante superior derecho']],
  ['gallbladder', ['gallbladder', 'gall bladder', 'vesicula', 'vesicula biliar']],
  ['bladder', ['bladder', 'urinary bladder', 'vejiga']],
  ['sinuses', ['sinus', 'sinuses', 'senos nasales', 'senos paranasales']],
  ['heart', ['heart', 'cardiac', 'corazon', 'cardiaco']],
  ['carotid arteries', ['carotid', 'carotids', 'carotida', 'carotidas']],
  ['leg veins', ['leg veins', 'veins in my leg', 'venas de la pierna', 'venas de las piernas']],
  ['whole body', ['whole body', 'full body', 'cuerpo entero', 'cuerpo completo']],
  // Order shorthand: LLE is the left lower extremity; the side is read from the letter (SIDE_OF_WORD).
  ['lower extremity', ['lower extremity', 'lower extremities', 'lle', 'rle', 'ble']],
  ['upper extremity', ['upper extremity', 'upper extremities', 'lue', 'rue', 'bue']],
];

/** Body-part words that carry their side. */
export const SIDE_OF_WORD: Record<string, 'left' | 'right' | 'bilateral'> = { lle: 'left', rle: 'right', ble: 'bilateral', lue: 'left', rue: 'right', bue: 'bilateral' };

/** Side words; "right" is no side in "right now", "right away". */
export const LATERAL: Array<['left' | 'right' | 'bilateral', RegExp]> = [
  ['bilateral', /\b(both|bilateral|ambos|ambas|las dos|los dos)\b/],
  // Order shorthand: "XR R knee", "lt shoulder" (a letter only right before a paired body part).
  ['left', /\b(left|izquierd[ao])\b|\b(?:l|lt)\.?(?= (?:knee|shoulder|hip|ankle|wrist|elbow|hand|foot|breast|kidney|leg|arm)\b)/],
  ['right', /\b(right|derech[ao])\b(?! (now|away|after|there|here|ahora))|\b(?:r|rt)\.?(?= (?:knee|shoulder|hip|ankle|wrist|elbow|hand|foot|breast|kidney|leg|arm)\b)/],
];
/** "That's right", "all right", "derecho a": agreement or a right, not a side. */
export const NOT_LATERAL = /\b(that'?s right|all right|alright|is that right|derecho a|right (upper|lower) quadrant|cuadrante (superior|inferior) derecho)\b|^right\b|\bright\s*\?/;

/** Each canonical body part as a Spanish speaker reads it (the stored name stays English). */
export const BODY_PART_ES: Readonly<Record<string, string>> = {
  'lumbar spine': 'la espalda baja (columna lumbar)',
  'cervical spine': 'el cuello (columna cervical)',
  'thoracic spine': 'la espalda media (columna dorsal)',
  brain: 'la cabeza (cerebro)',
  knee: 'la rodilla',
  shoulder: 'el hombro',
  hip: 'la cadera',
  ankle: 'el tobillo',
  foot: 'el pie',
  wrist: 'la muñeca',
  hand: 'la mano',
  elbow: 'el codo',
  chest: 'el pecho',
  abdomen: 'el abdomen',
  'abdomen and pelvis': 'el abdomen y la pelvis',
  pelvis: 'la pelvis',
  breast: 'los senos',
  thyroid: 'la tiroides',
  kidneys: 'los riñones',
  liver: 'el hígado',
  gallbladder: 'la vesícula',
  sinuses: 'los senos nasales',
  heart: 'el corazón',
  'carotid arteries': 'las carótidas',
  'leg veins': 'las venas de las piernas',
  'whole body': 'todo el cuerpo',
  'lower extremity': 'la pierna',
  'upper extremity': 'el brazo',
  'hip and spine': 'la cadera y la columna',
};

/** The canonical body-part names (what orders and the site's prep entries say). */
export const BODY_PARTS: readonly string[] = BODY_PART_WORDS.map(([part]) => part).filter((p) => !p.includes(' and '));

// Every word of every part, longest first, so "gall bladder" is the gallbladder and not the bladder.
const EVERY_PART = phrases(BODY_PART_WORDS.flatMap(([, words]) => words), 'g');
const PART_OF_WORD = new Map(BODY_PART_WORDS.flatMap(([part, words]) => words.map((w) => [w, part] as const)));

/** Every canonical body part a text names, once each: "abdomen and pelvis" is both, "gallbladder" only itself. */
export function bodyPartsIn(text: string): string[] {
  const parts = [...foldAccents(text).matchAll(EVERY_PART)].flatMap((m) => (PART_OF_WORD.get(m[1]!) ?? '').split(' and ')).filter(Boolean);
  return [...new Set(parts)];
}
