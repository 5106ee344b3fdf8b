import { z } from 'zod';
import { foldAccents } from '../text';
import { phrases } from '../understanding/phrases';

/** The side questions a patient may ask at any point (issue 13): answered from the site config, then back to the step. */
export const FaqTopic = z.enum(['what_to_bring', 'eating_and_medicines', 'how_long', 'what_it_feels_like', 'claustrophobia', 'parking_directions', 'hours', 'insurance_accepted', 'cost', 'arrival', 'what_to_wear', 'accessibility', 'companion']);
export type FaqTopic = z.infer<typeof FaqTopic>;

// Read on accent-folded lower-case text; where two match at the same place, the earlier here wins ("how much does it
// cost" is cost, not how long). English and Spanish side by side.
const TOPICS: Array<[FaqTopic, RegExp]> = [
  ['cost', /\b(how much (will|does|is|would|do)( it| this| that| an?| the| my)?( \w+)?( cost| be| charge)?|how much (do|will) (you|i) (charge|pay)|cost|price|prices|pricing|out of pocket|cuanto (cuesta|cobran|sale|me cobran|vale|tengo que pagar)|cuanto (me |nos |le )?(va|van) a (salir|costar|cobrar)|cuanto (me |nos |le )?(saldria|costaria|cobrarian|sale|cuestan?)|precio|costo)\b/],
  ['insurance_accepted', /\b((is|it|that|this|be) (even )?covered|covered (by|under)|(will|does|would) (medicare|medicaid|my insurance|insurance|aetna|bcbs|uhc) (cover|pay)|(lo|la|me|les) cubre|cubierto por|do you (take|accept)|take my insurance|accept my insurance|in[- ]network|(take|accept) (medicare|medicaid|aetna|cigna|humana|bcbs|blue cross|united|uhc|tricare)|aceptan (mi |el )?(seguro|medicare|medicaid)|toman (mi )?seguro|trabajan con (mi )?seguro)\b/],
  ['claustrophobia', /\b(claustrophob\w*|tight spaces?|closed spaces?|small spaces?|enclosed|anxious|anxiety|panic|scared of the (machine|tube)|nervous|claustrofob\w*|espacios? (cerrados?|pequenos?)|ansiedad|nervios|panico|me da (\w+ ){0,3}miedo|tengo miedo|da miedo|encerrad[oa]|closed in|boxed in)\b/],
  ['arrival', /\b(what time (should|do|must|can) (i|we|he|she|they) (arrive|get there|be there|come in|show up|check in)|how early|arrive early|get there early|a que hora (tengo|tiene|tenemos|debo|debe|hay) que (llegar|estar)|a que hora llego|con cuanto tiempo de anticipacion|cuanto antes (llego|tengo que llegar|debo llegar))\b/],
  ['companion', /\b(come (in )?with (me|him|her|them)|go in with (me|him|her)|stay with (him|her|me|them)|in the room with|be in the room|bring (my|a|our) (kids?|children|baby|husband|wife|partner|friend|daughter|son|mom|mother|dad|father|caregiver|interpreter)|(someone|somebody|family) (come|stay|go) (in )?with|acompan\w*|entrar con (el|ella|mi)|quedarme con (el|ella)|puede entrar (alguien|mi|conmigo)|llevar a mis (hijos|ninos))\b/],
  ['accessibility', /\b(wheelchair|walker|ramp|elevator|handicap\w*|disabled|disability|accessible|wheel chair|stairs|no steps|without steps|mobility|silla de ruedas|andadera|andador|baston|rampa|elevador|ascensor|escaleras|discapacidad)\b/],
  ['what_to_wear', /\b(wear|wearing|clothes|clothing|deodorant|antiperspirant|lotion|powder|perfume|jewelry|jewellery|underwire|makeup|ropa|vestir|ponerme|me pongo|desodorante|joyas|aretes|maquillaje|brasier|sosten|talco)\b/],
  ['eating_and_medicines', /\b(eat|eating|food|(?<!(how|so|as) )fast(?! as)|fasting|drink|drinking|water|coffee|breakfast|lunch|meds|medicine|medicines|medication|medications|pills?|metformin|insulin|comer|como algo|comida|ayunas|ayuno|ayunar|beber|tomar agua|desayun\w*|cafe|medicina|medicinas|medicamentos?|pastillas?|metformina|bladder|pee|restroom|bathroom|vejiga|orinar|ir al bano)\b/],
  ['what_to_bring', /\b(what (do|should|must) i (bring|take with me|need to bring)|what to bring|need to bring|bring anything|should i bring|que (debo|tengo que|necesito) (llevar|traer)|que llevo|llevar algo|traer algo)\b/],
  ['how_long', /\b(how long (will|does|is|do|would|it|should|can|must)|how much time|how many (minutes|hours)|take long|cuanto (tiempo )?(dura|tarda|se tarda|demora|toma)|cuanto tiempo)\b/],
  ['what_it_feels_like', /\b(what (is|will) it (be )?like|what happens (during|at)|does it hurt|will it hurt|(does|will|would|do) (an? |the |my |these |those )?(\w+ ){0,2}hurt|hurt (a lot|much|bad)|is it painful|painful|loud|noisy|what to expect|(el|la) (examen|estudio|resonancia|mamografia|tomografia|ultrasonido|prueba) duele|duele (el|la) (examen|estudio|resonancia|mamografia|tomografia|ultrasonido)|va a doler|dolera|como es (el|la)|que pasa durante|es ruidos[oa])\b/],
  ['parking_directions', /\b(park|parking|directions|where are you|where is (the|your) (center|office|building)|your address|the address|located|how do i get (there|to you)|which floor|suite|estacionamiento|estacion\w*|parque\w*|direccion|donde (estan|quedan|queda)|como llego)\b/],
  ['hours', /\b(hours|open|opening|close|closing|what time do you|are you open|horario|horas de atencion|abren|cierran|a que hora (abren|cierran))\b/],
];

