import type { Choice } from '../../services/conversations/outbound-content';
import { MODALITIES, modalityLabel, orderName, type Modality } from '../../services/exams/modality.catalog';
import type { Language } from '../../services/messaging/templates';
import { CHANGED_STUDY, REQUESTED } from '../../services/orders/order.completeness';
import type { CaseState } from '../../services/pipeline/pipeline.states';
import { fillIn } from '../../services/text';
import { BODY_PART_ES } from '../../services/understanding/lexicon';

/**
 * The referring-office conversation's words (menu, order form, summary, refusals, requests, status), in English and
 * Spanish; {vars} filled in. What the office typed (names, reasons, codes) is passed in as it was written.
 */
const T = {
  // The office menu and its choices.
  menu_question: { en: 'What would you like to do?', es: '¿Qué desea hacer?' },
  menu_new: { en: 'Send a new order', es: 'Enviar una orden nueva' },
  menu_status: { en: 'Status of our orders', es: 'Estado de nuestras órdenes' },
  menu_human: { en: 'Talk to a person', es: 'Hablar con una persona' },
  news: { en: 'Updates on your orders since you were last here:', es: 'Novedades de sus órdenes desde su última visita:' },
  asked_team: { en: "I've asked our team to reply to you here.", es: 'Le pedí a nuestro equipo que le responda por aquí.' },
  new_order: {
    en: "Let's send an order. Say CANCEL at any time to stop; nothing is sent until you submit.",
    es: 'Vamos a enviar una orden. Escriba CANCELAR en cualquier momento para parar; no se envía nada hasta que usted la confirme.',
  },
  typed_order: {
    en: "Let's send this order. I took what your message says; you'll check all of it before anything is sent. Say CANCEL at any time to stop.",
    es: 'Vamos a enviar esta orden. Tomé lo que dice su mensaje; usted revisará todo antes de enviarla. Escriba CANCELAR en cualquier momento para parar.',
  },
  fix: { en: 'Please fix:', es: 'Corrija, por favor:' },

  // Order requests (a patient asked; the office sends the order or declines) and actions by request number.
  decline_choice: { en: 'Decline the request', es: 'Rechazar la solicitud' },
  keep_choice: { en: 'Keep it open', es: 'Dejarla abierta' },
  request_kept: { en: 'OK, request {number} stays open. Say SEND THE ORDER {number} when you have it.', es: 'Listo, la solicitud {number} sigue abierta. Escriba ENVIAR LA ORDEN {number} cuando la tenga.' },
  decline_reason_short: {
    en: 'A few words on why, please (the patient is only told the order will not be sent), or CANCEL to keep the request open.',
    es: 'Díganos en pocas palabras por qué (al paciente solo le decimos que no se enviará la orden), o escriba CANCELAR para dejar la solicitud abierta.',
  },
  decline_confirm: {
    en: 'Decline request {number} because "{reason}"? The patient is told only that the order won\'t be sent.',
    es: '¿Rechazar la solicitud {number} porque "{reason}"? Al paciente solo le decimos que no se enviará la orden.',
  },
  decline_reply: { en: 'Reply 1 to decline request {number}, or 2 to keep it open.', es: 'Responda 1 para rechazar la solicitud {number}, o 2 para dejarla abierta.' },
  declined: {
    en: "Declined. We've let the patient know, without your reason, and closed request {number}.",
    es: 'Rechazada. Le avisamos al paciente, sin darle su motivo, y cerramos la solicitud {number}.',
  },
  decline_why: {
    en: "Why won't you send this order? A few words; the patient is only told that it won't be sent. (CANCEL keeps the request open.)",
    es: '¿Por qué no enviará esta orden? En pocas palabras; al paciente solo le decimos que no se enviará. (CANCELAR deja la solicitud abierta.)',
  },
  approved_user: {
    en: "Done: {name} can now send and follow your organization's orders here; we've told them.",
    es: 'Listo: {name} ya puede enviar y seguir las órdenes de su organización por aquí; ya le avisamos.',
  },
  files_which: { en: 'Thanks. Which order are these files for? Reply with its number (for example 9EAC56).', es: 'Gracias. ¿Para qué orden son estos archivos? Responda con su número (por ejemplo 9EAC56).' },
  files_not_waiting: { en: "Order {number} isn't waiting for documents, so I haven't added them. Call us if they should go with it.", es: 'La orden {number} no está esperando documentos, así que no los agregué. Llámenos si deben ir con ella.' },
  files_not_taken: { en: "I couldn't add them to order {number}: {why}", es: 'No pude agregarlos a la orden {number}: {why}' },
  files_taken: { en: "Thanks: the files are on order {number}, and it's moving on.", es: 'Gracias: los archivos quedaron en la orden {number} y ya sigue su curso.' },
  files_still_missing: { en: 'Thanks: the files are on order {number}. It still needs: {missing} (reply COMPLETE {number}).', es: 'Gracias: los archivos quedaron en la orden {number}. Todavía falta: {missing} (responda COMPLETAR {number}).' },
  not_found: { en: "I can't find request {number} among your organization's orders.", es: 'No encuentro la solicitud {number} entre las órdenes de su organización.' },
  not_open: { en: 'Request {number} is no longer open ({state}).', es: 'La solicitud {number} ya no está abierta ({state}).' },
  nothing_missing: {
    en: 'Order {number} is not missing anything we can take here ({state}).',
    es: 'A la orden {number} no le falta nada que podamos recibir por aquí ({state}).',
  },
  order_missing: { en: 'Order {number} is missing: {missing}.', es: 'A la orden {number} le falta: {missing}.' },
  prefilled: {
    en: "Thanks. I've filled in what the patient told us for request {number}; a few more details for the order.",
    es: 'Gracias. Ya llené lo que nos dijo el paciente para la solicitud {number}; faltan unos datos más para la orden.',
  },

  // After a submit.
  the_patient: { en: 'the patient', es: 'el paciente' },
  calls: {
    en: ' It is marked {priority}: a scheduler will call the patient within {minutes} minutes.',
    es: ' Está marcada como {priority}: alguien de nuestro equipo llamará al paciente en menos de {minutes} minutos.',
  },
  saved_missing_one: {
    en: "Order {number} for {patient} is saved, but it is missing: {missing}.{calls} Let's add it now.",
    es: 'Guardamos la orden {number} de {patient}, pero le falta: {missing}.{calls} Agreguémoslo ahora.',
  },
  saved_missing_many: {
    en: "Order {number} for {patient} is saved, but it is missing: {missing}.{calls} Let's add them now.",
    es: 'Guardamos la orden {number} de {patient}, pero le faltan: {missing}.{calls} Agreguémoslos ahora.',
  },
  received: { en: 'Order {number} for {patient} is received. {next}', es: 'Recibimos la orden {number} de {patient}. {next}' },
  next_human: { en: 'It is complete.{calls}', es: 'Está completa.{calls}' },
  next_authorization: {
    en: "It is complete and needs prior authorization; we'll invite the patient to book once it is approved.",
    es: 'Está completa y necesita autorización previa; invitaremos al paciente a agendar en cuanto la aprueben.',
  },
  next_ready: { en: "It is complete; we're texting the patient to book.", es: 'Está completa; le estamos escribiendo al paciente para que agende.' },
  next_state: { en: 'State: {state}.', es: 'Estado: {state}.' },

  // Status.
  status_in_channel: {
    en: 'To keep patients’ details private I don’t list orders in a channel. Ask me in a personal chat (open a chat with me), and I’ll show them there.',
    es: 'Para proteger los datos de los pacientes, no muestro órdenes en un canal. Pregúnteme en un chat personal (abra un chat conmigo) y ahí se las muestro.',
  },
  status_none_for_patient: { en: 'I found no open order of yours for that patient.', es: 'No encontré ninguna orden abierta suya para ese paciente.' },
  status_none: { en: 'You have no open orders with us.', es: 'No tiene órdenes abiertas con nosotros.' },
  status_matching: { en: 'Matching orders (stat and urgent first):', es: 'Órdenes que coinciden (primero STAT y urgentes):' },
  status_open: { en: 'Your open orders (stat and urgent first):', es: 'Sus órdenes abiertas (primero STAT y urgentes):' },
  line_patient: { en: 'patient', es: 'paciente' },
  line_exam: { en: 'exam', es: 'estudio' },
  line_missing: { en: 'missing: {missing} (reply COMPLETE {number})', es: 'falta: {missing} (responda COMPLETAR {number})' },
  line_human_ready: { en: 'complete; a scheduler is calling the patient', es: 'completa; alguien de nuestro equipo está llamando al paciente' },
  line_denied: { en: 'authorization denied{reason}; waiting on a peer-to-peer review', es: 'autorización negada{reason}; en espera de una revisión entre médicos (peer-to-peer)' },
  line_expired: { en: 'the authorization ended{on}; waiting for a renewal', es: 'la autorización venció{on}; en espera de la renovación' },
  line_expired_on: { en: ' on {date}', es: ' el {date}' },

  // The order form: its questions (one per message).
  q_patient_name: { en: "Patient's full name (first and last)?", es: '¿Nombre completo del paciente (nombre y apellido)?' },
  q_patient_dob: { en: "Patient's date of birth? (MM/DD/YYYY)", es: '¿Fecha de nacimiento del paciente? (MM/DD/AAAA)' },
  q_patient_phone: { en: "Patient's mobile number, for scheduling texts? (or SKIP)", es: '¿Celular del paciente, para los mensajes de citas? (u OMITIR)' },
  q_patient_language: { en: 'Language for the patient’s texts?', es: '¿Idioma de los mensajes al paciente?' },
  q_exam: {
    en: 'Which study? Modality and body part, e.g. "MRI lumbar spine" or "CT abdomen pelvis with contrast".',
    es: '¿Qué estudio? Modalidad y parte del cuerpo, p. ej., "resonancia de columna lumbar" o "tomografía de abdomen y pelvis con contraste".',
  },
  q_laterality: { en: 'Which side?', es: '¿De qué lado?' },
  q_contrast: { en: 'Contrast?', es: '¿Con o sin contraste?' },
  q_codes: {
    en: 'Diagnosis codes (ICD-10-CM), e.g. M54.50; several separated by commas. Or SKIP.',
    es: 'Códigos de diagnóstico (ICD-10-CM), p. ej., M54.50; si son varios, sepárelos con comas. O escriba OMITIR.',
  },
  q_codes_documentation: {
    en: 'Diagnosis codes (ICD-10-CM), e.g. M54.50, or the reason for the exam in words.',
    es: 'Códigos de diagnóstico (ICD-10-CM), p. ej., M54.50, o el motivo del estudio en palabras.',
  },
  q_reason: { en: 'Reason for the exam, in a few words? (or SKIP)', es: '¿Motivo del estudio, en pocas palabras? (u OMITIR)' },
  q_priority: { en: 'Priority?', es: '¿Prioridad?' },
  q_provider: { en: "Ordering provider's name?", es: '¿Nombre del médico que ordena?' },
  q_npi: { en: "Ordering provider's NPI (10 digits)? (or SKIP)", es: '¿NPI del médico que ordena (10 dígitos)? (u OMITIR)' },
  q_callback: { en: 'Callback number for the ordering provider? (or SKIP)', es: '¿Teléfono de contacto del médico que ordena? (u OMITIR)' },
  q_insurance: {
    en: 'Insurance: payer and member ID (e.g. Aetna W123456789), or SELF PAY. (or SKIP)',
    es: 'Seguro: aseguradora y número de afiliado (p. ej., Aetna W123456789), o PARTICULAR. (u OMITIR)',
  },
  q_notes: { en: 'Clinical notes for the radiologist? (or NONE)', es: '¿Notas clínicas para el radiólogo? (o NINGUNA)' },

  // The form's choices.
  c_routine: { en: 'Routine', es: 'Rutina' },
  c_urgent: { en: 'Urgent', es: 'Urgente' },
  c_asap: { en: 'ASAP', es: 'ASAP (lo antes posible)' },
  c_stat: { en: 'Stat', es: 'STAT (inmediato)' },
  c_without: { en: 'Without contrast', es: 'Sin contraste' },
  c_with: { en: 'With contrast', es: 'Con contraste' },
  c_with_and_without: { en: 'With and without', es: 'Con y sin contraste' },
  c_left: { en: 'Left', es: 'Izquierdo' },
  c_right: { en: 'Right', es: 'Derecho' },
  c_bilateral: { en: 'Both sides', es: 'Ambos lados' },
  c_english: { en: 'English', es: 'Inglés' },
  c_spanish: { en: 'Spanish', es: 'Español' },
  c_submit: { en: 'Submit the order', es: 'Enviar la orden' },
  c_restart: { en: 'Start over', es: 'Empezar de nuevo' },
  c_none: { en: 'Not applicable / not known', es: 'No aplica / no se sabe' },

  // Refusals: an answer that does not fit its question.
  r_name: { en: "Please send the patient's first and last name.", es: 'Envíe el nombre y el apellido del paciente, por favor.' },
  r_dob: { en: 'Please send the date of birth as MM/DD/YYYY.', es: 'Envíe la fecha de nacimiento como MM/DD/AAAA, por favor.' },
  r_phone: { en: 'That is not a US phone number; send 10 digits, or SKIP.', es: 'Ese no es un número de EE. UU.; envíe 10 dígitos, u OMITIR.' },
  r_language: { en: 'Reply 1 (English) or 2 (Spanish).', es: 'Responda 1 (inglés) o 2 (español).' },
  r_exam: { en: 'Please name the modality ({modalities}) and the body part.', es: 'Indique la modalidad ({modalities}) y la parte del cuerpo.' },
  r_side: { en: 'Reply 1 (left), 2 (right) or 3 (both sides).', es: 'Responda 1 (izquierdo), 2 (derecho) o 3 (ambos lados).' },
  r_contrast: { en: 'Reply 1 (without), 2 (with) or 3 (with and without).', es: 'Responda 1 (sin contraste), 2 (con contraste) o 3 (con y sin contraste).' },
  r_code: {
    en: "'{code}' is not an ICD-10-CM code (a letter, two characters, then optionally a dot and up to 4 more, e.g. M54.50).{skip}",
    es: "'{code}' no es un código ICD-10-CM (una letra, dos caracteres y, si aplica, un punto y hasta 4 más; p. ej., M54.50).{skip}",
  },
  r_code_skip: { en: ' Or SKIP.', es: ' O escriba OMITIR.' },
  r_code_header: { en: '{code} is a category, not a billable code: use a more specific one, e.g. {codes}', es: '{code} es una categoría, no un código facturable: use uno más específico, p. ej., {codes}' },
  r_code_not_a_code: { en: '{code} is not an ICD-10-CM code; codes under {category} are e.g. {codes}', es: '{code} no es un código ICD-10-CM; bajo {category} hay, p. ej., {codes}' },
  note_unknown_one: {
    en: 'Note: {codes} is not in the ICD-10-CM release we check against (FY2025); please check it (we kept it).',
    es: 'Nota: {codes} no está en la versión de ICD-10-CM con la que verificamos (FY2025); revíselo, por favor (lo guardamos).',
  },
  note_unknown_many: {
    en: 'Note: {codes} are not in the ICD-10-CM release we check against (FY2025); please check them (we kept them).',
    es: 'Nota: {codes} no están en la versión de ICD-10-CM con la que verificamos (FY2025); revíselos, por favor (los guardamos).',
  },
  r_reason: { en: 'A few words, please (or SKIP).', es: 'Unas pocas palabras, por favor (u OMITIR).' },
  r_priority: { en: 'Reply 1 (routine), 2 (urgent), 3 (ASAP) or 4 (stat).', es: 'Responda 1 (rutina), 2 (urgente), 3 (ASAP) o 4 (STAT).' },
  r_provider: { en: "Please send the ordering provider's name.", es: 'Envíe el nombre del médico que ordena, por favor.' },
  r_npi_digits: { en: 'An NPI has 10 digits.', es: 'El NPI tiene 10 dígitos.' },
  r_npi_first: {
    en: '{npi} is not an NPI: an NPI starts with 1 (a person) or 2 (an organization). Please check it.',
    es: '{npi} no es un NPI: un NPI empieza con 1 (una persona) o 2 (una organización). Revíselo, por favor.',
  },
  r_npi_luhn: {
    en: 'The NPI {npi} fails its check digit (the last digit must match a Luhn check over 80840 and the first nine digits). Please check it.',
    es: 'El NPI {npi} no pasa el dígito verificador (el último dígito debe coincidir con la verificación de Luhn sobre 80840 y los primeros nueve dígitos). Revíselo, por favor.',
  },
  r_member_id: { en: 'Please add the member ID (e.g. Aetna W123456789), or SELF PAY.', es: 'Agregue el número de afiliado (p. ej., Aetna W123456789), o PARTICULAR.' },
  r_payer: { en: 'Please name the payer (e.g. Aetna W123456789), or SELF PAY.', es: 'Indique la aseguradora (p. ej., Aetna W123456789), o PARTICULAR.' },
  r_confirm: { en: 'Reply 1 to submit, or 2 to start over.', es: 'Responda 1 para enviar, o 2 para empezar de nuevo.' },
  required: { en: '{field}: required.', es: '{field}: obligatorio.' },

  // The form's flow.
  stopped: { en: 'OK, stopped. Nothing was sent. Say NEW ORDER to start again.', es: 'Listo, paramos. No se envió nada. Escriba NUEVA ORDEN para empezar otra vez.' },
  form_help: { en: '{question} Say CANCEL to stop, or AGENT to talk to a person.', es: '{question} Escriba CANCELAR para parar, o AGENTE para hablar con una persona.' },
  not_saved: { en: 'The order could not be saved: {message}', es: 'No se pudo guardar la orden: {message}' },
  stuck: { en: 'Say AGENT to talk to a person, or CANCEL to stop.', es: 'Escriba AGENTE para hablar con una persona, o CANCELAR para parar.' },

  // The summary to confirm.
  s_check: { en: 'Please check the order, then submit it.', es: 'Revise la orden y luego envíela.' },
  s_check_documentation: { en: 'Send these to complete the order?', es: '¿Enviamos estos datos para completar la orden?' },
  s_title: { en: 'Imaging order', es: 'Orden de estudio de imagen' },
  s_title_documentation: { en: 'Missing items', es: 'Datos que faltan' },
  s_patient: { en: 'Patient', es: 'Paciente' },
  s_dob: { en: 'Date of birth', es: 'Fecha de nacimiento' },
  s_mobile: { en: 'Mobile', es: 'Celular' },
  s_study: { en: 'Study', es: 'Estudio' },
  s_diagnosis: { en: 'Diagnosis', es: 'Diagnóstico' },
  s_priority: { en: 'Priority', es: 'Prioridad' },
  s_provider: { en: 'Ordering provider', es: 'Médico que ordena' },
  s_insurance: { en: 'Insurance', es: 'Seguro' },
  s_missing: { en: 'missing', es: 'falta' },
  s_texts_en: { en: '{phone} (texts in English)', es: '{phone} (mensajes en inglés)' },
  s_texts_es: { en: '{phone} (texts in Spanish)', es: '{phone} (mensajes en español)' },
  s_contrast: { en: '{contrast} contrast', es: '{contrast} contraste' },
  s_npi: { en: 'NPI {npi}', es: 'NPI {npi}' },
  s_npi_missing: { en: 'NPI missing', es: 'falta el NPI' },
  s_callback_missing: { en: 'callback missing', es: 'falta el teléfono de contacto' },
  s_self_pay: { en: 'self-pay', es: 'particular' },
  s_member_missing: { en: '(member id missing)', es: '(falta el número de afiliado)' },

  // The order form card (Teams and Web Chat).
  f_text: { en: 'Fill in the order form, or answer the questions one at a time below.', es: 'Llene el formulario de la orden, o conteste las preguntas una por una aquí abajo.' },
  f_submit: { en: 'Review the order', es: 'Revisar la orden' },
  f_patient_name: { en: "Patient's full name", es: 'Nombre completo del paciente' },
  f_patient_dob: { en: 'Date of birth (MM/DD/YYYY)', es: 'Fecha de nacimiento (MM/DD/AAAA)' },
  f_patient_phone: { en: "Patient's mobile number", es: 'Celular del paciente' },
  f_patient_language: { en: 'Language for texts', es: 'Idioma de los mensajes' },
  f_exam: { en: 'Study: modality and body part (e.g. MRI lumbar spine)', es: 'Estudio: modalidad y parte del cuerpo (p. ej., resonancia de columna lumbar)' },
  f_laterality: { en: 'Side', es: 'Lado' },
  f_contrast: { en: 'Contrast (CT and MRI)', es: 'Contraste (tomografía y resonancia)' },
  f_codes: { en: 'Diagnosis codes, ICD-10-CM (e.g. M54.50)', es: 'Códigos de diagnóstico, ICD-10-CM (p. ej., M54.50)' },
  f_reason: { en: 'Reason for the exam', es: 'Motivo del estudio' },
  f_priority: { en: 'Priority', es: 'Prioridad' },
  f_provider: { en: 'Ordering provider', es: 'Médico que ordena' },
  f_npi: { en: "Ordering provider's NPI", es: 'NPI del médico que ordena' },
  f_callback: { en: 'Callback number', es: 'Teléfono de contacto' },
  f_insurance: { en: 'Insurance and member ID, or SELF PAY', es: 'Seguro y número de afiliado, o PARTICULAR' },
  f_notes: { en: 'Clinical notes', es: 'Notas clínicas' },
} satisfies Record<string, Record<Language, string>>;

