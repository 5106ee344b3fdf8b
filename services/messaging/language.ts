import { foldAccents } from '../text';
import type { Language } from './templates';

// Words that mark each language in short patient messages (accents folded). Shared words ("doctor", "no") are in neither.
const SPANISH = new Set(
  ('hola holaa buen buenos buenas dia dias tardes noches gracias ayuda quiero quisiera necesito cita sita examen resonancia ultrasonido tomografia ' +
    'radiografia mamografia espanol si por favor senor senora dijo dice mensajes mensaje baja paren dejen manden mande cuando donde que tengo tiene ' +
    'tienen orden puedo puede pueden estoy esta estare usted ustedes dolor espalda rodilla cuello pecho rayos hoy manana semana lunes martes miercoles ' +
    'jueves viernes sabado domingo hora llamar llamen doctora mi mis la el los las del una un de con sin para pero ya voy ir hay algo mas pronto ' +
    'confirmo confirmado asisto perfecto estacionamiento direccion aceptan quien agente representante pasenme recibieron referido mando dura cuanto ' +
    'alto basta parar inicio comenzar reanudar informacion menu tarde temprano otra otro cambiar cancelar cancelen seguro favor estaba tambien aqui como porque')
    .split(' '),
);
const ENGLISH = new Set(
  ('hi hello hey help thanks thank please pls need want appointment appt english i my me the to of for with without and is it can could would ' +
    'you your do does did have has get got where what when how will be there this that yes an a on at in schedule reschedule cancel confirm ' +
    'order report results scan earlier sooner tomorrow today week morning afternoon am pm')
    .split(' '),
);

/**
 * A guess from one message: the language with more of its marker words (Spanish punctuation counts for Spanish);
 * a tie or no marker keeps the fallback (the conversation's language so far). Dialogs keep the choice in state.
 */
export function detectLanguage(text: string, fallback: Language = 'en'): Language {
  const t = foldAccents(text);
  // Whole words only: a code such as a request number (78DE5C) holds no word of either language.
  const tokens = (t.match(/[a-z0-9]+/g) ?? []).filter((w) => !/\d/.test(w));
  let es = /[¿¡ñ]/.test(text) ? 2 : 0;
  let en = 0;
  for (const w of tokens) {
    if (SPANISH.has(w)) es++;
    else if (ENGLISH.has(w)) en++;
  }
  if (es > en) return 'es';
  if (en > es) return 'en';
  return fallback;
}
