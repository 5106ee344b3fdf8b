import type { Language } from './templates';

const SPANISH = /\b(hola|buen[oa]s|gracias|ayuda|quiero|necesito|cita|examen|resonancia|ultrasonido|tomografia|radiografia|mamografia|espanol|si|por favor|senor|senora|doctor[a]? dijo|mensajes?|baja|paren|dejen|manden|cuando|donde|que|tengo|tiene|tienen|orden|puedo|puede|pueden|estoy|esta|usted|ustedes|dolor|espalda|rodilla|cuello|pecho|rayos|hoy|manana|semana|lunes|martes|miercoles|jueves|viernes|sabado|domingo|hora|llamar|llamen|doctora|mi cita|la cita)\b/;

/** A light guess from one message: Spanish when it reads as Spanish, else English. Dialogs keep the choice in state. */
export function detectLanguage(text: string, fallback: Language = 'en'): Language {
  const t = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (/[¿¡ñ]/.test(text) || SPANISH.test(t)) return 'es';
  if (/\b(hi|hello|hey|help|thanks|please|need|want|appointment|english)\b/.test(t)) return 'en';
  return fallback;
}
