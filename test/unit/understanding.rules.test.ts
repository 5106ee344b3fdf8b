import { rulesEngine } from '../../services/understanding/rules.engine';
import type { Fields, Intent } from '../../services/understanding/understanding.schema';

// Monday 30 Nov 2026, 09:00 in Austin.
const ctx = { now: new Date('2026-11-30T15:00:00Z'), timeZone: 'America/Chicago' };
const understand = (text: string) => rulesEngine.understand(text, ctx);

describe('intents, in English and Spanish', () => {
  test.each<[string, Intent]>([
    // What the person wants to do with the exam, not the exam itself (issue 13's people).
    ['i have to cancel, im sick with the flu', 'cancel_appointment'],
    ['i need to push my ultrasound back a week', 'reschedule'],
    ['yep ill be at my shoulder mri on thursday', 'confirm_appointment'],
    ['I need an MRI of my lower back', 'request_exam'],
    ['my doctor wants me to get a cat scan', 'request_exam'],
    ['Can I schedule a mammogram?', 'request_exam'],
    ['need ultrasond of my belly', 'request_exam'],
    ['necesito una resonancia de la rodilla', 'request_exam'],
    ['quiero hacerme una mamografía', 'request_exam'],
    ['me mandaron a hacer unos rayos x del pecho', 'request_exam'],
    ['I have an order for an xray', 'request_exam'],
    ['R', 'reschedule'],
    ['I need to reschedule', 'reschedule'],
    ["I can't make it Tuesday", 'reschedule'],
    ['¿podemos cambiar la cita?', 'reschedule'],
    ['no puedo ir el jueves', 'reschedule'],
    ['X', 'cancel_appointment'],
    ['please cancel my appointment', 'cancel_appointment'],
    ['quiero cancelar mi cita', 'cancel_appointment'],
    ['C', 'confirm_appointment'],
    ["confirmed, I'll be there", 'confirm_appointment'],
    ['confirmo', 'confirm_appointment'],
    ['where is my order?', 'order_status'],
    ['did my doctor get the report', 'order_status'],
    ['¿dónde está mi orden?', 'order_status'],
    ['can I eat before my CT?', 'prep_question'],
    ['¿tengo que estar en ayunas?', 'prep_question'],
    ['what should I wear', 'prep_question'],
    ['anything sooner?', 'waitlist'],
    ['put me on the waitlist', 'waitlist'],
    ['¿hay algo más pronto?', 'waitlist'],
    ['agent', 'talk_to_human'],
    ['I want to talk to a person', 'talk_to_human'],
    ['quiero hablar con alguien', 'talk_to_human'],
    ['HELP', 'help'],
    ['ayuda', 'help'],
    ['STOP', 'opt_out'],
    ['please stop texting me', 'opt_out'],
    ['no más mensajes', 'opt_out'],
    ['START', 'opt_in'],
    ['hi', 'greeting'],
    ['Hola buenos días', 'greeting'],
    ['the weather is nice', 'other'],
    ['yes', 'other'], // a bare yes belongs to the question it answers, not to an intent
  ])('%j → %s', async (text, intent) => {
    expect((await understand(text)).intent).toBe(intent);
  });
});

describe('fields', () => {
  test.each<[string, Partial<Fields>]>([
    ['need an mri of my lower back, dr patel sent an order', { modality: 'mri', bodyPart: 'lumbar spine', hasOrder: true, providerName: 'Dr. Patel', language: 'en' }],
    ['necesito un ultrasonido del abdomen', { modality: 'ultrasound', bodyPart: 'abdomen', language: 'es' }],
    ['CT abdomen and pelvis with contrast', { modality: 'ct', bodyPart: 'abdomen and pelvis', contrast: 'with' }],
    ['MRI brain with and without contrast', { modality: 'mri', bodyPart: 'brain', contrast: 'with_and_without' }],
    ['resonancia sin contraste del cuello', { modality: 'mri', bodyPart: 'cervical spine', contrast: 'without' }],
    ['x-ray of my left knee', { modality: 'xray', bodyPart: 'knee', laterality: 'left' }],
    ['rodilla derecha, rayos x', { modality: 'xray', bodyPart: 'knee', laterality: 'right' }],
    ['both shoulders mri', { bodyPart: 'shoulder', laterality: 'bilateral' }],
    ["that's right, my knee", { bodyPart: 'knee', laterality: null }],
    ['mammogram please', { modality: 'mammography', bodyPart: 'breast' }],
    ["I don't have an order", { hasOrder: false }],
    ['no tengo orden', { hasOrder: false, language: 'es' }],
    ['la doctora Ramirez me dio una orden', { hasOrder: true, providerName: 'Dr. Ramirez' }],
    ['my cat scan is on friday', { modality: 'ct' }],
    ['can you text us back', { modality: null, bodyPart: null }],
  ])('%j', async (text, expected) => {
    expect((await understand(text)).fields).toMatchObject(expected);
  });

  test('times are read in the center’s zone, relative to now', async () => {
    expect((await understand('tomorrow at 3pm')).fields.preferredTimes).toEqual(['2026-12-01T15:00']);
    expect((await understand('el viernes a las 10 de la mañana')).fields.preferredTimes).toEqual(['2026-12-04T10:00']);
    expect((await understand('any day next week')).fields.preferredTimes).toHaveLength(1);
    expect((await understand('no dates here')).fields.preferredTimes).toEqual([]);
  });
});
