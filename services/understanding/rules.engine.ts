import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { isRevocation, exactKeyword } from '../consent/keywords';
import { CONTRAST_ORDER, contrastPhrases, impliedBodyPart, type Contrast } from '../exams/modality.catalog';
import { faqTopic, isBuiltInTopic, looksLikeQuestion } from '../faq/faq.topics';
import { detectLanguage } from '../messaging/language';
import { findDisclosures } from '../screening/disclosures';
import { asksClinical } from './clinical';
import { findExams } from './find-exams';
import { parseTimeWish } from '../scheduling/time-wish';
import { coverageIn, providerDetails } from './details';
import { BODY_PART_WORDS, fold, LATERAL, MODALITY_WORDS, NOT_LATERAL } from './lexicon';
import { phrases } from './phrases';
import type { Fields, Intent, Modality, SaidDisclosure, UnderstandContext, Understanding, UnderstandingEngine } from './understanding.schema';

// In catalogue order: when a message names several modalities, the first listed is the one read.
const MODALITY_RE = Object.entries(MODALITY_WORDS).map(([m, list]) => [m as Modality, phrases(list)] as const);
// Longest phrase first ("abdomen and pelvis" before "abdomen"), each compiled once.
const BODY_PART_RE = BODY_PART_WORDS.flatMap(([part, list]) => list.map((w) => [part, w] as const))
  .sort((a, b) => b[1].length - a[1].length)
  .map(([part, w]) => [part, phrases([w])] as const);
// Both first, then without, then with: "with and without contrast" is not "without contrast".
const CONTRAST_RE = CONTRAST_ORDER.map((c) => [c, phrases(contrastPhrases(c))] as const);
// Order shorthand: a bare lead closing the study ("CT head wo", "MRI L-spine w/o, r/o HNP", "TC de craneo sin"),
// read only within two words after the modality or body part, so "can my husband come with" says nothing.
const BARE_END = String.raw`(?=\s*(?:$|[,.;:(]|\s(?:for|to|r\/o|rule|dx|pt|para|x)\b))`;
const BARE_CONTRAST: Array<[Contrast, RegExp]> = [
  ['without', new RegExp(String.raw`^\s+(?:[a-z-]+\s+){0,2}?(?:wo|w\/o|without|sin)${BARE_END}`)],
  ['with', new RegExp(String.raw`^\s+(?:[a-z-]+\s+){0,2}?(?:w\/|w|with|con)${BARE_END}`)],
];

