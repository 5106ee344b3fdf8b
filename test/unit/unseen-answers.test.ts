/**
 * Answers from the third and fourth sets of unseen conversations (tune-3, tune-4), read by the pure parts: corrected
 * dates, a name said with its date of birth, thanks, questions in other words, wishes about time with corrections.
 */
import { birthDateReadings, nameAndBirthDate, parseCoverage, parseFullName, parseProvider, screeningAnswer } from '../../dialogs/patient/parse';
import { interruption, isClinical, isCourtesy } from '../../dialogs/engine/interruptions';
import { faqTopic, looksLikeQuestion } from '../../services/faq/faq.topics';
import { parseTimeWish } from '../../services/scheduling/time-wish';
import { rulesEngine } from '../../services/understanding/rules.engine';
import { exampleSite } from '../support/fixtures';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
const intent = async (text: string, language: 'en' | 'es' = 'en') => (await rulesEngine.understand(text, { now: NOW, timeZone: 'America/Chicago', language })).intent;

describe('dates of birth said with a correction', () => {
  test.each([
    ['3/17/82 wait no 83. march 17 1983', 'en', ['1983-03-17']],
    ['11/2/1957 sorry i mean 1958', 'en', ['1958-11-02']],
    ['12 de agosto del 63... perdón, del 64', 'es', ['1964-08-12']],
    ['3/4/1960... no sorry, 3/5/1960', 'en', ['1960-03-05']],
  ] as const)('%s', (text, lang, expected) => {
    expect(birthDateReadings(text, NOW, lang)).toEqual(expected);
  });
});

describe('a name and a date of birth in one message', () => {
  test('as the answer to the name question', () => {
    expect(nameAndBirthDate('brenda kowalski 2/28/72', NOW, 'en')).toEqual({ givenName: 'brenda', familyName: 'kowalski', birthDate: '1972-02-28' });
    expect(nameAndBirthDate('Walter Boyd, born March 3, 1941', NOW, 'en')).toEqual({ givenName: 'Walter', familyName: 'Boyd', birthDate: '1941-03-03' });
  });
  test('inside a longer first message, only after "its", "my name is", "soy"', () => {
    expect(nameAndBirthDate('hi need to book a ct scan of my abdomen, dr patel wants it. its linda ferguson-hale dob 11/23/1961, i dont have the order', NOW, 'en', true)).toEqual({ givenName: 'linda', familyName: 'ferguson-hale', birthDate: '1961-11-23' });
    expect(nameAndBirthDate('hola soy brenda salazar 🙋‍♀️ 04/22/98 ocupo agendar mis rayos x', NOW, 'es', true)).toEqual({ givenName: 'brenda', familyName: 'salazar', birthDate: '1998-04-22' });
    expect(nameAndBirthDate('my mri on 12/17/2026 needs moving', NOW, 'en', true)).toBeNull();
  });
  test('a day and month that read two ways keep the name and leave the date to be asked', () => {
    expect(nameAndBirthDate('ana lopez 05/11/1979', NOW, 'es')).toEqual({ givenName: 'ana', familyName: 'lopez' });
  });
});

describe('names, insurance and doctors in more words', () => {
  test('Spanish surnames: a particle surname after the first surname; a second given name', () => {
    expect(parseFullName('Yokasta Almonte de la Cruz', 'es')).toEqual({ givenName: 'Yokasta', familyName: 'Almonte de la Cruz' });
    expect(parseFullName('Martín Ezequiel Ferraro', 'es')).toEqual({ givenName: 'Martín Ezequiel', familyName: 'Ferraro' });
    expect(parseFullName('yesenia marisol cruz', 'es')).toEqual({ givenName: 'yesenia marisol', familyName: 'cruz' });
    expect(parseFullName('Juan de la Cruz', 'es')).toEqual({ givenName: 'Juan', familyName: 'de la Cruz' });
  });
  test('a member id followed by more words; paying oneself in Spanish', () => {
    expect(parseCoverage('aetna W238841907. oh and fyi i got hives from the dye', exampleSite())).toEqual({ ok: true, value: { payer: 'Aetna', memberId: 'W238841907' } });
    expect(parseCoverage('no tengo aseguranza, voy a pagar yo', exampleSite())).toEqual({ ok: true, value: { selfPay: true } });
  });
  test('the practice after a comma, and "number is" without "their"', () => {
    expect(parseProvider('dr nguyen, the clinic on south 1st. number is 512 555 0134')).toEqual({ name: 'Dr. Nguyen', practice: 'The Clinic On South 1st', phone: '+15125550134', display: 'Dr. Nguyen, The Clinic On South 1st' });
  });
  test.each([
    ['dr lee 512 555 01 88', '+15125550188'],
    ['dra ochoa 5 1 2 5 5 5 0 1 3 1', '+15125550131'],
    ['dr kim (512)5550149', '+15125550149'],
    ['dr bell, 512-555-01-93', '+15125550193'],
  ])('the office phone however it is spaced: %s', (text, phone) => {
    expect(parseProvider(text)?.phone).toBe(phone);
  });
  test('"nop", "simon" and "sii" answer a safety question', () => {
    expect(screeningAnswer('nop')).toBe('no');
    expect(screeningAnswer('simon')).toBe('yes');
    expect(screeningAnswer('siii')).toBe('yes');
  });
});

