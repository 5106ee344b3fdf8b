import { screeningAnswer } from '../../dialogs/patient/parse';
import { findDisclosures } from '../../services/screening/disclosures';

const at = new Date('2026-11-30T16:00:00Z');
const kinds = (text: string) => findDisclosures(text, 'conversation', at).map((d) => d.kind);

describe('safety facts in a patient message', () => {
  test.each([
    ['I had hives after contrast last time, is it safe for me?', ['contrast_reaction']],
    ['the dye gave me a rash and my throat swelled', ['contrast_reaction']],
    ['tuve una reacción al contraste la última vez', ['contrast_reaction']],
    ['yes, ive had a pacemaker since 2019', ['implant_device']],
    ['yes, a left knee replacement in 2019 and a coronary stent', ['implant_device']],
    ['tengo marcapasos desde 2019', ['implant_device']],
    ['I need to book my chest x-ray. btw im pregnant', ['pregnancy']],
    ['estoy embarazada de 10 semanas', ['pregnancy']],
    ["I'm on dialysis three times a week", ['kidney']],
    ['tengo insuficiencia renal', ['kidney']],
    ['no pacemaker but I do have a hip replacement', ['implant_device']],
  ])('%s → %j', (text, expected) => {
    expect(kinds(text)).toEqual(expected);
  });

  test.each([
    ['no, I never had a reaction to contrast'],
    ["I don't have a pacemaker"],
    ["I'm not pregnant"],
    ['MRI of my lower back please'],
    ['can I eat before my CT?'],
    ['nunca tuve reacción al contraste'],
  ])('%s → nothing', (text) => {
    expect(kinds(text)).toEqual([]);
  });

  test('the words are kept verbatim, bounded at 500 characters', () => {
    const [d] = findDisclosures(`  I have a stent ${'x'.repeat(600)}`, 'screening:implants', at);
    expect(d).toMatchObject({ kind: 'implant_device', said: 'screening:implants', at });
    expect(d!.words).toHaveLength(500);
    expect(d!.words.startsWith('I have a stent')).toBe(true);
  });
});

describe('a screening answer in everyday words', () => {
  test.each([
    ['yes, ive had a pacemaker since 2019', 'yes'],
    ['yes please!', 'yes'],
    ['si claro', 'yes'],
    ['Sí', 'yes'],
    ['a little', 'yes'],
    ['un poco', 'yes'],
    ['no never', 'no'],
    ['nope', 'no'],
    ['No.', 'no'],
    ['para nada', 'no'],
    ["i don't think so", 'unsure'],
    ['creo que no', 'unsure'],
    ['I have no idea', 'unsure'],
    ['not sure', 'unsure'],
    ['what time is it', null],
  ])('%s → %s', (text, expected) => {
    expect(screeningAnswer(text)).toBe(expected);
  });
});
