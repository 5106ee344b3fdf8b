import { classifyInbound, exactKeyword, isRevocation, OPT_OUT_WORDS } from '../../services/consent/keywords';

describe('exact keywords', () => {
  const decorate = (w: string) => [w, w.toUpperCase(), `  ${w}  `, `${w}.`, `${w}!!`, `"${w}"`, `${w[0]!.toUpperCase()}${w.slice(1)}?`];
  test.each(OPT_OUT_WORDS.flatMap((w) => decorate(w)))('%p is an opt-out', (text) => {
    expect(exactKeyword(text)?.kind).toBe('opt_out');
    expect(classifyInbound(text, false)).toEqual({ kind: 'opt_out', via: 'keyword' });
  });
  test.each(['START', 'start', 'Unstop!'])('%p is an opt-in', (text) => expect(classifyInbound(text, false)).toEqual({ kind: 'opt_in' }));
  test.each(['HELP', 'help?', ' Info '])('%p asks for help', (text) => expect(classifyInbound(text, true)).toEqual({ kind: 'help' }));
  test('YES re-subscribes only a number that has something revoked', () => {
    expect(classifyInbound('yes', true)).toEqual({ kind: 'opt_in' });
    expect(classifyInbound('Yes', false)).toEqual({ kind: 'message' });
  });
  test('Spanish keywords: ALTO, BASTA, PARAR stop; AYUDA helps; INICIO, COMENZAR re-subscribe a number that opted out', () => {
    for (const w of ['ALTO', 'basta', 'Parar.']) expect(classifyInbound(w, false)).toEqual({ kind: 'opt_out', via: 'keyword' });
    expect(classifyInbound('AYUDA', false)).toEqual({ kind: 'help' });
    for (const w of ['INICIO', 'comenzar']) {
      expect(classifyInbound(w, true)).toEqual({ kind: 'opt_in' });
      expect(classifyInbound(w, false)).toEqual({ kind: 'message' });
    }
    expect(classifyInbound('cancelar', false)).toEqual({ kind: 'message' }); // an appointment word in Spanish
  });
  test('a keyword inside a sentence is not an exact keyword', () => {
    expect(exactKeyword('stop it')).toBeNull();
    expect(exactKeyword('help me book')).toBeNull();
  });
});

/** 36 revocations and 36 ordinary sentences (many with stop, cancel, end, quit or "no more" in them). */
const REVOCATIONS = [
  'please stop texting me',
  'Stop texting me!',
  'stop sending me messages',
  'STOP SENDING ME THESE TEXTS',
  'no more messages',
  'No more texts please',
  "don't text me anymore",
  'Do not text me again',
  'please unsubscribe me',
  'remove me from your list',
  'take me off your texting list',
  'please take me off',
  'take my number off',
  'take me off your texts, i dont need the mri',
  'leave me alone',
  'I do not want any more texts',
  "I don't want these messages",
  'opt me out',
  'quit messaging me',
  'stop contacting me',
  'lose my number',
  'Stop please',
  'please stop',
  'never text me again',
  'end these text messages',
  'no más mensajes',
  'No mas mensajes por favor',
  'no me manden más mensajes',
  'dejen de escribirme',
  'Ya no quiero mensajes',
  'no me escriban más',
  'quiero darme de baja',
  'bórrenme de la lista',
  'no quiero recibir más textos',
  'paren de enviarme mensajes',
  'basta de mensajes',
  'déjenme en paz',
  'cancelar suscripción',
  'por favor no me envíen más mensajes',
  'enough with the texts already',
  'quítenme de la lista',
  'ya no me escriban porfa',
  'Eliminen mi número de su lista',
  'por favor, no me enviéis más SMS',
];