describe('thanks and goodbyes', () => {
  test.each(['ok ty', 'Thank you, that helps a lot.', 'Mil gracias.', 'Está bien, gracias.', 'okis gracias 💕', 'Gracias, muy amables', 'ok gracias, espero su llamada', 'Wonderful, thank you!'])('%s is courtesy', (text) => {
    expect(isCourtesy(text)).toBe(true);
  });
  test.each(['thanks, can i eat before?', 'ok', 'Perfecto, gracias. Les escribo luego para la cita.', 'thanks dana! is there parking?'])('%s is not only courtesy', (text) => {
    expect(isCourtesy(text)).toBe(false);
  });
});

describe('questions in other words', () => {
  test.each([
    ['hey what time r u open on saturdays', 'hours'],
    ['ok y a que hora abren los sabados', 'hours'],
    ['ok and do u have parking there', 'parking_directions'],
    ['Can I stay with him in the room? He gets confused in new places.', 'companion'],
    ['Ella usa silla de ruedas, ¿hay problema?', 'accessibility'],
    ['y a que hora tengo que llegar?', 'arrival'],
    ['Can I wear deodorant that day?', 'what_to_wear'],
    ['does an MRI hurt?', 'what_it_feels_like'],
    ['hay donde estacionarse?', 'parking_directions'],
    ['y cuanto me va a salir?', 'cost'],
    ['¿La resonancia es muy encerrada? Me da un poquito de miedo', 'claustrophobia'],
  ])('%s → %s', (text, topic) => {
    expect(looksLikeQuestion(text)).toBe(true);
    expect(faqTopic(text)).toBe(topic);
  });
  test('"my son hurt his wrist" is no question about pain', () => {
    expect(faqTopic('my son hurt his wrist at football practice last night. Can we get an x-ray?')).toBeNull();
  });
  test.each(['Is an MRI even safe with her pacemaker?', 'mañana si se puede. ah y creo q estoy embarazada, como 6 semanas, eso importa pal xray?', 'los rayos x le hacen daño al bebe?', '¿Es algo malo? Es que el doctor no me contesta', 'queremos saber los resultados, ¿me pueden decir qué salió?'])('%s is for a clinician', (text) => {
    expect(isClinical(text)).toBe(true);
  });
  test('"Someone told me…" is not asking for a person; "can someone call me" is', () => {
    expect(interruption('Do I need to drink water before? Someone told me something about a full bladder', false)).toBeNull();
    expect(interruption('can someone call me about this', false)).toBe('agent');
  });
});

describe('what the person wants, in more words', () => {
  test.each<[string, 'en' | 'es', string]>([
    ['hola es para confirmar mi cita del miercoles 9 para la tomografia', 'es', 'confirm_appointment'],
    ['buenas, tengo la resonancia el miercoles pero me salio un trabajo ese dia, la puedo mover?', 'es', 'reschedule'],
    ['I just want to be sure I am still on the books for my mammogram Thursday morning', 'en', 'confirm_appointment'],
    ['Si alguien cancela antes, ¿me pueden avisar? Pero no me quiten mi cita.', 'es', 'waitlist'],
    ["Don't move it yet - can you put me on a cancellation list and text me if something earlier opens up?", 'en', 'waitlist'],
    ['mi mamá tiene cita para la mamografía este viernes, pero ya se la hicieron en Monterrey. Ya no la necesita.', 'es', 'cancel_appointment'],
    ["her neurologist wants a brain MRI. I'm setting it up. She has a pacemaker, I'm not sure if that matters.", 'en', 'request_exam'],
    ['Buenas tardes. ¿Ya les llegó la orden del doctor para el ultrasonido? quiero confirmar antes de pedir permiso en el trabajo.', 'es', 'order_status'],
  ])('%s → %s', async (text, lang, expected) => {
    expect(await intent(text, lang)).toBe(expected);
  });
});

test('a call that was promised ("said you all would call me") is not asking for a person now', async () => {
  expect(await intent('Doctor Baines said you all would call me about my lung scan but nobody has')).not.toBe('talk_to_human');
  expect(await intent('can you call me please')).toBe('talk_to_human');
});

describe('when they can come, with corrections', () => {
  const wish = (text: string) => parseTimeWish(text, NOW, 'America/Chicago');
  test.each([
    ['Any day but Monday. Late morning is nice.', { days: [], notDays: [1], after: 10 * 60, before: 12 * 60 }],
    ['El miércoles... no, mejor el jueves, que el miércoles tengo que llevar a mami al médico', { days: [4], notDays: [] }],
    ['ninguna me sirve chamo, salgo del trabajo a las 5', { after: 17 * 60 }],
    ['hoy si se puede o mañana', { days: [1, 2] }],
    ['Mornings... actually no, I do school drop-off in the mornings. Afternoons after 1 please.', { after: 13 * 60, before: null }],
  ])('%s', (text, expected) => {
    expect(wish(text)).toMatchObject(expected);
  });
});
