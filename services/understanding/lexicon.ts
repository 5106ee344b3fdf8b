import type { Modality } from './understanding.schema';

export { foldAccents as fold } from '../text';

/** Words people use for each modality, in English and Spanish, lay and clinical, with common misspellings. */
export const MODALITY_WORDS: Record<Modality, string[]> = {
  // Short words that are also ordinary words ("us", "mr", "cat", "pet", "rm") are left out on purpose.
  mri: ['mri', 'm.r.i', 'mris', 'mri scan', 'magnetic resonance', 'resonancia', 'resonancia magnetica', 'resonacia', 'rmn', 'mir', 'mrl', 'emm ar eye'],
  ct: ['ct', 'c.t', 'ct scan', 'cat scan', 'cat-scan', 'catscan', 'computed tomography', 'tomografia', 'tomografia computarizada', 'tomografia axial', 'tac'],
  ultrasound: ['ultrasound', 'ultra sound', 'ultra-sound', 'ultrsound', 'ultrasond', 'ultrasounds', 'ultrasonido', 'ultrasonografia', 'sonogram', 'sonograma', 'sono', 'echo', 'ecografia', 'eco', 'doppler'],
  mammography: ['mammogram', 'mamogram', 'mammagram', 'mammo', 'mammography', 'mamografia', 'mamograma', 'mamo', 'breast screening'],
  xray: ['x-ray', 'xray', 'x ray', 'x-rays', 'xrays', 'xrey', 'exray', 'ex-ray', 'radiograph', 'radiografia', 'rayos x', 'rayos-x', 'placa', 'placas'],
  pet: ['pet scan', 'pet-ct', 'pet/ct', 'pet ct', 'tomografia por emision de positrones'],
};

/** Lay and Spanish words for body parts, mapped to the canonical English name used in orders. Longest first wins. */
export const BODY_PART_WORDS: Array<[string, string[]]> = [
  ['lumbar spine', ['lower back', 'low back', 'lumbar', 'lumbar spine', 'l-spine', 'lspine', 'espalda baja', 'parte baja de la espalda', 'columna lumbar', 'zona lumbar', 'lumbares', 'my back', 'back pain', 'espalda']],
  ['cervical spine', ['neck', 'cervical', 'cervical spine', 'c-spine', 'cuello', 'columna cervical', 'cervicales']],
  ['thoracic spine', ['mid back', 'middle back', 'upper back', 'thoracic', 't-spine', 'espalda media', 'espalda alta', 'columna toracica', 'columna dorsal', 'dorsal']],
  ['brain', ['brain', 'head', 'cerebro', 'cabeza', 'cerebral']],
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
  ['abdomen and pelvis', ['abdomen and pelvis', 'abdomen pelvis', 'abd/pelvis', 'abdomen y pelvis']],
  ['pelvis', ['pelvis', 'pelvic', 'pelvica', 'pelvico']],
  // "mama" alone is also "mom": only in phrases that are about the breast.
  ['breast', ['breast', 'breasts', 'seno', 'senos', 'de mama', 'de mamas', 'mama derecha', 'mama izquierda', 'ambas mamas']],
  ['thyroid', ['thyroid', 'tiroides']],
  ['kidneys', ['kidney', 'kidneys', 'renal', 'rinon', 'rinones']],
  ['liver', ['liver', 'higado']],
  ['gallbladder', ['gallbladder', 'gall bladder', 'vesicula', 'vesicula biliar']],
  ['sinuses', ['sinus', 'sinuses', 'senos nasales', 'senos paranasales']],
  ['heart', ['heart', 'cardiac', 'corazon', 'cardiaco']],
  ['carotid arteries', ['carotid', 'carotids', 'carotida', 'carotidas']],
  ['leg veins', ['leg veins', 'veins in my leg', 'venas de la pierna', 'venas de las piernas']],
  ['whole body', ['whole body', 'full body', 'cuerpo entero', 'cuerpo completo']],
];

/** Studies that are usually called by a name that implies the body part. */
export const IMPLIED_BODY_PART: Partial<Record<Modality, string>> = { mammography: 'breast' };