export type OfficeTextId = keyof typeof T;

export function officeText(id: OfficeTextId, lang: Language, vars: Record<string, string> = {}): string {
  return fillIn(T[id][lang], vars);
}

/** Choices with their titles in this language; the values (what buttons and typed numbers answer) stay the same. */
export function officeChoices(choices: ReadonlyArray<readonly [value: string, title: OfficeTextId]>, lang: Language): Choice[] {
  return choices.map(([value, title]) => ({ value, title: officeText(title, lang) }));
}

/** The study's name for an office: "MRI" as on an order in English; "resonancia magnética" in Spanish. */
export function studyName(m: Modality, lang: Language): string {
  return lang === 'en' ? orderName(m) : modalityLabel(m, 'es', 'long').replace(/\s*\(.*\)$/, '');
}

/** "MRI, CT, Ultrasound, …": the studies an office may order, for prompts. */
export function studyNames(lang: Language): string {
  return MODALITIES.map((m) => studyName(m, lang)).join(', ');
}

const STATE_ES: Record<CaseState, string> = {
  lead: 'contacto inicial',
  qualified: 'calificada',
  order_requested: 'orden solicitada',
  received: 'recibida',
  awaiting_documentation: 'esperando documentación',
  pending_authorization: 'esperando autorización',
  ready_to_schedule: 'lista para agendar',
  scheduled: 'agendada',
  checked_in: 'paciente registrado',
  imaging_completed: 'estudio realizado',
  incomplete: 'incompleta',
  no_show: 'el paciente no llegó',
  reschedule_needed: 'por reagendar',
  reported: 'informe listo',
  delivered: 'informe entregado',
  closed: 'cerrada',
  cancelled: 'cancelada',
};