/** Whether a message reads as a question (so an answer to a step that happens to mention food is not taken as one). */
export function looksLikeQuestion(text: string): boolean {
  const t = foldAccents(text).trim();
  return /[?¿]/.test(t) || /(^|[,.;:!]\s*|^((hi|hey|hello|hola|buenas|ok|okay|so|and|also|oh|btw|quick question|y|oye|pues|a|wait|hold on|actually|um+|hmm+|sorry|oigan?|disculpe)[\s,!.]+)+)(what|how|when|where|which|can|could|do|does|is|are|will|should|may|any|que|como|cuando|donde|cual|puedo|debo|tengo que|hay|es|necesito)\b/.test(t);
}

/** A site's own topic (site config `faq.<topic>.words`): matched on its phrases in either language. */
export interface SiteTopic {
  topic: string;
  words: { en: string[]; es: string[] };
}
const compiled = new WeakMap<SiteTopic, RegExp>();

/**
 * The FAQ topic a question is about, or null: the site's own topics first (their words are the site's choice), then
 * the built-in ones.
 */
export function faqTopic(text: string, own: readonly SiteTopic[] = []): string | null {
  return faqTopics(text, own)[0] ?? null;
}

/** Every FAQ topic a message asks about, in the order it asks ("do you take blue cross? and how much is it?": two). */
export function faqTopics(text: string, own: readonly SiteTopic[] = []): string[] {
  const t = foldAccents(text).trim();
  const mine = own.filter((o) => {
    let re = compiled.get(o);
    if (!re) compiled.set(o, (re = phrases([...o.words.en, ...o.words.es].map(foldAccents))));
    return re.test(t);
  });
  // Built-in topics in the order the message asks them; at one place, the earlier entry of TOPICS.
  const builtIn = TOPICS.flatMap(([topic, re]) => {
    const m = re.exec(t);
    return m ? [{ topic, at: m.index }] : [];
  }).sort((a, b) => a.at - b.at);
  return [...mine.map((o) => o.topic), ...builtIn.map((b) => b.topic)];
}

/** Whether a topic is one of the built-in ones (with a default answer when the site config has none). */
export function isBuiltInTopic(topic: string): topic is FaqTopic {
  return (FaqTopic.options as readonly string[]).includes(topic);
}