const ORDINARY = [
  'can I stop by earlier?',
  // Taken off the schedule, not the texts.
  'no dont need it, take me off',
  'take me off the schedule',
  'take me off the wait list please',
  'i dont need the mri anymore, remove me from the schedule',
  'I need to cancel my appointment',
  'when should I stop eating before the scan?',
  'my doctor said to stop metformin',
  'is there a bus stop near the clinic',
  'no more pain since last week, do I still need the MRI?',
  "I'll stop at the pharmacy first",
  'what time does the appointment end?',
  'I quit smoking last year, does that matter?',
  'please text me the address',
  'can you send me the prep instructions',
  'no, I do not have more questions',
  'yes please book it',
  'I want to end my wait, any earlier slot?',
  'can I message the technologist?',
  'do not book me before 10am',
  "don't cancel, I'm coming",
  'I want to stop by to drop off my order',
  'who do I contact about my results',
  'Cancel my MRI on Friday',
  'can my husband text you instead?',
  'stop light on main street, which building?',
  '¿puedo pasar más temprano?',
  'necesito cancelar mi cita',
  '¿cuándo dejo de comer antes del examen?',
  'mi doctor me dijo que deje la metformina',
  'no tengo más preguntas',
  'no más dolor desde ayer',
  'quiero más información',
  '¿me pueden mandar la dirección?',
  '¿hay parada de autobús cerca?',
  'ya no tengo dolor',
  'mándenme las instrucciones por favor',
  'mi esposa me va a escribir la dirección',
  'quiero cambiar la fecha',
  'dejé mi orden en casa',
  // The appointment goes, the texts stay.
  'quiero dar de baja mi cita de la densitometria, no los mensajes',
  "Can't come, just cancel it. Don't stop the texts though, I have another appt next month",
  'quítenme de la lista de espera, ya no la necesito',
];

test('free-text revocation table: at least 95% of revocations caught, no ordinary sentence revokes', () => {
  const missed = REVOCATIONS.filter((t) => !isRevocation(t));
  const falseAlarms = ORDINARY.filter((t) => isRevocation(t));
  const caught = REVOCATIONS.length - missed.length;
  const line =
    `revocation table: ${caught}/${REVOCATIONS.length} revocations caught (${((100 * caught) / REVOCATIONS.length).toFixed(1)}%), ` +
    `${falseAlarms.length}/${ORDINARY.length} ordinary sentences misread` +
    (missed.length ? `; missed: ${JSON.stringify(missed)}` : '') +
    (falseAlarms.length ? `; misread: ${JSON.stringify(falseAlarms)}` : '');
  process.stdout.write(`${line}\n`);
  expect(REVOCATIONS.length + ORDINARY.length).toBeGreaterThanOrEqual(60);
  expect(caught / REVOCATIONS.length).toBeGreaterThanOrEqual(0.95);
  expect(falseAlarms).toEqual([]);
});

describe('revocations in more words (issue 14 tuning corpus)', () => {
  test.each([
    'Kindly discontinue the text reminders, thank you',
    'I no longer wish to receive SMS from you',
    'Please remove my number, I switched to a different imaging center',
    'BAJA',
    'cancelar mensajes',
    'ya no estoy interesada en recibir notificaciones por texto, gracias',
    'que fastidio con los textos, ya paren',
    'desuscribirme',
    'ya no quiero que me escriban, si necesito algo yo les llamo',
    'no me interesa, no vuelvan a escribir',
  ])('%p revokes consent', (text) => expect(classifyInbound(text, false).kind).toBe('opt_out'));
  test.each([
    'cancel my appt and text me back',
    'can you text me the address',
    'please remove my number from the waitlist',
    'no le entiendo al mensaje que me mandaron',
    'cancelar la cita del viernes y mandarme mensaje con otra fecha',
    'do i need to stop taking my metformin before the ct',
  ])('%p revokes nothing', (text) => expect(classifyInbound(text, false).kind).toBe('message'));
});

test("a text that names an Object property ('constructor', '__proto__', 'toString') is no keyword", () => {
  for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) expect(exactKeyword(word)).toBeNull();
});