/** A case state in a few words: "pending authorization" (its name) in English. */
export function stateName(state: CaseState, lang: Language): string {
  return lang === 'en' ? state.replace(/_/g, ' ') : (STATE_ES[state] ?? state.replace(/_/g, ' '));
}

/** Where an order stands, for its office (the list's words); none for a state that says it by its name. */
const STATE_WORDS: Partial<Record<CaseState, Record<Language, string>>> = {
  order_requested: { en: 'the patient asked for it; waiting for your order', es: 'el paciente la pidió; esperamos su orden' },
  received: { en: 'received, being checked', es: 'recibida, en revisión' },
  pending_authorization: { en: 'waiting for prior authorization', es: 'en espera de autorización previa' },
  ready_to_schedule: { en: 'complete; the patient is invited to book', es: 'completa; invitamos al paciente a agendar' },
  scheduled: { en: 'booked', es: 'agendada' },
  checked_in: { en: 'the patient is here', es: 'el paciente ya llegó' },
  imaging_completed: { en: 'imaging done, being read', es: 'estudio realizado, en interpretación' },
  incomplete: { en: 'the exam could not be completed; we will rebook', es: 'no se pudo completar el estudio; lo vamos a reagendar' },
  no_show: { en: 'the patient missed the appointment', es: 'el paciente no llegó a su cita' },
  reschedule_needed: { en: 'being rebooked', es: 'se está reagendando' },
  reported: { en: 'report ready', es: 'informe listo' },
  delivered: { en: 'report delivered', es: 'informe entregado' },
};

