import { detectLanguage } from '../../services/messaging/language';

test('a request number is no word: "decline 78DE5C" stays English, while "de" said as a word still counts', () => {
  for (const code of ['78DE5C', 'DE0401', '1DE4F6', '7951DE']) expect(detectLanguage(`decline ${code}`, 'en')).toBe('en');
  expect(detectLanguage('la cita de mi hija', 'en')).toBe('es');
  expect(detectLanguage('I need my MRI results', 'es')).toBe('en');
});
