import { teamsTalker, runLines as run } from '../support/channels';
import { newPhone } from '../support/sms';
import { api, startTestApp, type TestApp } from '../support/test-app';

/**
 * A referring office that writes in Spanish on Teams: the office conversation (menu, order form, refusals, summary,
 * submit, missing items, status) answers in Spanish; button titles are Spanish, their values and numbers work as in
 * English. What the office typed (names, reasons) comes back as typed.
 */
const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
const TENANT = 'cccccccc-0000-4000-8000-00000000000c';
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ name: 'office-es', now: () => NOW });
  await t.app.repos.referrers.insert({ id: 'org_valle', name: 'Clínica del Valle', tenantId: TENANT, phone: null, fax: null, users: [], createdAt: NOW });
});
afterAll(() => t.close());

const numberIn = (reply: string) => /la orden ([A-F0-9]{6}) /.exec(reply)![1]!;
async function caseByNumber(n: string) {
  const token = await t.token('admin');
  const items = (await api(t.base, 'GET', '/api/v1/cases?limit=200', { token })).body.items as Array<{ id: string }>;
  return (await t.app.repos.cases.findById(items.find((c) => c.id.toUpperCase().endsWith(n))!.id))!;
}

test('Teams in Spanish: a whole MRI order (menu → every question → summary → submit → received), refusals in Spanish, then its status', async () => {
  const office = teamsTalker(t, { tenant: TENANT, name: 'Lucía Ramírez' });
  const phone = newPhone();
  // "hola" first: the conversation is Spanish from here on (the person's language is kept).
  await run(office, [
    ['hola', /^Hola, le escribe Bluebonnet Imaging \(Clínica del Valle\)\. ¿Cómo le ayudamos\?/],
    ['2', '¿Qué desea hacer?\n1. Enviar una orden nueva\n2. Estado de nuestras órdenes\n3. Hablar con una persona'],
  ]);
  const replies = await run(office, [
    // Teams: the text, then the form card (its text and title), then the first question.
    ['1', /^Vamos a enviar una orden\. Escriba CANCELAR en cualquier momento para parar; no se envía nada hasta que usted la confirme\.\nLlene el formulario de la orden, o conteste las preguntas una por una aquí abajo\.\nOrden de estudio de imagen(\n\[[^\n]*\])?\n¿Nombre completo del paciente \(nombre y apellido\)\?$/],
    ['resonancia', 'Envíe el nombre y el apellido del paciente, por favor.'],
    ['Ana Lopez', '¿Fecha de nacimiento del paciente? (MM/DD/AAAA)'],
    ['ayer', 'Envíe la fecha de nacimiento como MM/DD/AAAA, por favor.'],
    ['04/02/1980', '¿Celular del paciente, para los mensajes de citas? (u OMITIR)'],
    ['123', 'Ese no es un número de EE. UU.; envíe 10 dígitos, u OMITIR.'],
    [phone, '¿Idioma de los mensajes al paciente?\n1. Inglés\n2. Español'],
    // A button's title, as Teams sends it back.
    ['Español', '¿Qué estudio? Modalidad y parte del cuerpo, p. ej., "resonancia de columna lumbar" o "tomografía de abdomen y pelvis con contraste".'],
    ['la de siempre', 'Indique la modalidad (resonancia magnética, tomografía computarizada, ultrasonido, mamografía, radiografía, PET, densitometría ósea) y la parte del cuerpo.'],
    ['resonancia de columna lumbar', '¿Con o sin contraste?\n1. Sin contraste\n2. Con contraste\n3. Con y sin contraste'],
    ['Sin contraste', 'Códigos de diagnóstico (ICD-10-CM), p. ej., M54.50; si son varios, sepárelos con comas. O escriba OMITIR.'],
    ['54.50X', "'54.50X' no es un código ICD-10-CM (una letra, dos caracteres y, si aplica, un punto y hasta 4 más; p. ej., M54.50). O escriba OMITIR."],
    ['M54.5', 'M54.5 es una categoría, no un código facturable: use uno más específico, p. ej., M54.50, M54.51, M54.59.'],
    ['M54.50', '¿Motivo del estudio, en pocas palabras? (u OMITIR)'],
    ['dolor lumbar de 8 semanas', '¿Prioridad?\n1. Rutina\n2. Urgente\n3. ASAP (lo antes posible)\n4. STAT (inmediato)'],
    ['rutina', '¿Nombre del médico que ordena?'],
    ['Dra. Maya Patel', '¿NPI del médico que ordena (10 dígitos)? (u OMITIR)'],
    ['1234567890', 'El NPI 1234567890 no pasa el dígito verificador (el último dígito debe coincidir con la verificación de Luhn sobre 80840 y los primeros nueve dígitos). Revíselo, por favor.'],
    ['1234567893', '¿Teléfono de contacto del médico que ordena? (u OMITIR)'],
    ['(555) 765-4321', 'Seguro: aseguradora y número de afiliado (p. ej., Aetna W123456789), o PARTICULAR. (u OMITIR)'],
    ['Aetna', 'Agregue el número de afiliado (p. ej., Aetna W123456789), o PARTICULAR.'],
    ['Aetna W123456789', '¿Notas clínicas para el radiólogo? (o NINGUNA)'],
    // On Teams the summary is an Adaptive Card, then the question with its buttons.
    [
      'ninguna',
      [
        'Orden de estudio de imagen',
        'Paciente: Ana Lopez',
        'Fecha de nacimiento: 1980-04-02',
        `Celular: ${phone} (mensajes en español)`,
        'Estudio: resonancia magnética, columna lumbar, sin contraste',
        'Diagnóstico: M54.50; dolor lumbar de 8 semanas',
        'Prioridad: rutina',
        'Médico que ordena: Dra. Maya Patel, NPI 1234567893, +15557654321',
        'Seguro: Aetna W123456789',
        'Revise la orden y luego envíela.',
        '1. Enviar la orden',
        '2. Empezar de nuevo',
      ].join('\n'),
    ],
    ['Enviar la orden', /^Recibimos la orden [A-F0-9]{6} de Ana Lopez\. Está completa y necesita autorización previa; invitaremos al paciente a agendar en cuanto la aprueben\.$/],
  ]);
  const n = numberIn(replies.at(-1)!);
  const c = await caseByNumber(n);
  expect(c).toMatchObject({ state: 'pending_authorization', referrerOrgId: 'org_valle', source: 'msteams', order: { code: { modality: 'mri', contrast: 'without' }, bodySite: { text: 'lumbar spine' }, reasonCode: ['M54.50'], reasonText: 'dolor lumbar de 8 semanas', priority: 'routine' } });
  expect((await t.app.repos.patients.findById(c.patientId))!.language).toBe('es');

  // Its status, asked in Spanish: the whole list, by patient, and by number.
  const open = `${n} · Ana Lopez · resonancia magnética columna lumbar · en espera de autorización previa`;
  await run(office, [
    ['estado', `Sus órdenes abiertas (primero STAT y urgentes):\n${open}`],
    ['¿cómo va la orden de Ana?', `Órdenes que coinciden (primero STAT y urgentes):\n${open}`],
    [`¿cuál es el estado de ${n}?`, open],
    ['¿novedades de Rigoberto?', 'No encontré ninguna orden abierta suya para ese paciente.'],
    ['rechazar 0A0A0A', 'No encuentro la solicitud 0A0A0A entre las órdenes de su organización.'],
  ]);
});