/** Intent rules, first match wins: commands before topics, specific topics before the general "request an exam". */
const INTENT_RULES: Array<[Intent, RegExp]> = [
  ['opt_in', /^(start|subscribe|resubscribe)\b|\bsuscribir\w* (de nuevo|otra vez|nuevamente)\b|\b(vuelvan|vuelve|vuelva) a (escribirme|mandarme|enviarme)\b|\b(ya )?(pueden|puede|puedes) (volver a )?(escribirme|mandarme mensajes|enviarme mensajes) (otra vez|de nuevo|nuevamente)\b|\bsi quiero (recibir )?(los |las )?(recordatorios|mensajes|textos)\b|\b(text|message|remind)\w* me again\b|\breceive (the )?(texts|messages|text messages|reminders) again\b|\bresume (the )?(texts?|text messages|messages|reminders)\b|\bsign me (back )?up\b|\bopt (me )?(back )?in\b|\b(recibir|mandarme|mandar|enviarme|enviar) (los |las )?(mensajes|textos|recordatorios)\b.*\b(otra vez|de nuevo|nuevamente)\b|\bvolver a (recibir|mandarme|enviarme)\b|\bvuelvan a (mandar|enviar)\w*\b|\bactiv\w* (los )?mensajes\b|\bsi quiero recibir\b|^(alta|suscribir(me)?|reactivar)\b|\b(reactivar|reactiven|activen|activar) (los |mis )?(mensajes|textos|recordatorios)\b|\b(get|receive|getting) (the )?(\w+ )?(texts?|text messages|messages|reminders?)( \w+)? again\b|\b(texted|sent|typed) stop by (accident|mistake)\b|\b(yes|si)\W+(send me|mandenme|envienme) (\w+ )?(text|texts|reminders|recordatorios|mensajes)\b|\bque me (manden|envien) (los |mis )?(recordatorios|mensajes|textos)\b.*\b(otra vez|de nuevo|nuevamente)\b/],
  ['talk_to_human', /\b(transfer|connect|put) me (through )?(to|with)\b|\bme (marcan|marca)\b|\bque me (pueda|puedan) (llamar|marcar)\b|\bquiero que me (llame|llamen|marque|marquen)\b|\bllamarme\b|\bgive me a (call|ring)\b|\b(speak|talk) (to|with) (the |a |your )?(scheduler|scheduling|billing|front desk|receptionist|office manager|manager|supervisor)\b|\bwho can i (call|talk to|speak (to|with))\b|\b(me comunica|comuniqueme|me comunicas|me pasa|me pasas) con\b|\b(is there|hay) (a |an |alguien |una )?(nurse|person|someone|enfermera)? ?(i can|en recepcion)? ?(talk|speak|con quien (pueda|puedo) hablar)\b|^front desk\W*(please|pls|por favor)?\b|\bcon quien (pueda|puedo) hablar\b|\balguien (me )?(llame|hable|conteste)\b|\bmarquen(me|le)\b|\b(pueden|puede|podrian) (llamarle|llamarla|llamarlo|hablarle)\b|\bprefiero que me (hablen|llamen)\b|\b(me podria|podria|puedo|quiero) comunicar(me)? con\b|\b(paseme|pasame|comuniqueme|comunicame) con\b|\b(hablo|puedo hablar|quiero hablar|necesito hablar) con (alguien|una persona|un humano)\b|\b(talk|hablar) (con|to|with) alguien\b|\b(agent|agente|human|humano|representative|representante|operator|operador[a]?|recepcionista|receptionist|real person|a person|una persona|call me|llamenme|llameme|me (puede|pueden) (llamar|marcar)|(puede|pueden) (llamarme|marcarme)|me (puede|pueden) (llamar|marcar) alguien|(me )?(marque|llame|hable) alguien|(talk|speak) (to|with) (a |the |someone|somebody|anyone|your )?(nurse|staff|front desk|someone|somebody|anyone|person|doctor|radiologist|technologist|tech|human|agent|representative)|hablar con|comunicarme con)\b/],
  ['cancel_appointment', /^x$|\b(don'?t|do not|dont) need (the|my) (\w+ ){0,3}(anymore|any more)\b|\btake (me|us|her|him) off the (schedule|calendar)\b|\b(won'?t|will not|wont|are not|aren'?t|not) be coming (in )?(to|for)\b|\bya no (vamos a |voy a )?(ocupar|necesitar)\b|\bdar de baja (mi|la) cita\b|\bcancelacion de (la |mi )?cita\b|\bdar de baja (mi|la) cita\b|\b(cancelar|cancela|cancelo|cancelarla|anular) (mi|la|el|esa|esta|ese|este)\b|\bcan be cancell?ed\b|\b(cancel|cancell?ing|cancelar|cancele|cancela|anular)\b.*\b(appointment|appt|cita|scan|exam|examen|mri|ct|ultrasound|mammogram|x-?ray|it|la|mi)\b|\b(cancel|cancelar) (it|la cita|mi cita|my appointment)\b|\bdon'?t need (it|the appointment) anymore\b|\b(have to|need to|got to|gotta|must|going to have to|i'?ll have to) cancel\b|\btengo que cancelar\b|\b(pls|please|plz|pl[sz]) cancel\b|\bcan'?t make (my|the) (appointment|appt|\w+ (scan|appointment|appt)|mri|ct|x-?ray|xray|ultrasound|mammogram|mammo|pet scan)\b.*\bcancel\b|\b(?<!no )(cancelen|cancelenla|cancelela|anulen|anule)\b|\b(cancelar|cancela|cancelarla|anular) (mi|la|el|esa|esta) (cita|resonancia|tomografia|mamografia|ultrasonido|radiografia|examen)\b|\bla pueden cancelar\b|\b(ya )?no necesito (la|el|mi|esa|ese) (cita|resonancia|tomografia|mamografia|ultrasonido|radiografia|examen|estudio)\b|\bdon'?t need the (one|appointment|appt|exam|scan) (you have|on file|anymore|any more)\b|\b(ya )?no (lo|la|los|las) (necesito|necesita|necesitamos)\b|\b(doesn'?t|does not|don'?t|do not) need (it|the \w+|her \w+|his \w+) (anymore|any more)\b|\bno longer needs?\b|\balready (got|had) (it|them|my \w+( \w+)?|the \w+) done\b|\bno longer need\b|\bya me (lo|la|los|las) hice\b|\bme (lo|la|los|las) hice en otr[oa]\b/],
  ['reschedule', /^r$|\b(switch (my|the) (\w+ ){0,3}to (a |an |the )?(\w+day|morning|afternoon|evening|later|earlier|different|another|next)|(doesn'?t|does not|won'?t|will not) work (anymore|any more|for me)|cambi(en|e|a)me (la|mi) cita|rebook|re-book|new date|switch (my|the) (appointment|appt)|change (my|the) (\w+ ){1,3}to (a |an )?(later|earlier|different|another|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|atrasar|recorrer|cambio de (fecha|hora|dia)|(necesito|quiero|quisiera) moverla|me la (cambian|pueden cambiar|mueven)|can'?t do (monday|tuesday|wednesday|thursday|friday|saturday|sunday|that day|tomorrow|that time)|(el )?(lunes|martes|miercoles|jueves|viernes|sabado) no (puedo|me queda)|reschedul\w*|re-schedul\w*|resched|reprogram\w*|move (my|the|it)|change (my|the) (appointment|appt|time|day|date)|different (day|time|date)|another (day|time|date)|can'?t make it|cant make it|won'?t make it|can'?t come|cannot come|can not come|cambiar (la|mi|de) (cita|hora|dia|fecha)|otro dia|otra hora|otra fecha|no puedo (ir|asistir|llegar)|no voy a poder|mover (la|mi) (cita|resonancia|tomografia|mamografia|ultrasonido|radiografia|examen|estudio)|se puede mover|(la|lo) (puedo|podemos|pueden|podria|puede) (mover|cambiar|pasar)|(puedo|podemos|pueden) (moverla|moverlo|cambiarla|cambiarlo)|cambiar (la|mi) (resonancia|tomografia|mamografia|ultrasonido|radiografia)|podemos cambiar|pasar (mi|la) \w+ para|push (it|my \w+|the \w+) back|push back|postpone|posponer|aplazar|reagendar|reprogramar|push (my|the) \w+ to|(do|make it|switch to) \w+ instead|cambiar (mi|la) cita)\b/],
  ['confirm_appointment', /^c$|^(yes|yeah|yep|si)\W+(confirm\w*|confirmo)\b|\bwhat time is my\b|\ba que hora (es|era) mi cita\b|(?<!can (i|he|she|we) )\bstill (on|have|got) (for|the|my)\b|\bwe'?ll be there\b|\bwe will be there\b|\bcuenten conmigo\b|\b(ahi|alli|alla) (vamos a|voy a) estar\b|\bsigue siendo\b|\b(todavia|aun) (esta|sigue) (programad[oa]|agendad[oa]|en pie)\b|\bquiero asegurarme\b|\b(sigue|esta) en pie (mi|la) cita\b|\bsi (sigue|esta) en pie\b|\bstill on the (books|schedule|calendar|list)\b|\b(make|be) sure (that )?(i'?m|i am|she'?s|he'?s|she is|he is) still (booked|scheduled|on)\b|\bdo i still have (my|an|the) (appointment|appt)\b|\b(sigo|sigue) (agendad[oa]|en la agenda|con la cita)\b|\btodavia tengo (mi |la )?cita\b|^(confirm|confirmed|confirming|confirmo|confirmado|confirmar)\b|\b(just |i'?m |im )?confirm(ing)? (my|the|for|that)\b|\bquiero confirmar( (mi|la) (cita|hora)|$)|\b(es |era )?para confirmar (mi|la|su) cita\b|\bconfirmar (mi|la) cita\b|\b(want|wanted|like|need|calling|writing|texting) to confirm (my|the|our|her|his)\b|\bjust confirming\b|\b(yes |yeah |yep )?(i'?m|im|i am|we'?re|we are) (still )?(coming|gonna be there|going to be there)\b|\b(si )?(voy a ir|ahi voy a estar|alli voy a estar)\b|\bsee you (on )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|then|tomorrow|tmrw)\b|\b(i'?ll be there|i will be there|ill be (there|at)|i'?ll be at (my|the)|see you (then|tomorrow)|alli estare|ahi estare|alla estare|confirm (my|the) appointment|confirmo|asisto|si voy|nos vemos)\b/],
  ['order_status', /\b(status|estado|(insurance|seguro) (denied|nego|rechazo)|(denied|negaron|rechazaron|denegaron) (my|mi|la|el)|me (negaron|rechazaron|denegaron)|(referral|order|authorization|auth|referido|orden) (went|go|gone|has gone) (through|thru)|tienen (mi|el) (referido|orden)|(checaron|revisaron) (mi|la) (autoriz\w*|authorization)|(autorizacion|authorization) .{0,40}ya salio|hold ?up with|(report|results?|resultados?|informe|reporte) (be |going to be |gonna be )?(ready|back|listos?)|(read|looked at) my \w+ yet|nadie me ha (llamado|contactado|escrito)|no me han (llamado|contactado|escrito)|(no one|nobody) (has )?(called|contacted)|haven'?t heard (back|anything)|what happened (to|with) (my|the) (order|referral)|que paso con (mi|la|el) (orden|referido)|como va (lo de |el tramite de )?(mi|la|el)|esperando (la )?(autorizacion|aprobacion)|waiting (on|for) (the )?(insurance|authorization|approval)|(ya )?(aprobo|autorizo|aprobaron|autorizaron) (el|mi) seguro|si (ya )?(aprobo|autorizo|aprobaron|autorizaron)|(insurance|seguro) (go|went|gone|going) (thru|through)|(go|went) (thru|through) (yet|for)|check(ing)? on (my|the)|any (update|news) on|(insurance|seguro) (approv\w*|authoriz\w*|aprob\w*|autoriz\w*)|(approv\w*|authoriz\w*|aprob\w*|autoriz\w*) (it|my|the|yet|ya)|(is|was|has) (it|my \w+) (been )?(approved|authorized)|(ya )?(lo|la) (aprobaron|autorizaron)|where('?s| is) my (order|referral|report|results?)|(did|have|has) (you|u|y'?all|you all|you guys|my (doctor|dr)|the doctor|dr \w+) (get|got|gotten|receive[d]?)|(received|receive|get) (the|my) (order|referral)|results?|resultados?|report (ready|sent)|(have|get) my .{0,20}(report|results)|reporte|informe|donde esta mi (orden|referido|reporte)|recibieron|recibio|ya (la|lo) tienen|ya tienen (mi|la|el) (orden|referido)|ya (les |le )?(llego|recibieron|recibio) (mi|la|el) (orden|referido)|si (ya )?(les |le )?(llego|llegaron|recibieron|tienen) (mi|la|el|los)|mi doctor (recibio|ya tiene))\b/],
  ['prep_question', /\b(is (that|it|this) (ok|okay|a problem|an issue) (for|with)|(is|will|would) (that|it|this) (going to |gonna )?be (a problem|an issue|safe|dangerous)|es seguro (hacerme|para|que|si)|tattoos?|tatuajes?|piercings?|aretes|earrings|desayunar|almorzar|claustrofob\w*|claustrophob\w*|a que hora (tengo|debo) (que )?llegar|premedic\w*|labs? first|blood ?work|lab work|does (that|it|this) matter|hay (algun )?problema (con|para)|(?<!(me|le|te|les|nos) )duele|arde|se siente|necesito llevar|bata|desnud[oa]|headphones|audifonos|noise|ruido|in a tube|de tubo|tubo cerrado|can (he|she|i) still (get|do|have)|peligroso (hacerme|para)|prep|preparation|prepare|preparacion|preparar(me)?|can i eat|can i drink|eat before|drink (water|anything|before)|fasting|(?<!(how|so|as) )fast(?! as)|ayun\w*|comer|beber|tomar agua|what (should|do) i (wear|bring)|que (debo|tengo que) (llevar|traer|hacer)|que ropa|me pongo|metal|jewelry|joyas|deodorant|desodorante|(take|taking|stop taking) (my )?(\w+ ){0,2}(meds|medicine|medicines|medication|medications|metformin|pills)|dejar de tomar|medications? before|medicinas? antes|full bladder|vejiga llena|how long (does|will|is)|cuanto (tiempo|dura|tarda)|how early|arrive early|llegar (antes|temprano)|(can i|puedo) (go|ir|wear|llevar|usar) (with|con)|pacemaker|marcapasos|implant|implante|brasier|bra)\b/],
  ['waitlist', /\b(earlier|sooner|waitlist|wait list|waiting list|cancellation list|(if|when) (someone|anyone|somebody) cancels|openings?|lista de espera|(?<!lo )mas (pronto|temprano)(?! posible)|si (se cancela alguien|alguien cancela)|(cita|algo) antes|(algo|espacio|lugar|cita) (para esta semana|libre)|algun espacio|muy lejos|cita mas cercana)\b/],
  // Prices and coverage are questions for staff, not a request for an exam.
  ['other', /\b(how much|cost|costs|price|prices|cuanto cuesta|cuesta|precio|gratis|free|cover|covers|covered|cubre|tengo derecho)\b/],
];
const SOMEONE_CANCELS = /\b(if|when|in case|si|cuando|en caso de que) (someone|somebody|anyone|anybody|another patient|alguien|otra persona|otro paciente|algun paciente) (else )?(cancels?|cancela|cancelan|cancele)\b/;
/** The waitlist said by name, in either language. */
export const WAITLIST_NAMED = /\b(waitlist|wait list|waiting list|cancellation list|cancelation list|lista de espera)\b/;
const DEVICE_WORDS = /\b(pacemaker|marcapasos|implants?|implantes?|metal)\b/g;
const GREETING = /^((hi+|hello+|hey+|hiya|good (morning|afternoon|evening)|hola+|buen[oa]?s? (dia|dias|tardes|noches)|buen[oa]s|saludos|que tal|there|you)[\s!.,?]*)+$/;
const WANTS_EXAM = /\b(need|needs|want|wants|wanted|would like|get|getting|schedule|book|make an? appointment|appointment for|set up|sign up|referral|referred|order(ed)?|necesito|quiero|quisiera|agendar|programar|hacer(me)? (una|un)|sacar (una )?cita|cita para|me mandaron|me ordenaron|me pidieron)\b/;

const HAS_ORDER_YES = /\b((i )?(have|got|has) (an?|the|my) (order|referral|prescription|script)|referred (me|by)|ordered (it|one|this|an?|the)|order (is )?attached|the order is from|(sent|faxed) (over )?(an?|the|my)? ?(order|referral)|me ordeno|(mando|envio|mandaron|enviaron) (la orden|el referido|una orden)|sent (an?|the|my|over the|over an?) (order|referral)|sent (over )?(an?|the|my|her|his) (\w+ ){1,3}(order|referral)|(tiene|tenemos) (una |la )?orden|(doctor|dr\.?|physician|provider|office) (sent|ordered|faxed|gave me|wrote)|orden medica|tengo (una |la )?orden|tengo (un |el )?(referido|pase)|me (mando|envio|dio|dieron|mandaron) (una |la )?orden|ya (mando|envio|mandaron|enviaron) la orden|(said|says|told me) (that )?(she|he|they|it|the office)?('?d| would| will| was going to| is going to| were going to)? ?(fax|send)|(she|he|they|office|clinic|doctor|dr)('?ll|'?d| will| would| is going to| are going to| was going to|s going to| gonna)? (fax|send|sent|faxed) (it|the order|the referral|over|them|me)|ordered (both|them|it|these)|(my|the) order (came in|is in|arrived|got there)|dijo que (la|lo) (manda|envia|va a mandar|va a enviar|mando|envio)|(la|lo) (mando|envio|va a mandar|va a enviar|manda|envia) (hoy|ayer|mañana|la semana|el)|me (la )?(dio|dieron|pidio|pidieron) (la|una) orden|(doctor|dr|neurologist|oncologist|surgeon|pcp|physician|provider|ortho\w*|cardiologist|gyn\w*|obgyn|pediatrician|nurse|pediatra|neurocirujano|ginecolog[oa]|doctora|medic[oa]) (\w+ )?(ordered|wrote|sent|faxed|mando|envio|ordeno)|(order|referral) (was|has been|got|is) (sent|faxed|in)|nurse would send|(la|lo) mando|order (is|was|came|should be|will be|should come|is coming) from)\b/;
const HAS_ORDER_NO = /\b(no (doctor'?s? |medical )?(order|referral)|(don'?t|do not|dont) have (an?|the|my) (order|referral)|without (an? )?(order|referral)|no (tengo|tiene|tenemos) (orden|la orden|una orden|referido)|(todavia|aun) no (tengo|tiene) (orden|la orden)|sin orden|self[- ]?refer\w*|no order yet)\b/;

const PROVIDER = /\b(?:dr|dra|doctor|doctora|doc)\.?\s+([A-Za-zÁÉÍÓÚÑáéíóúñ'’-]{2,})(?:\s+([A-ZÁÉÍÓÚÑ][a-záéíóúñ'’-]+))?/dgi;
// Words that follow "doctor" without being a name ("my doctor sent", "mi doctor dice").
const NOT_A_NAME = new Set(
  ('sent said says ordered office the my wants told gave dijo dice mando me de del la el su who that visit appointment order orden y and has ' +
    'have had is was will es already ya get got gotten gets hasnt hasn faxed faxes referred refers wrote for to at in on if i que no mi ' +
    'ordeno envio recibio tiene quiere pidio did does do would should can could asked says called recommended recomendo thinks think thought wants needs cree piensa quiere ' +
    'pero porque tambien lo los las le les nos dice dijo manda mandara va ha ha hizo and but so just also said about yet first again before today tomorrow yesterday')
    .split(' '),
);

function capitalize(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
}

/** The doctor a message names, as "Dr. Lastname", and where the name ends in the text. */
function providerName(text: string): { name: string; end: number } | null {
  const re = new RegExp(PROVIDER);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const surname = m[1]?.replace(/['’]s$/i, '');
    // "my doctor is dr okafor": a word that is no name is skipped, and the search goes on from it.
    if (!surname || surname.length < 2 || NOT_A_NAME.has(fold(surname))) {
      re.lastIndex = m.indices![1]![0];
      continue;
    }
    // A second name word only when it is written with a capital (case-insensitive matching would take "for", "have").
    const second = m[2] && /^[A-ZÁÉÍÓÚÑ]/.test(m[2]) && !NOT_A_NAME.has(fold(m[2])) ? ` ${capitalize(m[2])}` : '';
    return { name: `Dr. ${capitalize(surname)}${second}`, end: (second ? m.indices![2]! : m.indices![1]!)[1] };
  }
  return null;
}

function preferredTimes(text: string, ctx: UnderstandContext, language: 'en' | 'es'): string[] {
  const offset = DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }).offset;
  const parser = language === 'es' ? chrono.es : chrono;
  const results = parser
    .parse(text, { instant: ctx.now, timezone: offset }, { forwardDate: true })
    // "de la mañana" is "in the morning", not "tomorrow".
    .filter((r) => !(/^mañana$/i.test(r.text) && /\b(de|por|en) la\s*$/i.test(text.slice(0, r.index))));
  return results.slice(0, 5).map((r) => {
    const local = DateTime.fromJSDate(r.start.date(), { zone: ctx.timeZone });
    return r.start.isCertain('hour') ? local.toFormat("yyyy-MM-dd'T'HH:mm") : local.toFormat('yyyy-MM-dd');
  });
}

/** A shorthand contrast right after the study's words, when no contrast phrase was said. */
function bareContrast(t: string, modality: Modality, bodyPart: string | null): Contrast | null {
  const ends = [...MODALITY_RE.filter(([m]) => m === modality), ...BODY_PART_RE.filter(([part]) => part === bodyPart)]
    .map(([, re]) => re.exec(t))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m.index + m[0].length);
  for (const end of ends) {
    const found = BARE_CONTRAST.find(([, re]) => re.test(t.slice(end, end + 40)));
    if (found) return found[0];
  }
  return null;
}

/** Everything the message says, read with keyword and lexicon rules. */
export function extractFields(text: string, ctx: UnderstandContext): Fields {
  const t = fold(text);
  const language = detectLanguage(text, ctx.language ?? 'en');
  // An abbreviation that is also an everyday word ("US") is read only as findExams reads it, beside a body part.
  const modality = MODALITY_RE.find(([, re]) => re.test(t))?.[0] ?? findExams(text).find((e) => e.modality)?.modality ?? null;
  let bodyPart = BODY_PART_RE.find(([, re]) => re.test(t))?.[0] ?? null;
  if (!bodyPart && modality) bodyPart = impliedBodyPart(modality);
  const laterality = bodyPart && !NOT_LATERAL.test(t) ? (LATERAL.find(([, re]) => re.test(t))?.[0] ?? null) : null;
  const contrast = CONTRAST_RE.find(([, re]) => re.test(t))?.[0] ?? (modality ? bareContrast(t, modality, bodyPart) : null);
  const hasOrder = HAS_ORDER_NO.test(t) ? false : HAS_ORDER_YES.test(t) ? true : null;
  const provider = providerName(text);
  const { practice, phone } = providerDetails(text, provider?.end ?? null);
  return {
    modality,
    bodyPart,
    laterality,
    contrast,
    hasOrder,
    providerName: provider?.name ?? null,
    providerPractice: practice,
    providerPhone: phone,
    ...coverageIn(text, ctx.payers ?? []),
    preferredTimes: preferredTimes(text, ctx, language),
    timeWish: parseTimeWish(text, ctx.now, ctx.timeZone),
    language,
  };
}

// Booking in so many words ("tiene cita para…" is an appointment one has, not one asked for).
const BOOKING = /\b(book|schedule|make an? (appointment|appt)|agendar|programar|(ocupo|necesito|quiero|quisiera|hacer|hacerle|sacar|sacarle) (una |la )?cita)\b/;
const BOOK_EXAM = /\b(book|schedule|make an? (appointment|appt)|agendar|programar|(ocupo|necesito|quiero|hacer|hacerle|sacar|sacarle) (una |la )?cita|cita para)\b/;

/** How the rules reached an intent: a keyword or phrase rule said so, or nothing did and the default stood. */
export type RuleBasis = 'rule' | 'default';

/** The intent: opt-out and help words first (the keyword layer's own rules), then the ordered rules above. */
export function classify(text: string, fields: Fields): Intent {
  return classifyOne(text, fields).intent;
}

export function classifyWithBasis(text: string, fields: Fields, ctx?: UnderstandContext): { intent: Intent; basis: RuleBasis } {
  const whole = classifyOne(text, fields);
  if (!ctx || whole.intent === 'opt_out' || whole.intent === 'opt_in') return whole;
  // "can i get a ct of my sinuses scheduled. also how long does that take": the first thing asked is the intent, the
  // rest is secondary; a clause that only greets, thanks or sets the scene ("my mri is tomorrow") asks nothing.
  for (const clause of clausesOf(text)) {
    const c = classifyOne(clause, extractFields(clause, ctx));
    const asks = c.basis === 'rule' ? c.intent !== 'greeting' : c.intent === 'request_exam' && WANTS_EXAM.test(clause) && !HAS_APPOINTMENT.test(clause);
    if (asks) return c.intent === whole.intent ? whole : c;
  }
  return whole;
}

// "mi mamá tiene cita para la mamografía…": an appointment one has sets the scene; it asks for none.
const HAS_APPOINTMENT = /\b(tiene|tengo|tenemos|tenia|have|has|had|got) (una |la |mi |su |an? |my |the |her |his )?(cita|appointment|appt)\b/;

/** The clauses of a message with at least two words each, accent-folded. */
function clausesOf(text: string): string[] {
  const clauses = fold(text).split(CLAUSE_BREAK).map((c) => c?.trim() ?? '').filter((c) => c.split(/\s+/).length >= 2);
  return clauses.length >= 2 ? clauses : [];
}

// "i dont want to cancel, just move it", "no me cancelen la resonancia": a cancel or a move that is denied.
const NOT_CANCEL = /\b(don'?t|do not|dont|not) (want to |wanna |need to )?cancel\b|\bno (quiero |queremos |necesito )?(cancelar|me cancelen|la cancelen|lo cancelen|cancele)\b/;
const NOT_MOVE = /\b(don'?t|do not|dont|not) (want to |wanna |need to )?(reschedule|move it|change (it|the date))\b|\bno (quiero|queremos) (cambiar|mover|reprogramar)\b|\bdon'?t (need|want) (another|a new) (date|day|time)\b|\bno (quiero|necesito) (otra fecha|otro dia|otra cita)\b/;
// "my results say 'mild degenerative changes', what does that mean?": the results are here; the question is medical.
const ABOUT_RESULTS = /\b(results?|resultados?|report|reporte|informe)\b/;
const JUDGEMENT = /\b(what does (that|this|it) mean|what do(es)? (they|that|those) mean|que significa|es grave|is (it|that|this) (bad|serious|normal|cancer)|es (malo|normal|cancer)|eso es cancer|should i (be )?worr\w*|debo preocupar\w*)\b/;
// "quiero adelantar mi cita", "any way to get bumped up?": an earlier slot, whatever else is said.
const EARLIER = /\b(adelant(ar|arla|arlo|en|ame)|bump(ed)? (me )?up|move (me|it) up|sooner (appt|appointment)|si hay cancelaciones|cualquier espacio que salga)\b/;
// "is there parking?", "tienen rampa?": the visit's logistics, answered by staff or the FAQ, no action.
const LOGISTICS = /^(is there|are there|hay|tienen|do you have|where|donde|what time|a que hora)\b.*\b(parking|estacionamiento|rampa|ramp|elevator|elevador|open|abren|cierran|close|address|direccion)\b|^(where|donde) (do|can|should) i (park)\b|^donde (me estaciono|estaciono|lleno)\b|\b(do|does) (you|y'?all|your (office|center|clinic)) (take|accept) (\w+ ){0,2}(insurance|medicaid|medicare|cross|shield|aetna|cigna|united|humana|tricare|plan|seguro)\b|^(aceptan|toman|reciben) (el |la )?(seguro|medicaid|medicare|\w+ ?cross)\b/;
// "how does this work", "what am i supposed to reply": the person asks what the texts are for, the menu answers.
const HOW_THIS_WORKS = /\b(how does (this|the|this text|this chat) ?(bot|chat|thing|text thing)? ?work|what are (my|the) options|what (commands|kind of (stuff|things)) (can|do) i (send|ask|text)|what (am i|are we) (supposed|meant) to (reply|say|text|answer)|what (you )?want me to (reply|say|text|answer)|(don'?t|dont|do not) (understand|get) (it|this|these|what)|what is this (bot|chat|thing|number) for|help with this|(i'?m|im|i am) confused|como funciona (esto|este|el chat)|para que sirve (este|esto|el chat)|no se como usar|estoy confundid[oa])\b/;
const IMAGES_COPY = /\b(cd|dvd|disco|copia|copy)\b.{0,20}\b(images|imagenes|estudios?|pictures|scans?)\b/;
// "did you get my order", "ya les llego la orden?": asking after the order, not only saying there is one.
const ASKS_AFTER = /\b(did|have|has|was|if|whether|yet|heard|update|status|estado|noticias|recibieron|llego|(ya )?(la|lo) tienen)\b/;

function classifyOne(text: string, fields: Fields): { intent: Intent; basis: RuleBasis } {
  const rule = (intent: Intent) => ({ intent, basis: 'rule' as const });
  const byDefault = (intent: Intent) => ({ intent, basis: 'default' as const });
  const keyword = exactKeyword(text);
  if (keyword) return keyword.kind === 'opt_in' && fold(text).trim() === 'yes' ? byDefault('other') : rule(keyword.kind);
  if (isRevocation(text)) return rule('opt_out');
  const t = fold(text).replace(/\p{Extended_Pictographic}|\u{FE0F}|\u{200D}|\p{Emoji_Modifier}/gu, ' ').replace(/\s+/g, ' ').trim();
  // "me puede marcar alguien? no entiendo lo del seguro" asks for a person, not for the menu's help.
  const human = INTENT_RULES.some(([intent, re]) => intent === 'talk_to_human' && re.test(t));
  // "Doctor Baines said you all would call me… nobody has": a call that was promised, not one asked for now.
  const promisedCall = /\b(said|told me|dijo|dijeron) (that )?(you|y'?all|you all|you guys|they|someone|ustedes|que) (all )?(would|will|were going to|'?d|me)? ?(call|llamar\w*|llamaban)/.test(t);
  if (!fields.modality && !human && HOW_THIS_WORKS.test(t)) return rule('help');
  if (!fields.modality && !human && /^(help|ayuda|info|informacion|menu|opciones|options)\b.{0,20}$|^(help me|necesito ayuda)[\s!.?]*$|\b(what can (i|you) (do|text|ask|say)|que puedo (hacer|preguntar|escribir)|que opciones|no (le |les )?entiendo)\b/.test(t)) return rule('help');
  // "si alguien cancela antes, ¿me pueden avisar?": someone else's cancellation is the waitlist, not a cancel.
  if (SOMEONE_CANCELS.test(t) || WAITLIST_NAMED.test(t) || EARLIER.test(t)) return rule('waitlist');
  if (LOGISTICS.test(t) || IMAGES_COPY.test(t)) return rule('other');
  for (const [intent, re] of INTENT_RULES) {
    if (!re.test(t)) continue;
    if (intent === 'talk_to_human' && promisedCall) continue;
    if (intent === 'cancel_appointment' && NOT_CANCEL.test(t)) continue;
    if (intent === 'reschedule' && NOT_MOVE.test(t)) continue;
    // "ocupo cita para rayos x, ya tienen la orden": asking to book the exam, the order mentioned on the way.
    if (intent === 'order_status' && fields.modality && BOOK_EXAM.test(t) && !ABOUT_RESULTS.test(t)) return rule('request_exam');
    if (intent === 'order_status' && ABOUT_RESULTS.test(t) && JUDGEMENT.test(t)) return rule('other');
    if (intent === 'order_status' && fields.modality && fields.hasOrder === true && !ABOUT_RESULTS.test(t) && !ASKS_AFTER.test(t)) return rule('request_exam');
    // "her neurologist wants a brain MRI… she has a pacemaker": a device said on the way is no prep question.
    if (intent === 'prep_question' && fields.modality && WANTS_EXAM.test(t) && !re.test(t.replace(DEVICE_WORDS, ' '))) return rule('request_exam');
    return rule(intent);
  }
  // "necesito agendar mi resonancia": booking said in so many words is the rules' call, not the model's.
  if ((fields.modality || fields.bodyPart) && BOOKING.test(t)) return rule('request_exam');
  // "Dr. Weiss wants me to have an ultrasound… I do not have an order": no order yet, so nothing to ask the status of.
  if (fields.modality && fields.hasOrder === false) return rule('request_exam');
  if (fields.modality || fields.hasOrder === true || (fields.bodyPart && WANTS_EXAM.test(t))) return byDefault('request_exam');
  if (/\b(scan|exam|examen|imaging|estudio|imagen(es)?)\b/.test(t) && WANTS_EXAM.test(t)) return byDefault('request_exam');
  if (GREETING.test(t)) return rule('greeting');
  return byDefault('other');
}

/** The built-in FAQ topic a question asks about first; a statement that only mentions food or parking asks nothing. */
export function topicOf(text: string, intent: Intent, secondary: Intent | null = null): Understanding['topic'] {
  const asks = (i: Intent | null) => i === 'prep_question' || i === 'other';
  if (!asks(intent) && !asks(secondary) && !looksLikeQuestion(text)) return null;
  const topic = faqTopic(text);
  return topic && isBuiltInTopic(topic) ? topic : null;
}

/** What the message discloses about the person (contrast reaction, device, pregnancy, kidneys), each once. */
export function disclosuresIn(text: string): SaidDisclosure[] {
  return findDisclosures(text, 'conversation', new Date(0)).map(({ kind, words }) => ({ kind, words }));
}

// Where one request ends and another begins: sentence ends and "also", "btw", "también", "otra cosa".
const CLAUSE_BREAK = /[?.!;\n]+|\b(?:also|and also|plus|btw|by the way|oh and|one more thing|another thing|tambien|ademas|otra cosa|otra pregunta|y otra)\b/;

/** A second, different intent asked in another clause of the same message, or null. */
export function secondaryIntent(text: string, primary: Intent, ctx: UnderstandContext): Intent | null {
  for (const clause of clausesOf(text)) {
    const intent = classify(clause, extractFields(clause, ctx));
    if (intent === primary || intent === 'greeting' || intent === 'help') continue;
    // A bare "ok thanks" clause is no second request; a cost or parking question is.
    if (intent === 'other' && !topicOf(clause, intent) && !asksClinical(clause)) continue;
    return intent;
  }
  return null;
}

/** Everything the rules read in one message, and whether its intent came from a rule or the default. */
export function readMessage(text: string, ctx: UnderstandContext): Understanding & { basis: RuleBasis } {
  const fields = extractFields(text, ctx);
  const { intent, basis } = classifyWithBasis(text, fields, ctx);
  return { ...describe(text, ctx, fields, intent), basis };
}

/** The reading of a message once its intent is settled (by the rules or by the model). */
export function describe(text: string, ctx: UnderstandContext, fields: Fields, intent: Intent): Understanding {
  const secondary = secondaryIntent(text, intent, ctx);
  return { intent, fields, topic: topicOf(text, intent, secondary), clinical: asksClinical(fold(text).trim()), disclosures: disclosuresIn(text), secondary };
}

/** The rules engine: no network, no randomness; the fallback whenever the LLM is off, fails or is slow. */
export const rulesEngine: UnderstandingEngine = {
  name: 'rules',
  understand(text: string, ctx: UnderstandContext): Promise<Understanding> {
    const { intent, fields, topic, clinical, disclosures, secondary } = readMessage(text, ctx);
    return Promise.resolve({ intent, fields, topic, clinical, disclosures, secondary });
  },
};

/** A yes, no or unsure answer in English or Spanish (C/R/X and numbers are the dialogs' own); null when it is none. */
export function yesNoUnsure(text: string): 'yes' | 'no' | 'unsure' | null {
  const t = fold(text).trim().replace(/[\s!.?¡¿,]+$/g, '').replace(/^[¡¿\s]+/, '');
  if (/^(not sure|unsure|i'?m not sure|i don'?t know|idk|dunno|maybe|perhaps|no se|no estoy segur[oa]|tal vez|quizas?|a lo mejor|puede ser)$/.test(t)) return 'unsure';
  if (/^(y|yes+|yeah|yep|yup|ya|sure|correct|i do|i have|si+|sip|simon|obvio|claro|asi es|correcto|afirmativo|si tengo|ok|okay|sure why not|why not|yes please|yes pls|sounds good|of course|definitely|absolutely|si por favor|claro que si|por supuesto|esta bien|me parece bien|dale|ok sure)$/.test(t)) return 'yes';
  if (/^(n|no+|nope|nop|nopes|nel|nones|nah|naa+|never|none|i don'?t|i do not|not at all|nunca|ninguno|ninguna|para nada|no tengo)$/.test(t)) return 'no';
  // A short answer that opens with yes or no and says nothing against it: "si claro", "yes definitely", "no thanks".
  const words = t.split(/[\s,]+/);
  if (words.length <= 4 && !/\b(but|pero|not sure|no se)\b/.test(t)) {
    if (/^(yes|yeah|yep|yup|sure|si|ok|okay|claro|of course|absolutely|definitely)\b/.test(t) && !/\b(no|not|nope)\b/.test(t)) return 'yes';
    if (/^(no+|nope|nop|nah|nel|never|nunca)\b/.test(t) && !/\b(yes|si)\b/.test(t)) return 'no';
  }
  return null;
}
