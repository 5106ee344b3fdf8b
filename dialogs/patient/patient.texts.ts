import { impliedBodyPart, modalityLabel, type Modality } from '../../services/exams/modality.catalog';
import { BODY_PART_ES } from '../../services/understanding/lexicon';
import { fillIn } from '../../services/text';
import type { Language } from '../../services/messaging/templates';

type Texts = Record<string, Record<Language, string>>;

/** Every prompt of the patient dialogs, in plain SMS words, in English and Spanish. */
export const T = {
  /** A held time (authorization pending): no word of insurance in a text (domain.md §6, minimum content). */
  held: {
    en: "We're finishing the paperwork for this exam; we'll text you when your appointment is confirmed.",
    es: 'Estamos terminando los trámites de este examen; le escribiremos cuando su cita quede confirmada.',
  },
  start: { en: 'I can help you request an exam.', es: 'Con gusto le ayudo a pedir un examen.' },
  exam: {
    en: 'What exam do you need? For example: MRI of the lower back, mammogram, ultrasound of the belly. Not sure? Reply NOT SURE.',
    es: '¿Qué examen necesita? Por ejemplo: resonancia de la espalda baja, mamografía, ultrasonido del abdomen. ¿No está seguro(a)? Responda NO SÉ.',
  },
  exam_help: {
    en: 'Tell me the exam in your own words, like "MRI of my knee" or "chest x-ray". If your doctor did not say, reply NOT SURE and we will find out.',
    es: 'Dígame el examen con sus palabras, como "resonancia de la rodilla" o "radiografía de pecho". Si su médico no le dijo, responda NO SÉ y lo averiguamos.',
  },
  has_order: { en: 'Do you have an order (referral) from a doctor for this exam?', es: '¿Tiene una orden (referencia) de un médico para este examen?' },
  has_order_help: {
    en: 'An order is the paper or electronic request your doctor sends us. Answer YES if your doctor sent or gave you one, NO if not.',
    es: 'La orden es la solicitud que su médico nos envía, en papel o electrónica. Responda SÍ si su médico la envió o se la dio, NO si no.',
  },
  name: { en: 'What is your full name (first and last)?', es: '¿Cuál es su nombre completo (nombre y apellido)?' },
  name_help: { en: 'Please send your first and last name, like: Ana Lopez.', es: 'Envíe su nombre y apellido, por ejemplo: Ana López.' },
  dob: { en: 'What is your date of birth? (MM/DD/YYYY)', es: '¿Cuál es su fecha de nacimiento? (MM/DD/AAAA)' },
  dob_help: { en: 'Send your date of birth like 04/02/1980. We use it to keep your information private.', es: 'Envíe su fecha de nacimiento así: 04/02/1980. La usamos para proteger su información.' },
  phone: { en: 'What mobile number can we text you at?', es: '¿A qué número de celular le podemos escribir?' },
  phone_help: { en: 'Send a US mobile number like (512) 555-0142. We use it for appointment texts only.', es: 'Envíe un número de celular de EE. UU. como (512) 555-0142. Solo lo usamos para mensajes de sus citas.' },
  reason: { en: 'In a few words, why do you need this exam? (For example: back pain for 3 months)', es: 'En pocas palabras, ¿por qué necesita este examen? (Por ejemplo: dolor de espalda desde hace 3 meses)' },
  reason_help: { en: 'Just tell us in your own words what is going on, so we can ask your doctor for the right order.', es: 'Cuéntenos con sus palabras qué le pasa, para pedirle a su médico la orden correcta.' },
  provider_with_order: { en: 'Which doctor or office wrote the order? (Name, and their phone if you have it)', es: '¿Qué médico o consultorio hizo la orden? (Nombre, y su teléfono si lo tiene)' },
  provider_no_order: { en: 'Which doctor should we ask for the order? (Name and office, or NONE if you do not have a doctor)', es: '¿A qué médico le pedimos la orden? (Nombre y consultorio, o NINGUNO si no tiene médico)' },
  provider_phone: {
    en: "Do you have a phone number for {who}'s office? Send it (and the office name if you know it), or reply NO.",
    es: '¿Tiene el teléfono del consultorio de {who}? Envíelo (y el nombre del consultorio si lo sabe), o responda NO.',
  },
  provider_help: { en: 'Send the doctor’s name, like "Dr. Patel at Hill Country Family Medicine". If you have no doctor, reply NONE and our team will help.', es: 'Envíe el nombre del médico, como "Dra. Patel de Hill Country Family Medicine". Si no tiene médico, responda NINGUNO y le ayudamos.' },
  timing: { en: 'When would you like to come in? For example: next week, Tuesday morning, as soon as possible.', es: '¿Cuándo le gustaría venir? Por ejemplo: la próxima semana, el martes en la mañana, lo antes posible.' },
  timing_help: { en: 'Tell us the days or times that work for you, or reply ANY TIME.', es: 'Díganos qué días u horas le funcionan, o responda CUALQUIER DÍA.' },
  coverage: { en: 'How will you pay? Reply with your insurance company and member ID (like: Aetna W123456789), or SELF PAY.', es: '¿Cómo pagará? Responda con su seguro médico y número de miembro (por ejemplo: Aetna W123456789), o PAGO PROPIO.' },
  coverage_help: { en: 'Your member ID is on the front of your insurance card. If you will pay yourself, reply SELF PAY.', es: 'Su número de miembro está al frente de su tarjeta del seguro. Si paga usted, responda PAGO PROPIO.' },
  coverage_member_id: { en: 'Please add your member ID from your insurance card (like: Aetna W123456789), or reply SELF PAY.', es: 'Agregue su número de miembro de la tarjeta del seguro (por ejemplo: Aetna W123456789), o responda PAGO PROPIO.' },
  back_to_step: { en: 'Now, back to where we were:', es: 'Ahora, sigamos donde íbamos:' },
  anything_else: { en: 'Anything else I can help with?', es: '¿Algo más en que le pueda ayudar?' },
  you_are_welcome: { en: "You're welcome!", es: '¡Con gusto!' },
  phone_on_chat: {
    en: "In this chat I can't see your phone number. Please type it, like (512) 555-0142.",
    es: 'En este chat no puedo ver su número de teléfono. Escríbalo, por favor, como (512) 555-0142.',
  },
  not_understood: { en: "Sorry, I didn't catch that.", es: 'Perdón, no entendí eso.' },
  help_footer: { en: 'Say MENU to start over, or AGENT to talk to a person.', es: 'Escriba MENÚ para empezar de nuevo, o AGENTE para hablar con una persona.' },
  name_last: { en: 'And the last name, please? (First name: {given})', es: '¿Y el apellido, por favor? (Nombre: {given})' },
  noted_coverage: { en: "Got it: {payer}. I'll keep that for later.", es: 'Anotado: {payer}. Lo guardo para más adelante.' },
  later_ok: {
    en: "No problem. When you're ready, text us the exam and we'll take it from there. Anything else I can help with?",
    es: 'Con gusto. Cuando esté listo(a), escríbanos el examen y seguimos desde ahí. ¿Algo más en que le pueda ayudar?',
  },
  stopped: { en: 'OK, I stopped. Nothing was booked or sent. Say HI any time to start again.', es: 'Listo, me detuve. No se agendó ni se envió nada. Escriba HOLA cuando quiera empezar de nuevo.' },
  too_many_tries: { en: "I'm having trouble understanding, so I've asked our team to reply to you here.", es: 'Me está costando entender, así que le pedí a nuestro equipo que le responda por aquí.' },
  clinical: { en: "That's a question for our clinical team, and I can't answer it. I've asked them to reply to you here.", es: 'Esa es una pregunta para nuestro equipo clínico y yo no la puedo contestar. Les pedí que le respondan por aquí.' },
  agent: { en: "I've asked our team to reply to you here.", es: 'Le pedí a nuestro equipo que le responda por aquí.' },
  order_not_found: {
    en: "I don't see that order yet. A few more questions so we can get it from your doctor.",
    es: 'Todavía no veo esa orden. Unas preguntas más para pedírsela a su médico.',
  },
  screening_intro: { en: 'Before we pick a time, a few safety questions. Please answer each one.', es: 'Antes de elegir la hora, unas preguntas de seguridad. Conteste cada una, por favor.' },
  screening_intro_request: {
    en: 'Before the order arrives, a few safety questions, so we can book you as soon as it does. Please answer each one.',
    es: 'Antes de que llegue la orden, unas preguntas de seguridad, para poder agendarle en cuanto llegue. Conteste cada una, por favor.',
  },
  screening_follow_up: {
    en: 'Thank you. A staff member will call you about some of your answers before your visit.',
    es: 'Gracias. Alguien de nuestro personal lo llamará antes de su cita por algunas de sus respuestas.',
  },
  screening_done_request: {
    en: "That's all for now. We'll text you when the order arrives.",
    es: 'Es todo por ahora. Le escribiremos cuando llegue la orden.',
  },
  screening_help: {
    en: 'Answer YES, NO or NOT SURE. If you are not sure, say so: a technologist will check with you. Nothing you answer cancels your exam.',
    es: 'Responda SÍ, NO o NO SÉ. Si no está seguro(a), dígalo: un técnico lo revisará con usted. Nada de lo que conteste cancela su examen.',
  },
  screening_review: {
    en: 'Thank you. Because of your answers, one of our technologists needs to talk with you before we can book. They will call you within 1 business day. Nothing else to do for now.',
    es: 'Gracias. Por sus respuestas, uno de nuestros técnicos necesita hablar con usted antes de agendar. Lo llamará dentro de 1 día hábil. Por ahora no tiene que hacer nada más.',
  },
  screening_pending: {
    en: 'A staff member is still reviewing your safety answers and will call you. We can offer times once that is done.',
    es: 'Nuestro personal todavía está revisando sus respuestas de seguridad y lo llamará. Podremos ofrecerle horarios cuando termine.',
  },
  dob_which: { en: 'Just to be sure, which is your date of birth?', es: 'Para estar seguros, ¿cuál es su fecha de nacimiento?' },
  ask_when: { en: 'No problem. What day or time works better for you? (like "Thursday after 4" or "next week, mornings")', es: 'No hay problema. ¿Qué día u hora le funciona mejor? (como "jueves después de las 4" o "la próxima semana en la mañana")' },
  book_later: { en: "No problem. Your order stays here: whenever you're ready, reply BOOK to pick a time.", es: 'Está bien. Su orden queda aquí: cuando quiera, responda AGENDAR para elegir una hora.' },
  morning_only: { en: 'This exam needs you to fast beforehand, so we do it in the morning only. These are the closest times:', es: 'Para este examen necesita estar en ayunas, así que solo lo hacemos en la mañana. Estos son los horarios más cercanos:' },
  no_fit: { en: "Nothing open fits that in the next 4 weeks, sorry. These are the closest times:", es: 'Lo siento, no hay nada que se ajuste a eso en las próximas 4 semanas. Estos son los horarios más cercanos:' },
  beyond_horizon: { en: 'I can only book up to 4 weeks ahead (through {until}). Here are the earliest times, or tell me another day:', es: 'Solo puedo agendar hasta 4 semanas adelante (hasta el {until}). Dígame otro día, o elija uno de estos:' },
  slots: { en: 'Here are the earliest times:', es: 'Estos son los primeros horarios disponibles:' },
  slots_help: { en: 'Reply 1, 2 or 3 to pick a time, or tell me a day that works better (like "Friday").', es: 'Responda 1, 2 o 3 para elegir, o dígame un día que le funcione mejor (como "viernes").' },
  slot_taken: { en: 'That time was just taken by someone else.', es: 'Alguien acaba de tomar ese horario.' },
  authorization_expired: {
    en: "Your insurance's approval for this exam ended on {until}, so I can't book it yet. We've asked your doctor's office to renew it, and we'll text you as soon as it's renewed.{held} Questions: {phone}.",
    es: 'La aprobación de su seguro para este examen venció el {until}, así que todavía no puedo agendarlo. Pedimos al consultorio de su médico que la renueve y le escribiremos en cuanto la renueven.{held} Preguntas: {phone}.',
  },
  authorization_held: { en: ' We are holding your current time, {when}, until then.', es: ' Le guardamos su hora actual, {when}, mientras tanto.' },
  outside_authorization: { en: 'Your insurance approved this exam only until {until}, so here are times before then.', es: 'Su seguro aprobó este examen solo hasta el {until}; estas son horas antes de esa fecha.' },
  no_slots: {
    en: "I don't see an open time that fits in the next 4 weeks. Our scheduling team will call you to find one.",
    es: 'No veo un horario disponible en las próximas 4 semanas. Nuestro equipo de citas lo llamará para buscar uno.',
  },
  human_track: {
    en: 'This exam is marked urgent by your doctor, so our scheduling team will call you today to book it.',
    es: 'Su médico marcó este examen como urgente, así que nuestro equipo de citas lo llamará hoy para agendarlo.',
  },
  manage_choices: { en: 'Reply C to confirm, R to reschedule or X to cancel your appointment.', es: 'Responda C para confirmar, R para cambiar la cita o X para cancelarla.' },
  verify_for_confirm: { en: 'To confirm your appointment:', es: 'Para confirmar su cita:' },
  verify_for_reschedule: { en: 'To move your appointment:', es: 'Para cambiar su cita:' },
  verify_for_cancel: { en: 'To cancel your appointment:', es: 'Para cancelar su cita:' },
  verify_for_waitlist: { en: 'To put you on the waitlist:', es: 'Para ponerlo en la lista de espera:' },
  verify_intro: { en: 'To protect your privacy, I need to check a couple of details first.', es: 'Para proteger su privacidad, primero necesito verificar unos datos.' },
  verify_name: { en: 'What is your first or last name?', es: '¿Cuál es su nombre o apellido?' },
  try_again: { en: "Let's try again.", es: 'Intentemos otra vez.' },
  verify_failed: { en: "Those details don't match our records, so I can't share anything.", es: 'Esos datos no coinciden con nuestros registros, así que no puedo compartir nada.' },
  no_appointment: {
    en: "I don't see an upcoming appointment for you. Say HI to request an exam, or AGENT to talk to a person.",
    es: 'No veo una cita próxima a su nombre. Escriba HOLA para pedir un examen, o AGENTE para hablar con una persona.',
  },
  cancel_reason: { en: "Sorry you can't make it. In a few words, what's the reason?", es: 'Lamentamos que no pueda venir. En pocas palabras, ¿cuál es el motivo?' },
  cancel_reason_help: { en: 'Any reason is fine, like "feeling better" or "work". It helps us plan.', es: 'Cualquier motivo sirve, como "ya me siento mejor" o "trabajo". Nos ayuda a planear.' },
  cancel_or_rebook: { en: 'Would you like a new time instead?', es: '¿Prefiere una nueva hora?' },
  cancel_or_rebook_help: {
    en: 'Reply 1 to see new times, 2 to cancel the appointment (we keep your order to book later), or 3 if you no longer need the exam.',
    es: 'Responda 1 para ver nuevos horarios, 2 para cancelar la cita (guardamos su orden para agendar después), o 3 si ya no necesita el examen.',
  },
  withdrawn: {
    en: "Done: your appointment is cancelled and we've closed your request for this exam. If you need it later, just text us.",
    es: 'Listo: su cita está cancelada y cerramos su solicitud para este examen. Si lo necesita más adelante, escríbanos.',
  },
  withdraw_confirm: {
    en: 'You have no appointment booked, but we have your order for {exam}. Should we close it because you no longer need it?',
    es: 'No tiene cita agendada, pero tenemos su orden de {exam}. ¿La cerramos porque ya no la necesita?',
  },
  withdraw_confirm_help: { en: 'Reply YES to close the order, or NO to keep it so you can book later.', es: 'Responda SÍ para cerrar la orden, o NO para guardarla y agendar después.' },
  order_closed: { en: "Done: we've closed your order for this exam. If you need it later, just text us.", es: 'Listo: cerramos su orden para este examen. Si la necesita más adelante, escríbanos.' },
  order_kept: { en: 'OK, we keep your order. Whenever you are ready, reply BOOK to pick a time.', es: 'Está bien, guardamos su orden. Cuando quiera, responda AGENDAR para elegir una hora.' },
  cancelled: {
    en: 'Your appointment is cancelled and the time is released. We keep your order: whenever you are ready, reply BOOK to pick a new time.',
    es: 'Su cita está cancelada y el horario quedó libre. Guardamos su orden: cuando quiera, responda AGENDAR para elegir otra hora.',
  },
  confirmed: { en: 'Thanks, you are confirmed for {when}. See you then!', es: 'Gracias, su cita del {when} está confirmada. ¡Lo esperamos!' },
  marketing_opt_in: {
    en: 'One more thing, and it is optional: would you like {center} Health Reminders (screening reminders and health tips), up to 2 texts a month? Msg & data rates may apply. Reply HELP for help, STOP to opt out. Reply YES to join or NO. Your answer does not change your care.',
    es: 'Una cosa más, y es opcional: ¿quiere recibir los Recordatorios de Salud de {center} (recordatorios de exámenes preventivos y consejos de salud), hasta 2 mensajes al mes? Pueden aplicarse tarifas de mensajes y datos. Responda HELP para ayuda, STOP para cancelar. Responda SÍ para unirse o NO. Su respuesta no cambia su atención.',
  },
  marketing_help: { en: 'These are optional texts about screenings and health tips. Reply YES to get them or NO to skip them.', es: 'Son mensajes opcionales sobre exámenes preventivos y consejos de salud. Responda SÍ para recibirlos o NO para omitirlos.' },
  marketing_yes: { en: "You're in. You can reply STOP at any time to stop these texts.", es: 'Listo, quedó inscrito(a). Puede responder STOP en cualquier momento para dejar de recibirlos.' },
  marketing_no: { en: 'No problem: you will only get texts about your exam.', es: 'Está bien: solo recibirá mensajes sobre su examen.' },
  waitlist_joined: {
    en: "You're on the waitlist for an earlier time. If one opens, we'll text you and hold it for {hold} minutes: reply YES to take it. Your appointment on {when} stays as it is until then.",
    es: 'Quedó en la lista de espera para una hora antes. Si se abre una, le escribiremos y se la guardaremos {hold} minutos: responda SÍ para tomarla. Su cita del {when} sigue igual mientras tanto.',
  },
  waitlist_joined_unbooked: {
    en: "You're on the waitlist. When a time opens up we'll text you and hold it for {hold} minutes: reply YES to take it. You can also reply BOOK any time to see the open times.",
    es: 'Quedó en la lista de espera. Cuando se abra una hora le escribiremos y se la guardaremos {hold} minutos: responda SÍ para tomarla. También puede responder AGENDAR cuando quiera para ver los horarios libres.',
  },
  waitlist_already: { en: "You're already on the waitlist; we'll text you as soon as an earlier time opens.", es: 'Ya está en la lista de espera; le escribiremos en cuanto se abra una hora antes.' },
  waitlist_human: {
    en: 'Our scheduling team books this exam with you directly; they will call you with the earliest time.',
    es: 'Nuestro equipo de citas agenda este examen directamente con usted; lo(a) llamará con la hora más próxima.',
  },
  busy: { en: 'Someone is updating your appointment right now. Please try again in a minute.', es: 'Alguien está actualizando su cita en este momento. Intente de nuevo en un minuto.' },
  handoff_hours: { en: "We answer during opening hours; if it's urgent, call {phone}.", es: 'Respondemos en horario de atención; si es urgente, llame al {phone}.' },
  status_intro: { en: 'I can check on your order. First, to protect your privacy, I need to verify a few details.', es: 'Con gusto le digo cómo va su orden. Primero, para proteger su privacidad, necesito verificar unos datos.' },
  handoff_phone: {
    en: 'So they can see your exam with your message: what mobile number did you give us? (Optional: you can just wait for their reply.)',
    es: 'Para que vean su examen junto con su mensaje: ¿cuál es el número de celular que nos dio? (Es opcional: puede solo esperar su respuesta.)',
  },
  handoff_dob: { en: 'And your date of birth? (MM/DD/YYYY)', es: '¿Y su fecha de nacimiento? (MM/DD/AAAA)' },
  handoff_found: { en: "Thank you. I've added your exam to your message for our team.", es: 'Gracias. Agregué su examen a su mensaje para nuestro equipo.' },
  handoff_not_found: { en: "I couldn't find your exam with that, but our team will still reply to you here.", es: 'No encontré su examen con esos datos, pero nuestro equipo le responderá por aquí de todos modos.' },
  status_phone: { en: 'What mobile number did you give us?', es: '¿Cuál es el número de celular que nos dio?' },
  status_dob: { en: "What's your date of birth? (MM/DD/YYYY)", es: '¿Cuál es su fecha de nacimiento? (MM/DD/AAAA)' },
  status_name: { en: 'And your last name?', es: '¿Y su apellido?' },
  status_book: { en: 'Reply BOOK whenever you want to pick a time.', es: 'Responda AGENDAR cuando quiera elegir una hora.' },
  status_none: {
    en: "I don't see any orders under your name yet. If your doctor gave you one, you can send it to us, or say AGENT to talk to a person.",
    es: 'No encuentro órdenes abiertas a su nombre. Si su médico le dio una orden, puede enviárnosla, o escriba AGENTE para hablar con una persona.',
  },
  request_sent_teams: { en: "We've sent your request to {who} and asked them for the order.", es: 'Enviamos su solicitud a {who} y les pedimos la orden.' },
  request_contact_provider: { en: 'Our team will contact {who} for your order.', es: 'Nuestro equipo contactará a {who} para pedir su orden.' },
  request_call_you: { en: 'Our team will call you within 1 business day to help you get an order.', es: 'Nuestro equipo lo llamará dentro de 1 día hábil para ayudarle a conseguir una orden.' },
  request_number: { en: 'Your request number is {number}.', es: 'Su número de solicitud es {number}.' },
  request_numbers: { en: 'Your requests: {list}.', es: 'Sus solicitudes: {list}.' },
  request_asap: { en: 'You asked for it as soon as possible, so someone from our team will call you to speed it up.', es: 'Nos pidió que sea lo antes posible, así que alguien de nuestro equipo lo llamará para agilizarlo.' },
  request_done: {
    en: "Thank you, {name}. {next} When the order arrives (usually within 2 business days) we'll text you to pick a time and send your prep. {numbers}{asap} Questions: {phone}.",
    es: 'Gracias, {name}. {next} Cuando llegue la orden (normalmente en 2 días hábiles) le escribiremos para elegir la hora y enviarle la preparación. {numbers}{asap} Preguntas: {phone}.',
  },
  order_found_state: { en: "I found your order: {state}. We'll text you when there's news.", es: 'Encontré su orden: {state}. Le escribiremos cuando haya novedades.' },
  holding: { en: "I'm holding {when} for you at {where}.", es: 'Le estoy guardando el {when} en {where}.' },
  holding_for_you: { en: "We're holding {when} for you.", es: 'Le estamos guardando el {when}.' },
  current_appointment: { en: "Your current appointment is {when}. Pick a new time and we'll release the old one.", es: 'Su cita actual es el {when}. Elija una nueva hora y liberaremos la anterior.' },
  booked: { en: "You're booked: {when} at {where}.", es: 'Su cita está agendada: {when} en {where}.' },
  booked_moved: { en: "Done, your appointment is moved. You're booked: {when} at {where}. Your earlier time is released.", es: 'Listo, cambiamos su cita. Su cita está agendada: {when} en {where}. La hora anterior quedó libre.' },
  prep_heading: { en: 'How to prepare', es: 'Preparación' },
  booking_card_title: { en: 'Your appointment', es: 'Su cita' },
  booking_when: { en: 'When', es: 'Cuándo' },
  booking_where: { en: 'Where', es: 'Dónde' },
  booking_exam: { en: 'Exam', es: 'Examen' },
  already_booked: { en: 'I found your appointment: {when}.', es: 'Encontré su cita: {when}.' },
  cannot_answer_here: {
    en: "I can't answer that one here. Our team can: call {phone}, or say AGENT and someone will reply to you here.",
    es: 'Esa pregunta no la puedo contestar aquí. Nuestro equipo sí: llame al {phone}, o escriba AGENTE y alguien le responderá por aquí.',
  },
  any_time: { en: 'These are the earliest times we have; pick the one you like.', es: 'Estos son los horarios más próximos; elija el que prefiera.' },
  several_exams: { en: "I'll make a request for each exam: {list}.", es: 'Haré una solicitud para cada examen: {list}.' },
  action_confirm: { en: 'Confirm', es: 'Confirmar' },
  action_reschedule: { en: 'Reschedule', es: 'Cambiar' },
  action_cancel: { en: 'Cancel', es: 'Cancelar' },
} satisfies Texts;

export type TextId = keyof typeof T;

export function t(id: TextId, lang: Language, vars: Record<string, string> = {}): string {
  return fillIn(T[id][lang], vars);
}

/** An exam in plain words ("MRI knee", "resonancia de la rodilla"); "exam" when the patient did not know which. */
export function examLabel(e: { modality: Modality | null; bodyPart?: string | null }, lang: Language): string {
  const m = e.modality ? modalityLabel(e.modality, lang) : lang === 'es' ? 'examen' : 'exam';
  // "mammogram", not "mammogram breast".
  if (!e.bodyPart || (e.modality && impliedBodyPart(e.modality) === e.bodyPart)) return m;
  return lang === 'es' ? `${m} de ${BODY_PART_ES[e.bodyPart] ?? e.bodyPart}` : `${m} ${e.bodyPart}`;
}