export function stateWords(state: CaseState, lang: Language): string {
  return STATE_WORDS[state]?.[lang] ?? stateName(state, lang);
}

/** The order checklist's item names (services/orders/order.completeness.ts) in Spanish; a payer's own words stay as written. */
const MISSING_ES: Record<string, string> = {
  'patient name': 'nombre del paciente',
  'date of birth': 'fecha de nacimiento',
  'phone number': 'teléfono',
  modality: 'modalidad',
  'body part': 'parte del cuerpo',
  laterality: 'lado',
  contrast: 'contraste',
  'diagnosis code or reason': 'código de diagnóstico o motivo',
  'ordering provider name': 'nombre del médico que ordena',
  'ordering provider NPI': 'NPI del médico que ordena',
  'ordering provider callback number': 'teléfono de contacto del médico que ordena',
  priority: 'prioridad',
  'insurance or self-pay': 'seguro o pago particular',
  'insurance member id': 'número de afiliado del seguro',
  [CHANGED_STUDY]: 'otro estudio (el seguro negó este)',
};

/** The missing items, joined: as the checklist names them in English. */
export function missingText(items: readonly string[], lang: Language): string {
  if (lang === 'en') return items.join(', ');
  return items.map((m) => (m.startsWith(REQUESTED) ? `solicitado: ${m.slice(REQUESTED.length)}` : (MISSING_ES[m] ?? m))).join(', ');
}

