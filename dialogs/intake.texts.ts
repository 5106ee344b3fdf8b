import type { Language } from '../services/messaging/templates';
import { fillIn } from '../services/text';

/** The first conversation's words (menu, handoff, office sign-in, Teams, pictures), in English and Spanish; {vars} filled in. */
const T = {
  hello: { en: 'Hi, this is {center}. How can we help?', es: 'Hola, le escribe {center}. ¿Cómo le ayudamos?' },
  hello_org: { en: 'Hi, this is {center} (for {org}). How can we help?', es: 'Hola, le escribe {center} ({org}). ¿Cómo le ayudamos?' },
  menu_footer: { en: 'Reply with a number. HELP for help, STOP to opt out.', es: 'Responda con un número. HELP para ayuda, STOP para no recibir mensajes.' },
  menu_patient: { en: "I'm a patient", es: 'Soy paciente' },
  menu_office: { en: "I'm with a doctor's office", es: 'Llamo de un consultorio médico' },
  menu_human: { en: 'Talk to a person', es: 'Hablar con una persona' },
  human: {
    en: "I've asked our team to reply to you here; we answer during opening hours ({hours}). If it's urgent, call {phone}. If this is a medical emergency, call 911.",
    es: 'Le pedí a nuestro equipo que le responda por aquí; contestamos en horario de atención ({hours}). Si es urgente, llame al {phone}. Si es una emergencia médica, llame al 911.',
  },
  help: {
    en: 'I can help you request an exam, book or change an appointment, check on an order, or answer questions about your visit. Say AGENT to talk to a person, or call {phone} ({hours}).',
    es: 'Puedo ayudarle a pedir un examen, agendar o cambiar una cita, revisar una orden o contestar preguntas sobre su visita. Escriba AGENTE para hablar con una persona, o llame al {phone} ({hours}).',
  },
  opt_out_chat: {
    en: 'To stop text messages from {center}, text STOP to {phone}. In this chat we only answer when you write.',
    es: 'Para dejar de recibir mensajes de texto de {center}, envíe ALTO al {phone}. En este chat solo respondemos cuando usted escribe.',
  },
  opt_in_chat: { en: 'To get text messages from {center} again, text START to {phone}.', es: 'Para volver a recibir mensajes de texto de {center}, envíe COMENZAR al {phone}.' },
  office_code: {
    en: "Doctor's offices: enter the sign-in code {center} gave you (like ABCD-2345). No code? Call {phone}.",
    es: 'Consultorios: escriban el código de acceso que les dio {center} (como ABCD-2345). ¿Sin código? Llamen al {phone}.',
  },
  office_sms: {
    en: "Doctor's offices: send orders and see their status on Microsoft Teams or our web chat (ask us for a sign-in code), or call {phone} ({hours}).",
    es: 'Consultorios: envíen órdenes y vean su estado por Microsoft Teams o nuestro chat web (pidan un código de acceso), o llamen al {phone} ({hours}).',
  },
  office_code_cancelled: { en: 'OK. Say HI for the menu.', es: 'Listo. Escriba HOLA para ver el menú.' },
  office_code_failed: {
    en: 'That code did not work (wrong, used or expired). Ask {center} for a new one at {phone}, or say CANCEL.',
    es: 'Ese código no funcionó (incorrecto, usado o vencido). Pida uno nuevo a {center} al {phone}, o escriba CANCELAR.',
  },
  office_signed_in: { en: 'Signed in for {org} as {name}.', es: 'Sesión iniciada para {org} como {name}.' },
  office_stays_signed_in: { en: ' This device stays signed in until {until}; say SIGN OUT to end it sooner.', es: ' Este dispositivo seguirá con la sesión iniciada hasta el {until}; diga CERRAR SESIÓN para terminarla antes.' },
  office_welcome_back: { en: 'Welcome back: signed in for {org} as {name} (on this device until {until}; say SIGN OUT to end it).', es: 'Bienvenido de nuevo: sesión iniciada para {org} como {name} (en este dispositivo hasta el {until}; diga CERRAR SESIÓN para terminarla).' },
  office_signed_out: {
    en: "Signed out: this device no longer shows your office's orders. To sign in again, choose \"I'm with a doctor's office\" and enter a code from our team ({phone}).",
    es: 'Sesión cerrada: este dispositivo ya no muestra las órdenes de su consultorio. Para entrar otra vez, elija "Llamo de un consultorio médico" e ingrese un código de nuestro equipo ({phone}).',
  },
  teams_unknown_org: {
    en: "Thanks for reaching {center}. Your organization isn't connected to us on Teams yet; we've let our team know and they'll be in touch. In the meantime, call {phone} ({hours}).",
    es: 'Gracias por escribir a {center}. Su organización todavía no está conectada con nosotros por Teams; avisamos a nuestro equipo y lo contactarán. Mientras tanto, llame al {phone} ({hours}).',
  },
  teams_pending: {
    en: "Thanks, {name}. Before you can send or follow {org}'s orders here, your office's admin or our team needs to approve you. We've asked them, and I'll message you here once you're approved. Questions: {phone}.",
    es: 'Gracias, {name}. Antes de enviar o seguir las órdenes de {org} por aquí, el administrador de su consultorio o nuestro equipo debe aprobarle. Ya les avisamos y le escribiré por aquí en cuanto le aprueben. Preguntas: {phone}.',
  },
  teams_welcome: {
    en: `Hi, this is {center}'s intake assistant. Doctor's offices can send orders and see where they stand here: say NEW ORDER or STATUS, or "hi" for the menu. Questions: {phone} ({hours}).`,
    es: 'Hola, le escribe el asistente de {center}. Los consultorios pueden enviar órdenes y ver su estado aquí: escriban NUEVA ORDEN o ESTADO, u "hola" para el menú. Preguntas: {phone} ({hours}).',
  },
  picture: {
    en: "Thanks, we got your picture, but we can't read photos or files by text. To send us an order or another document, ask your doctor's office to send it to us, or call {phone}. For anything else, just text us in words.",
    es: 'Gracias, recibimos su imagen, pero no podemos leer fotos ni archivos por mensaje de texto. Para enviarnos una orden u otro documento, pida a su médico que nos la mande o llame al {phone}. Para todo lo demás, escríbanos con palabras.',
  },
  bot_is_back: {
    en: 'You\'re back with our automated assistant. To reach a person again, just say "agent".',
    es: 'Ahora le responde otra vez nuestro asistente automático. Para hablar otra vez con una persona, escriba "agente" cuando quiera.',
  },
  ready_yes: { en: 'Thank you! See you at your appointment.', es: '¡Gracias! Lo esperamos en su cita.' },
  ready_no: {
    en: "Thanks for letting us know. Someone from our team will call you before your appointment to help with your prep. If it's urgent, call {phone}.",
    es: 'Gracias por avisarnos. Alguien de nuestro equipo lo llamará antes de su cita para ayudarle con la preparación. Si es urgente, llame al {phone}.',
  },
  welcome: { en: "You're welcome! Write to us anytime you need something.", es: '¡Con gusto! Escríbanos cuando necesite algo.' },
  turn_failed: {
    en: 'Sorry, something went wrong on our side. Please try again, or call {phone}.',
    es: 'Lo sentimos, algo falló de nuestro lado. Intente de nuevo o llame al {phone}.',
  },
} satisfies Record<string, Record<Language, string>>;

export type IntakeTextId = keyof typeof T;

export function intakeText(id: IntakeTextId, lang: Language, vars: Record<string, string> = {}): string {
  return fillIn(T[id][lang], vars);
}