test('Teams in Spanish: an order missing its diagnosis is saved and asked for; COMPLETAR <n> asks again; the reason in words completes it', async () => {
  const office = teamsTalker(t, { tenant: TENANT, name: 'Lucía Ramírez' });
  const replies = await run(office, [
    // "nueva orden" first: the office command, and Spanish from the first message.
    ['nueva orden', /^Vamos a enviar una orden\.[\s\S]*\n¿Nombre completo del paciente \(nombre y apellido\)\?$/],
    ['Ana Lopez', /^¿Fecha de nacimiento/],
    ['04/02/1980', /^¿Celular del paciente/],
    [newPhone(), /^¿Idioma de los mensajes al paciente\?/],
    // The patient's language, by its button: the office's conversation stays in Spanish.
    ['Inglés', /^¿Qué estudio\?/],
    ['tomografía de abdomen y pelvis con contraste', /^Códigos de diagnóstico/],
    ['omitir', /^¿Motivo del estudio/],
    ['omitir', /^¿Prioridad\?/],
    ['2', /^¿Nombre del médico que ordena\?/],
    ['Dr. Luis Herrera', /^¿NPI/],
    ['1234567893', /^¿Teléfono de contacto/],
    ['5557654321', /^Seguro:/],
    ['particular', /^¿Notas clínicas/],
    ['no', /^Orden de estudio de imagen\nPaciente: Ana Lopez\n[\s\S]*\(mensajes en inglés\)\nEstudio: tomografía computarizada, abdomen y pelvis, con contraste\nDiagnóstico: falta\nPrioridad: urgente\n[\s\S]*\nSeguro: particular\n/],
    [
      '1',
      /^Guardamos la orden [A-F0-9]{6} de Ana Lopez, pero le falta: código de diagnóstico o motivo\. Agreguémoslo ahora\.\nCódigos de diagnóstico \(ICD-10-CM\), p\. ej\., M54\.50, o el motivo del estudio en palabras\.$/,
    ],
  ]);
  const n = numberIn(replies.at(-1)!);
  expect((await caseByNumber(n)).state).toBe('awaiting_documentation');
  await run(office, [
    ['cancelar', 'Listo, paramos. No se envió nada. Escriba NUEVA ORDEN para empezar otra vez.'],
    ['estado', new RegExp(`\\n${n} · Ana Lopez · tomografía computarizada abdomen y pelvis · URGENTE · falta: código de diagnóstico o motivo \\(responda COMPLETAR ${n}\\)`)],
    [`completar ${n}`, `A la orden ${n} le falta: código de diagnóstico o motivo.\nCódigos de diagnóstico (ICD-10-CM), p. ej., M54.50, o el motivo del estudio en palabras.`],
    ['dolor abdominal después de una caída', 'Datos que faltan\nDiagnóstico: dolor abdominal después de una caída\n¿Enviamos estos datos para completar la orden?\n1. Enviar la orden\n2. Empezar de nuevo'],
    ['1', `Recibimos la orden ${n} de Ana Lopez. Está completa; le estamos escribiendo al paciente para que agende.`],
  ]);
  const c = await caseByNumber(n);
  expect(c).toMatchObject({ state: 'ready_to_schedule', missing: [], order: { reasonCode: [], reasonText: 'dolor abdominal después de una caída', priority: 'urgent' } });
});

