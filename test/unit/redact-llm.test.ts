import { redactForLlm } from '../../services/understanding/redact';

test.each([
  ['hi this is Maria Lopez dob 3/4/1980, need an mri', 'hi this is [name] [date], need an mri'],
  ['my name is jose luis garcia and i need a ct', 'my name is [name] and i need a ct'],
  ['Soy Ana Ruiz, naci el 4 de marzo de 1975', 'Soy [name], [date]'],
  ['born march 4, 1980 and need a mammogram', '[date] and need a mammogram'],
  ['me llamo pedro, necesito cita', 'me llamo [name], necesito cita'],
  ['for my mom, her name is Rosa Elena Diaz Gomez', 'for my mom, her name is [name] Gomez'],
])('names after a name cue and dates with a year are not sent to the LLM: %s', (text, sent) => {
  expect(redactForLlm(text)).toBe(sent);
});

test.each(['im pregnant can i get an xray', 'soy diabética, puedo comer antes?', 'i need an mri next tues at 2', 'i am at work til 5, can i come thursday'])(
  'words that are no name or birth date go as they are: %s',
  (text) => expect(redactForLlm(text)).toBe(text),
);
