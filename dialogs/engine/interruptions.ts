import { foldAccents } from '../../services/text';
import { asksClinical } from '../../services/understanding/clinical';

/** What a message can mean at any step of any flow, before it is read as the step's answer. */
export type Interruption = 'language' | 'help' | 'stop' | 'agent' | 'clinical';

const HELP = /^(help|info|ayuda|\?+|what do i (say|answer|do)|que (digo|contesto|hago)|no entiendo|i don'?t understand|help me|ayudeme|ayudame)$/;
const STOP_FLOW = /^(cancel|cancelar|menu|start over|restart|empezar de nuevo|volver a empezar|salir|exit|never ?mind|olvidalo|olvidelo|back|atras)$/;
const AGENT = /\b(agent|agente|representative|representante|operator|operador|human|humano|real person|a person|una persona|(can|could) (someone|somebody)|(someone|somebody) (call|text|contact|help|talk to|answer) me|talk to (someone|somebody|a person|staff)|alguien (que )?(me )?(llame|hable|conteste|ayude|atienda|marque)|hablar con (alguien|una persona|personal))\b/;
const LANGUAGE_ONLY = /^((in )?(english|spanish)|(en )?(espanol|ingles))( please| por favor)?$/;

/** Thanks, goodbyes and acknowledgements: "ok ty", "Thank you, that helps a lot.", "mil gracias", "perfecto, gracias 🙏". */
const COURTESY = /\b(thanks?|thank (you|u)|ty|thx|tysm|appreciate (it|that|you)|gracias|agradezco|bye|goodbye|adios|have a (good|nice|great) (day|one|evening|night)|que tenga (un )?buen dia|bendiciones|god bless|espero su llamada|i'?ll wait for (your|the) call|quedo (atent[oa]|pendiente))\b/;
const COURTESY_ALL = new RegExp(COURTESY.source, 'g');
const COURTESY_FILLER =
  /\b(ok(ay)?|k|kk|cool|great|perfect|perfecto|excelente|listo|vale|bueno|muy|bien|entendido|got it|sounds good|wonderful|awesome|alright|all right|de acuerdo|so|very|much|for|the|your|you|u|all|a lot|lot|that|this|it|helps?|helped|help|really|again|and|oh|ah|yes|yeah|si|no|de|nuevo|la|las|por|su|sus|todo|toda|ayuda|informacion|info|info|senorita|senor|mija|mijo|amigo|dear|ma'?am|sir|a|y|muchas|muchisimas|mil|le|se|lo|los|you'?re|the best|so much|kind|kindly|amable|amables|muy amable|todos|esta|ya|pues|okis|oki|okey|okk|gracias|dale|va|sale|orale|chevere|buenisimo|genial|ta|we'?ll wait|wait for the call|esperamos)\b/g;

/** A message that only thanks, says goodbye or acknowledges: not an answer, not a request. */
export function isCourtesy(text: string): boolean {
  const f = fold(text);
  if (!COURTESY.test(f)) return false;
  const rest = f.replace(COURTESY_ALL, ' ').replace(COURTESY_FILLER, ' ').replace(/[^\p{L}\p{N}]+/gu, '');
  return rest.length === 0;
}

/** C, R and X as reminders ask for them: the appointment intent they stand for, else null. */
export function appointmentLetter(text: string): 'confirm_appointment' | 'reschedule' | 'cancel_appointment' | null {
  const letter = /^[crx]$/i.exec(text.trim())?.[0]?.toLowerCase();
  return letter === 'c' ? 'confirm_appointment' : letter === 'r' ? 'reschedule' : letter === 'x' ? 'cancel_appointment' : null;
}

/** The message folded for matching: no accents, no case, no closing punctuation. */
export function fold(s: string): string {
  return foldAccents(s).trim().replace(/[.!?¡¿,]+$/g, '').replace(/^[¡¿]+/, '').trim();
}

/** A question for a clinician, wherever it is asked. */
export function isClinical(text: string): boolean {
  return asksClinical(fold(text));
}

const CUE = /\b(in|en|speak|speaks|habla|hablan|hablas|hablar|please|pls|por favor|prefer|prefiero|can we|could we|puede|pueden|podemos|switch|cambiar|cambie|do you|text me|escribame|escribanme)\b/;
const NOT_SPOKEN = /\b(no|don'?t|dont|do not|doesn'?t|does not|can'?t|cannot)\s+(\w+\s+){0,2}(speak|speaks|read|reads|understand|understands|habla|hablo|hablamos|entiende|entiendo|lee|leo)\s+(\w+\s+)?(english|ingles|spanish|espanol)\b/;

/**
 * The language a message asks for: "español por favor", "do you speak spanish?", or the other one when it says which
 * is not spoken ("él no habla inglés"); null when it only mentions one ("my english teacher").
 */
export function askedLanguage(text: string): 'en' | 'es' | null {
  const f = fold(text);
  const not = NOT_SPOKEN.exec(f);
  if (not) return /english|ingles/.test(not[0]) ? 'es' : 'en';
  // "sorry my phone is in english lol": the phone's language, not the conversation's.
  if (!LANGUAGE_ONLY.test(f) && /\b(phone|keyboard|autocorrect|celular|cel|telefono|teclado)\b/.test(f)) return null;
  const asks = LANGUAGE_ONLY.test(f) || CUE.test(f);
  if (asks && /\b(espanol|spanish)\b/.test(f)) return 'es';
  if (asks && /\b(english|ingles)\b/.test(f)) return 'en';
  return null;
}

/**
 * The interruption this message is, if any, in the order they win: a language switch, help, start over, a person, a
 * clinical question. Written once for every flow and channel.
 */
export function interruption(text: string, wantsPerson: boolean): Interruption | null {
  const f = fold(text);
  if (LANGUAGE_ONLY.test(f)) return 'language';
  if (HELP.test(f)) return 'help';
  if (STOP_FLOW.test(f)) return 'stop';
  if (wantsPerson || AGENT.test(f)) return 'agent';
  if (asksClinical(f)) return 'clinical';
  return null;
}
