import { corpusModel } from '../../bot/integrations/nlpjs.intent-model';
import { createUnderstanding } from '../../services/understanding/understanding.service';

const ctx = { now: new Date('2026-11-30T15:00:00Z'), timeZone: 'America/Chicago' };
const understanding = createUnderstanding({ llm: null, model: corpusModel() });

// Issue 14's examples: a message that names an exam is read by what the person wants done with it.
test.each([
  ['i need to push my ultrasound back a week', 'reschedule', 'ultrasound'],
  ['did the insurance approve my ct yet?', 'order_status', 'ct'],
  ['has my doctor sent the order for my pet scan', 'order_status', 'pet'],
  ['yep ill be at my shoulder mri on thursday', 'confirm_appointment', 'mri'],
  ['my ct is with contrast do i need labs first', 'prep_question', 'ct'],
  ['i get anxious in tight spaces, what can i do for my mri', 'prep_question', 'mri'],
  ['puedo tomar mi metformina antes de la tomografía?', 'prep_question', 'ct'],
])('%s → %s, the exam kept as a field', async (text, intent, modality) => {
  const r = await understanding.understand(text, ctx);
  expect(r.intent).toBe(intent);
  expect(r.fields.modality).toBe(modality);
});

test('the newer fields: the FAQ topic, a question for a clinician, what the person discloses, a second request', async () => {
  const claustro = await understanding.understand('i get anxious in tight spaces, what can i do for my mri', ctx);
  expect(claustro).toMatchObject({ topic: 'claustrophobia', clinical: false, disclosures: [], secondary: null });

  const hives = await understanding.understand('i had hives after contrast last time, is it safe for me?', ctx);
  expect(hives.clinical).toBe(true);
  expect(hives.disclosures).toEqual([{ kind: 'contrast_reaction', words: 'i had hives after contrast last time, is it safe for me?' }]);

  const devices = await understanding.understand('yes, a left knee replacement in 2019 and a coronary stent', ctx);
  expect(devices.disclosures.map((d) => d.kind)).toEqual(['implant_device']);
  const denied = await understanding.understand('no pacemaker, no implants', ctx);
  expect(denied.disclosures).toEqual([]);

  const two = await understanding.understand('can i get a ct of my sinuses scheduled. also how long does that take', ctx);
  expect(two).toMatchObject({ intent: 'request_exam', secondary: 'prep_question', topic: 'how_long' });
  const cost = await understanding.understand('quiero sacar una cita para mamografía y también saber cuánto cuesta sin seguro', ctx);
  expect(cost).toMatchObject({ intent: 'request_exam', secondary: 'other', topic: 'cost' });

  const parking = await understanding.understand('is there parking at your building?', ctx);
  expect(parking).toMatchObject({ intent: 'other', topic: 'parking_directions', clinical: false });
});

test('a denied cancel is a move; a denied move is a cancel', async () => {
  expect((await understanding.understand('I dont want to cancel, just move it. anything next week?', ctx)).intent).toBe('reschedule');
  expect((await understanding.understand('no quiero cancelar, solo cambiar la fecha por favor', ctx)).intent).toBe('reschedule');
  expect((await understanding.understand("I'm not going to make my ultrasound and I don't want to reschedule right now. just cancel", ctx)).intent).toBe('cancel_appointment');
});

test('the model never opts anyone out or in: consent is the keyword rules alone', async () => {
  for (const text of ['cancel my appt and text me back', 'can you text me the address', 'stop taking my metformin before the ct?']) {
    expect((await understanding.understand(text, ctx)).intent).not.toBe('opt_out');
  }
  const r = await understanding.understand('Kindly discontinue the text reminders, thank you', ctx);
  expect(r).toMatchObject({ intent: 'opt_out', intentBy: 'rules' });
});

test('where no rule decides and the model is unsure or fails, the rules answer', async () => {
  const failing = createUnderstanding({ llm: null, model: { predict: () => Promise.reject(new Error('model down')) }, onModelError: () => undefined });
  const r = await failing.understand('i need to push my ultrasound back a week', ctx);
  expect(r.intentBy).toBe('rules');
  const unsure = createUnderstanding({ llm: null, model: { predict: () => Promise.resolve({ intent: 'cancel_appointment', score: 0.3 }) } });
  expect((await unsure.understand('my knee mri', ctx)).intent).toBe('request_exam');
});

test('a question that names no exam, visit or day is never read as a move, cancel or confirm, however sure the model', async () => {
  const sure = createUnderstanding({ llm: null, model: { predict: () => Promise.resolve({ intent: 'reschedule', score: 0.99 }) } });
  expect(await sure.understand('can i drive myself home after? i dont have anyone to take me', ctx)).toMatchObject({ intent: 'other', intentBy: 'rules' });
  expect(await sure.understand('something came up at work friday, what else do you have', ctx)).toMatchObject({ intent: 'reschedule', intentBy: 'model' });
});

// The trained model scored these 1.0 as a cancel (and "le puedo sacar la cita" as one too): an exam asked for stays one.
test.each([
  ['Good morning. My name is Evelyn Marchetti. Dr. Brandt would like me to have one of those CT scans of the lungs, because I smoked for many years. I am not very good with computers so please be patient with me.', 'ct'],
  ['Hola, le escribo por mi papá, necesita una resonancia de la columna. él no habla inglés y no usa el celular, yo le ayudo', 'mri'],
  ['Buenas tardes. Soy Carmen Rosario Figueroa Almonte, nací el 9 de enero de 1951. Mi endocrinóloga quiere un ultrasonido de la tiroides.', 'ultrasound'],
  ['hola buenas, mi mama necesita una mamografia pero ella no sabe usar el cel. le puedo sacar la cita yo?', 'mammography'],
  ['Hello this is Harold Jenkins. I am 78 and Dr. Weiss wants me to have an ultrasound on my legs to check the circulation. I do not have an order from him.', 'ultrasound'],
])('a request for an exam in many words is a request: %s', async (text, modality) => {
  const r = await understanding.understand(text, ctx);
  expect(r.intent).toBe('request_exam');
  expect(r.fields.modality).toBe(modality);
});

test('a booked visit spoken of still lets the model read a cancel or a move', async () => {
  expect((await understanding.understand('my mri appointment on friday is not going to happen', ctx)).intent).toBe('cancel_appointment');
});
