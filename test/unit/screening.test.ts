import { evaluateScreening, screeningQuestions } from '../../services/screening/screening';
import { yesNoUnsure } from '../../services/understanding/rules.engine';

const MRI = { modality: 'mri' as const, bodyPart: 'lumbar spine', contrast: 'without' as const };
const ids = (study: Parameters<typeof screeningQuestions>[0]) => screeningQuestions(study).map((q) => q.id);
const allSafe = (study: Parameters<typeof screeningQuestions>[0]) => Object.fromEntries(screeningQuestions(study).map((q) => [q.id, q.safe]));

describe('which questions a study needs', () => {
  test('MRI: every safety item of domain.md §4 and pregnancy; contrast items only with contrast', () => {
    expect(ids(MRI)).toEqual(['pacemaker', 'cochlear', 'neurostimulator', 'pump', 'aneurysm_clip', 'metal_eyes', 'shrapnel', 'implants', 'claustrophobia', 'lie_still', 'pregnancy']);
    expect(ids({ ...MRI, contrast: 'with' })).toEqual(expect.arrayContaining(['contrast_reaction', 'kidney', 'diabetes', 'metformin', 'blood_pressure']));
  });
  test('CT with contrast: pregnancy and contrast; X-ray: pregnancy; ultrasound and mammography: none', () => {
    expect(ids({ modality: 'ct', bodyPart: 'chest', contrast: 'with' })).toEqual(['pregnancy', 'contrast_reaction', 'kidney', 'diabetes', 'metformin', 'blood_pressure']);
    expect(ids({ modality: 'ct', bodyPart: 'chest', contrast: 'without' })).toEqual(['pregnancy']);
    expect(ids({ modality: 'xray', bodyPart: 'knee', contrast: null })).toEqual(['pregnancy']);
    expect(ids({ modality: 'ultrasound', bodyPart: 'abdomen', contrast: null })).toEqual([]);
    expect(ids({ modality: 'mammography', bodyPart: 'breast', contrast: null })).toEqual([]);
  });
  test('every question exists in English and Spanish', () => {
    for (const q of screeningQuestions({ ...MRI, contrast: 'with' })) {
      expect(q.en).toMatch(/\?/);
      expect(q.es).toMatch(/¿.*\?/);
    }
  });
});

describe('evaluating answers', () => {
  test('all safe answers: no flags (slots may be offered; this is not an MRI clearance)', () => {
    expect(evaluateScreening(screeningQuestions(MRI), allSafe(MRI), 45)).toEqual({ noFlags: true, held: false, flags: [], reviews: [] });
  });
  test('pacemaker yes → technologist review', () => {
    const r = evaluateScreening(screeningQuestions(MRI), { ...allSafe(MRI), pacemaker: 'yes' }, 45);
    expect(r).toEqual({ noFlags: false, held: true, flags: [{ id: 'pacemaker', answer: 'yes', review: 'technologist_review' }], reviews: ['technologist_review'] });
  });
  test('claustrophobia, diabetes, metformin, blood-pressure medicine and age over 60 are a task before the visit, not a hold; a device, pregnancy, a reaction or kidney disease holds booking', () => {
    const mri = { modality: 'mri' as const, bodyPart: 'brain', contrast: 'with' as const };
    const safe = allSafe(mri);
    for (const id of ['claustrophobia', 'diabetes', 'metformin', 'blood_pressure']) expect([id, evaluateScreening(screeningQuestions(mri), { ...safe, [id]: 'yes' }, 40)]).toMatchObject([id, { noFlags: false, held: false }]);
    expect(evaluateScreening(screeningQuestions(mri), safe, 75)).toMatchObject({ noFlags: false, held: false });
    for (const id of ['pacemaker', 'implants', 'pregnancy', 'contrast_reaction', 'kidney']) expect([id, evaluateScreening(screeningQuestions(mri), { ...safe, [id]: 'yes' }, 40).held]).toEqual([id, true]);
    expect(evaluateScreening(screeningQuestions(mri), { ...safe, lie_still: 'no' }, 40).held).toBe(true);
  });
  test('unsure counts as a flag; so does "no" to lying still, and a missing answer', () => {
    const qs = screeningQuestions(MRI);
    const answers: Record<string, 'yes' | 'no' | 'unsure'> = { ...allSafe(MRI), implants: 'unsure' };
    delete answers['lie_still'];
    const r = evaluateScreening(qs, answers, 45);
    expect(r.flags.map((f) => [f.id, f.answer])).toEqual([['implants', 'unsure'], ['lie_still', 'unsure']]);
    expect(evaluateScreening(qs, { ...allSafe(MRI), lie_still: 'no' }, 45).flags.map((f) => f.id)).toEqual(['lie_still']);
  });
  test('contrast: a yes, or age over 60, asks for the contrast review', () => {
    const study = { modality: 'ct' as const, bodyPart: 'abdomen', contrast: 'with' as const };
    expect(evaluateScreening(screeningQuestions(study), { ...allSafe(study), metformin: 'yes' }, 40).reviews).toEqual(['contrast_review']);
    expect(evaluateScreening(screeningQuestions(study), allSafe(study), 61).flags).toEqual([{ id: 'age_over_60', answer: 'yes', review: 'contrast_review' }]);
    expect(evaluateScreening(screeningQuestions(study), allSafe(study), 60).noFlags).toBe(true);
  });
});

describe('yes, no or unsure', () => {
  test.each([
    ['yes', 'yes'], ['Y', 'yes'], ['yeah!', 'yes'], ['sí', 'yes'], ['Si', 'yes'], ['claro', 'yes'],
    ['no', 'no'], ['NO.', 'no'], ['nope', 'no'], ['nunca', 'no'], ['no tengo', 'no'],
    ['not sure', 'unsure'], ['I don’t know', 'unsure'], ['no sé', 'unsure'], ['tal vez', 'unsure'], ['maybe?', 'unsure'],
    ['si claro', 'yes'], ['sure why not', 'yes'], ['ok sure', 'yes'], ['yes definitely', 'yes'], ['no thanks', 'no'], ['no gracias', 'no'],
    ['yes but not today', null], ['no se', 'unsure'],
    ['tomorrow', null], ['2', null],
  ])('%j → %p', (text, expected) => {
    expect(yesNoUnsure(text)).toBe(expected);
  });
});