/**
 * A canonical body part for an office: as stored in English ("lumbar spine"); in Spanish its clinical name without
 * articles ("columna lumbar", "abdomen y pelvis"). A body part the lexicon does not know is left as written.
 */
export function bodyPartName(part: string, lang: Language): string {
  const es = lang === 'en' ? undefined : BODY_PART_ES[part];
  if (!es) return part;
  return (/\(([^)]+)\)$/.exec(es)?.[1] ?? es).replace(/\b(el|la|los|las)\s+/g, '').trim();
}

const SIDE_ES: Record<string, string> = { left: 'izquierdo', right: 'derecho', bilateral: 'bilateral' };
const CONTRAST_ES: Record<string, string> = { with: 'con', without: 'sin', with_and_without: 'con y sin' };
const PRIORITY_ES: Record<string, string> = { routine: 'rutina', urgent: 'urgente', asap: 'ASAP', stat: 'STAT' };

/** A side as the summary says it ("left" in English). */
export function sideWord(side: string, lang: Language): string {
  return lang === 'en' ? side : (SIDE_ES[side] ?? side);
}

/** A contrast as the summary says it ("with and without contrast" in English). */
export function contrastWords(contrast: string, lang: Language): string {
  return officeText('s_contrast', lang, { contrast: lang === 'en' ? contrast.replace(/_/g, ' ') : (CONTRAST_ES[contrast] ?? contrast) });
}

/** A priority as the summary says it ("routine" in English). */
export function priorityWord(p: string, lang: Language): string {
  return lang === 'en' ? p : (PRIORITY_ES[p] ?? p);
}
