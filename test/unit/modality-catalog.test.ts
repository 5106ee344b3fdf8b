import { sideAnswer } from '../../dialogs/patient/side-questions';
import {
  CATALOG,
  MODALITIES,
  Modality,
  impliedBodyPart,
  modalityLabel,
  modalityPromptList,
  modalityWords,
  orderName,
  screeningSets,
  usesContrast,
} from '../../services/exams/modality.catalog';
import { missingItems } from '../../services/orders/order.completeness';
import { Modality as OrderModality, OrderInput, PatientInput } from '../../services/orders/order.schema';
import { prepMessage } from '../../services/scheduling/prep';
import { slotMinutes } from '../../services/scheduling/study';
import { screeningQuestions } from '../../services/screening/screening';
import { findExams } from '../../services/understanding/find-exams';
import { extractFields } from '../../services/understanding/rules.engine';
import { ExamMention, Modality as UnderstandingModality } from '../../services/understanding/understanding.schema';
import { exampleSite } from '../support/test-app';

const ctx = { now: new Date('2026-11-30T15:00:00Z'), timeZone: 'America/Chicago' };
const fields = (text: string) => extractFields(text, ctx);
/** findExams as "modality|bodyPart|laterality|contrast" rows, "-" for null, so a table reads at a glance. */
const exams = (text: string) => findExams(text).map((e) => [e.modality, e.bodyPart, e.laterality, e.contrast].map((x) => x ?? '-').join('|'));