test("English stays English: an office choosing Spanish for its patient's texts (the button's title) goes on in English", async () => {
  const office = teamsTalker(t, { tenant: TENANT, name: 'Maya Patel' });
  const phone = newPhone();
  const replies = await run(office, [
    ['new order', /^Let's send an order\. Say CANCEL at any time to stop; nothing is sent until you submit\.\n/],
    ['Ana Lopez', /date of birth/],
    ['04/02/1980', /mobile number/],
    [phone, /^Language for the patient’s texts\?\n1\. English\n2\. Spanish$/],
    ['Spanish', /^Which study\?/],
    ['X-ray chest', /^Diagnosis codes/],
    ['R05.9', /^Reason for the exam/],
    ['cough 6 weeks', /^Priority\?\n1\. Routine/],
    ['1', "Ordering provider's name?"],
    ['Dr. Maya Patel', /NPI/],
    ['1234567893', /Callback number/],
    ['5557654321', /^Insurance/],
    ['self pay', /^Clinical notes/],
    ['none', new RegExp(`^Imaging order\\nPatient: Ana Lopez\\nDate of birth: 1980-04-02\\nMobile: \\${phone} \\(texts in Spanish\\)\\nStudy: X-ray, chest\\n[\\s\\S]*\\nPlease check the order, then submit it\\.\\n1\\. Submit the order\\n2\\. Start over$`)],
    ['1', /^Order [A-F0-9]{6} for Ana Lopez is received\. It is complete; we're texting the patient to book\.$/],
  ]);
  const n = /^Order ([A-F0-9]{6}) /.exec(replies.at(-1)!)![1]!;
  const [list] = await run(office, [['my orders', /^Your open orders \(stat and urgent first\):\n/]]);
  expect(list).toContain(`\n${n} · Ana Lopez · X-ray chest · complete; the patient is invited to book`);
});

test('Teams in Spanish: an order typed in one message is taken as an order; what it says is kept and only the rest is asked, in Spanish', async () => {
  const office = teamsTalker(t, { tenant: TENANT, name: 'Lucía Ramírez' });
  const phone = newPhone();
  await run(office, [['hola', /^Hola, le escribe Bluebonnet Imaging/], ['2', /^¿Qué desea hacer\?/]]);
  await run(office, [
    [`urgente TC de cráneo sin contraste para Rosa Delgado Villanueva fdn 02/11/1958, celular ${phone}, habla español. R51.9. Dra. Maya Patel NPI 1234567893`, /^Vamos a enviar esta orden\. Tomé lo que dice su mensaje; usted revisará todo antes de enviarla\. Escriba CANCELAR en cualquier momento para parar\.\n¿Motivo del estudio/],
    ['cefalea intensa de inicio reciente', /^¿Teléfono de contacto del médico/],
    ['(555) 765-4321', /^Seguro: aseguradora/],
    ['particular', /^¿Notas clínicas/],
  ]);
  const [summary] = await run(office, [['ninguna', /Revise la orden/]]);
  expect(summary).toMatch(/Paciente: Rosa Delgado Villanueva\n/);
  expect(summary).toMatch(/\nFecha de nacimiento: 1958-02-11\nCelular: \+1\d{10} \(mensajes en español\)\nEstudio: tomografía computarizada, cerebro, sin contraste\nDiagnóstico: R51\.9; cefalea intensa de inicio reciente\nPrioridad: urgente\n/);
});