describe('one Modality enum', () => {
  test('the catalogue lists every modality, DEXA included, and the order and understanding schemas use that same enum', () => {
    expect(Modality.options).toEqual(['mri', 'ct', 'ultrasound', 'mammography', 'xray', 'pet', 'dexa']);
    expect(OrderModality).toBe(Modality);
    expect(UnderstandingModality).toBe(Modality);
    expect(OrderInput.safeParse({ modality: 'dexa' }).success).toBe(true);
    expect(OrderInput.safeParse({ modality: 'fluoro' }).success).toBe(false);
  });

  test('every modality has short and long labels in English and Spanish, an order name and an LLM description', () => {
    for (const m of MODALITIES) {
      for (const lang of ['en', 'es'] as const) {
        expect(modalityLabel(m, lang)).toMatch(/\S/);
        expect(modalityLabel(m, lang, 'long').length).toBeGreaterThanOrEqual(modalityLabel(m, lang).length);
      }
      expect(orderName(m)).toMatch(/\S/);
      expect(modalityPromptList()).toContain(`${m} (`);
    }
    expect(modalityLabel('dexa', 'en')).toBe('bone density scan');
    expect(modalityLabel('dexa', 'es')).toBe('densitometría');
    expect(modalityLabel('mammography', 'en')).toBe('mammogram');
    expect(modalityLabel('ct', 'es')).toBe('tomografía');
    expect(orderName('ultrasound')).toBe('Ultrasound');
    expect(modalityPromptList()).toMatch(/ or dexa \(bone density scan, DEXA, DXA/);
  });

  test('no word belongs to two modalities', () => {
    const seen = new Map<string, string>();
    for (const m of MODALITIES) {
      for (const w of modalityWords(m)) {
        expect([w, seen.get(w) ?? m]).toEqual([w, m]);
        seen.set(w, m);
      }
    }
  });
});

describe('words → modality, in English and Spanish, lay words and abbreviations', () => {
  test.each<[string, Modality]>([
    ['MRI of the knee', 'mri'],
    ['MRA brain', 'mri'],
    ['necesito una resonancia', 'mri'],
    ['resonancia magnética de rodilla', 'mri'],
    ['CT chest', 'ct'],
    ['CTA chest', 'ct'],
    ['my cat scan is on friday', 'ct'],
    ['una tomografía del abdomen', 'ct'],
    ['me van a hacer una TAC', 'ct'],
    ['US abdomen', 'ultrasound'],
    ['renal US please', 'ultrasound'],
    ['us pelvis', 'ultrasound'],
    ['ultrasound of my thyroid', 'ultrasound'],
    ['un ultrasonido', 'ultrasound'],
    ['sonograma pélvico', 'ultrasound'],
    ['un eco del abdomen', 'ultrasound'],
    ['necesito una ecografía', 'ultrasound'],
    ['mammogram please', 'mammography'],
    ['quiero una mamografía', 'mammography'],
    ['XR left knee', 'xray'],
    ['x-ray of my wrist', 'xray'],
    ['unos rayos x del pecho', 'xray'],
    ['una radiografía', 'xray'],
    ['PET scan', 'pet'],
    ['I need a bone density scan', 'dexa'],
    ['bone density test', 'dexa'],
    ['DEXA scan', 'dexa'],
    ['DXA', 'dexa'],
    ['necesito una densitometría ósea', 'dexa'],
    ['una prueba de densidad ósea', 'dexa'],
  ])('%j → %s (single-exam fields and findExams)', (text, modality) => {
    expect(fields(text).modality).toBe(modality);
    expect(findExams(text)[0]?.modality).toBe(modality);
  });

  test.each(['can you text us back', 'TEXT US BACK PAIN', 'let us know', 'please send us the knee results', 'my pet is sick'])('%j names no modality ("us" and "pet" are everyday words)', (text) => {
    expect(fields(text).modality).toBeNull();
    expect(findExams(text).every((e) => e.modality === null)).toBe(true);
  });

  test('a study named for its body part implies it: mammogram → breast, DEXA → hip and spine', () => {
    expect(impliedBodyPart('mammography')).toBe('breast');
    expect(impliedBodyPart('dexa')).toBe('hip and spine');
    expect(impliedBodyPart('mri')).toBeNull();
    expect(fields('bone density scan please')).toMatchObject({ modality: 'dexa', bodyPart: 'hip and spine' });
  });
});

describe('contrast words and body-part shorthand', () => {
  test.each<[string, 'with' | 'without' | 'with_and_without']>([
    ['ct abd/pelvis w/wo', 'with_and_without'],
    ['MRI brain with and without contrast', 'with_and_without'],
    ['mri c-spine w/ and w/o contrast', 'with_and_without'],
    ['resonancia con y sin contraste', 'with_and_without'],
    ['CT chest w/ contrast', 'with'],
    ['CT chest w/contrast', 'with'],
    ['tomografía con contraste', 'with'],
    ['MRI knee w/o contrast', 'without'],
    ['resonancia sin contraste', 'without'],
    ['CT head non-contrast', 'without'],
  ])('%j → %s', (text, contrast) => {
    expect(fields(text).contrast).toBe(contrast);
    expect(findExams(text)[0]?.contrast).toBe(contrast);
  });

  test.each<[string, 'with' | 'without' | null]>([
    ['CT head wo', 'without'],
    ['stat CT head w/o for Harold Jensen', 'without'],
    ['MRI L-spine wo, r/o HNP', 'without'],
    ['CT abd/pelvis w', 'with'],
    ['MRI brain w for Rosa', 'with'],
    ['TC de cráneo sin', 'without'],
    ['resonancia de rodilla con, para Rosa', 'with'],
    // A lead far from the study, or with a word after it, is not the study's contrast.
    ['I need an MRI of my knee with my husband', null],
    ['can I get a CT? my sister will come with.', null],
  ])('order shorthand %j → %s (a bare lead closing the study)', (text, contrast) => {
    expect(fields(text).contrast).toBe(contrast);
  });

  test.each<[string, string, 'left' | 'right' | 'bilateral' | null]>([
    ['XR L-spine', 'lumbar spine', null],
    ['MRI C-spine', 'cervical spine', null],
    ['MRI T-spine', 'thoracic spine', null],
    ['CT abd/pelvis', 'abdomen and pelvis', null],
    ['xray LLE', 'lower extremity', 'left'],
    ['MRI RUE', 'upper extremity', 'right'],
  ])('%j → %s', (text, bodyPart, laterality) => {
    expect(findExams(text)).toEqual([expect.objectContaining({ bodyPart, laterality })]);
  });
});

describe('findExams: every exam one message names', () => {
  test.each<[string, string[]]>([
    // The cases.
    ['MRI of my lower back, my knee too', ['mri|lumbar spine|-|-', 'mri|knee|-|-']],
    ['a mammogram and a bone density scan', ['mammography|breast|-|-', 'dexa|hip and spine|-|-']],
    ['ct abd/pelvis w/wo', ['ct|abdomen and pelvis|-|with_and_without']],
    ['necesito una resonancia de rodilla y un ultrasonido del abdomen', ['mri|knee|-|-', 'ultrasound|abdomen|-|-']],
    // More.
    ['I need an MRI of my lower back', ['mri|lumbar spine|-|-']],
    ['knee MRI and shoulder x-ray', ['mri|knee|-|-', 'xray|shoulder|-|-']],
    ['knee and shoulder MRI', ['mri|knee|-|-', 'mri|shoulder|-|-']],
    ['MRI and CT of the brain', ['mri|brain|-|-', 'ct|brain|-|-']],
    ['MRI of the left knee and right shoulder', ['mri|knee|left|-', 'mri|shoulder|right|-']],
    ['x-ray of both knees', ['xray|knee|bilateral|-']],
    ['left and right knee x-ray', ['xray|knee|bilateral|-']],
    ['rodilla derecha, rayos x', ['xray|knee|right|-']],
    ['mri brain w and w/o contrast and ct chest without contrast', ['mri|brain|-|with_and_without', 'ct|chest|-|without']],
    ['MRI brain and c-spine w/wo', ['mri|brain|-|with_and_without', 'mri|cervical spine|-|with_and_without']],
    ['MRI of the brain, with contrast', ['mri|brain|-|with']],
    ['mammogram of the left breast', ['mammography|breast|left|-']],
    ['I need a mammogram and my knee x-ray', ['mammography|breast|-|-', 'xray|knee|-|-']],
    ['necesito una mamografía y una densitometría', ['mammography|breast|-|-', 'dexa|hip and spine|-|-']],
    ['ultrasonido de la tiroides y eco del abdomen', ['ultrasound|thyroid|-|-', 'ultrasound|abdomen|-|-']],
    ['tomografía de tórax con contraste', ['ct|chest|-|with']],
    ['PET/CT whole body', ['pet|whole body|-|-']],
    ['MRI of my lower back, not my knee', ['mri|lumbar spine|-|-']],
    ['right, and an MRI of the knee', ['mri|knee|-|-']],
    ['both shoulders mri', ['mri|shoulder|bilateral|-']],
    ['my knee hurts', ['-|knee|-|-']],
    ['hello', []],
    ['', []],
  ])('%j', (text, expected) => {
    expect(exams(text)).toEqual(expected);
  });

  test('each result is a valid ExamMention; a long message is bounded', () => {
    for (const e of findExams('MRI brain, CT chest, US abdomen, XR knee, mammogram, DEXA, PET scan')) expect(ExamMention.parse(e)).toEqual(e);
    expect(findExams('mri knee, '.repeat(5_000)).length).toBeLessThanOrEqual(10);
  });
});

describe('screening and contrast come from the catalogue', () => {
  test('which screening groups apply, contrast questions only with contrast on a study that may use it', () => {
    expect(screeningSets('mri', true)).toEqual(['mri_safety', 'pregnancy', 'contrast']);
    expect(screeningSets('mri', false)).toEqual(['mri_safety', 'pregnancy']);
    expect(screeningSets('ct', true)).toEqual(['pregnancy', 'contrast']);
    expect(screeningSets('xray', true)).toEqual(['pregnancy']);
    expect(screeningSets('pet', false)).toEqual(['pregnancy']);
    expect(screeningSets('dexa', false)).toEqual(['pregnancy']);
    expect(screeningSets('ultrasound', true)).toEqual([]);
    expect(screeningSets('mammography', false)).toEqual([]);
    expect(screeningQuestions({ modality: 'dexa', bodyPart: 'hip and spine', contrast: null }).map((q) => q.id)).toEqual(['pregnancy']);
  });

  test('contrast must be on the order for CT and MRI only', () => {
    expect(MODALITIES.filter(usesContrast)).toEqual(['mri', 'ct']);
    const patient = PatientInput.parse({ givenName: 'Ana', familyName: 'Lopez', birthDate: '1980-04-02', phone: '+15125550123' });
    expect(missingItems(patient, OrderInput.parse({ modality: 'dexa', bodyPart: 'hip and spine' }))).not.toContain('contrast');
    expect(missingItems(patient, OrderInput.parse({ modality: 'ct', bodyPart: 'chest' }))).toContain('contrast');
  });

  test('every catalogue entry that asks contrast questions may use contrast', () => {
    for (const m of MODALITIES) if (CATALOG[m].screening.includes('contrast')) expect(usesContrast(m)).toBe(true);
  });
});

describe('DEXA in the example site config', () => {
  const site = exampleSite();
  const dexa = { modality: 'dexa' as const, bodyPart: 'hip and spine', contrast: null };

  test('a scanner, a slot length, prep in English and Spanish and a how-long answer', () => {
    expect(site.scanners.find((s) => s.id === 'dexa-1')?.modality).toBe('dexa');
    expect(slotMinutes(site, dexa)).toBe(15);
    expect(prepMessage(site, dexa, 'en')).toMatch(/calcium supplements/);
    expect(prepMessage(site, dexa, 'es')).toMatch(/suplementos de calcio/);
    expect(sideAnswer(site, 'how_long', 'en', { modality: 'dexa' })).toMatch(/^A bone density scan takes/);
    expect(sideAnswer(site, 'eating_and_medicines', 'es', { modality: 'dexa' })).toMatch(/calcio/);
  });
});
