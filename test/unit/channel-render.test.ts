import { renderContent } from '../../bot/render/channel-render';
import { OutboundContent, pickChoice, plainText } from '../../services/conversations/outbound-content';

const menu = OutboundContent.parse({
  text: 'How can we help?',
  choices: [
    { value: 'patient', title: "I'm a patient" },
    { value: 'human', title: 'Talk to a person' },
  ],
  smsFooter: 'Reply with a number. HELP for help, STOP to opt out.',
});

const appointment = OutboundContent.parse({
  text: 'Your appointment is booked.',
  summary: {
    title: 'MRI lumbar spine without contrast',
    facts: [
      { label: 'When', value: 'Tue Dec 1, 9:00 AM' },
      { label: 'Where', value: 'Bluebonnet Imaging, 1200 Congress Ave' },
    ],
  },
});

describe('one prompt, rendered per channel', () => {
  test('SMS: plain text with numbered choices and the footer', () => {
    expect(renderContent('sms', menu)).toEqual({
      type: 'message',
      text: "How can we help?\n1. I'm a patient\n2. Talk to a person\nReply with a number. HELP for help, STOP to opt out.",
    });
  });

  test('Web Chat: the choices as numbered lines in the text (readable after a pick) and as suggested actions that send their titles; no SMS footer', () => {
    const a = renderContent('webchat', menu);
    expect(a.text).toBe("How can we help?\n1. I'm a patient\n2. Talk to a person");
    expect(a.text).not.toMatch(/reply|number|STOP/i);
    expect(a.suggestedActions?.actions).toEqual([
      { type: 'imBack', title: "I'm a patient", value: "I'm a patient" },
      { type: 'imBack', title: 'Talk to a person', value: 'Talk to a person' },
    ]);
    expect(a.attachments).toEqual([]);
    expect(a).not.toHaveProperty('locale');
  });

  test('Web Chat without choices: the text alone, no suggested actions', () => {
    const a = renderContent('webchat', OutboundContent.parse({ text: 'Thank you.' }));
    expect(a.text).toBe('Thank you.');
    expect(a).not.toHaveProperty('suggestedActions');
  });

  test('a staff member writing on Web Chat: their name in bold before the text, then the numbered choices', () => {
    const a = renderContent('webchat', OutboundContent.parse({ ...menu, staffName: 'Rosa *M*' }));
    expect(a.text).toBe("**Rosa M** (staff): How can we help?\n1. I'm a patient\n2. Talk to a person");
    expect(a.channelData).toEqual({ staffName: 'Rosa *M*' });
  });

  test('Teams: a hero card with a button per choice', () => {
    const a = renderContent('msteams', menu);
    expect(a.text).toBeUndefined();
    expect(a.suggestedActions).toBeUndefined();
    expect(a.attachments).toHaveLength(1);
    expect(a.attachments![0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.hero',
      content: { text: 'How can we help?', buttons: [{ type: 'imBack', title: "I'm a patient" }, { type: 'imBack', title: 'Talk to a person' }] },
    });
  });

  test.each(['msteams', 'webchat'])('%s: a summary is an Adaptive Card with a fact set and a plain-text fallback', (channel) => {
    const a = renderContent(channel, appointment);
    expect(a.text).toBe('Your appointment is booked.');
    const card = a.attachments![0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({
      type: 'AdaptiveCard',
      fallbackText: 'MRI lumbar spine without contrast\nWhen: Tue Dec 1, 9:00 AM\nWhere: Bluebonnet Imaging, 1200 Congress Ave',
      body: [
        { type: 'TextBlock', text: 'MRI lumbar spine without contrast' },
        { type: 'FactSet', facts: [{ title: 'When', value: 'Tue Dec 1, 9:00 AM' }, { title: 'Where', value: 'Bluebonnet Imaging, 1200 Congress Ave' }] },
      ],
    });
  });

  test('Teams with a summary and choices: the summary card first, then the card with the buttons', () => {
    const both = OutboundContent.parse({ ...appointment, choices: menu.choices });
    const a = renderContent('msteams', both);
    expect(a.attachments!.map((x) => x.contentType)).toEqual(['application/vnd.microsoft.card.adaptive', 'application/vnd.microsoft.card.hero']);
    expect(a.attachments![1]!.content.text).toBe('Your appointment is booked.');
  });

  test('SMS: a summary as lines of text', () => {
    expect(renderContent('sms', appointment).text).toBe(plainText(appointment));
    expect(plainText(appointment)).toBe(
      'Your appointment is booked.\nMRI lumbar spine without contrast\nWhen: Tue Dec 1, 9:00 AM\nWhere: Bluebonnet Imaging, 1200 Congress Ave',
    );
  });
});

const booked = OutboundContent.parse({
  text: "You're booked.",
  summary: {
    title: 'Your appointment',
    facts: [
      { label: 'When', value: 'Tue Dec 1, 9:00 AM' },
      { label: 'Where', value: 'Bluebonnet Imaging, 1200 Congress Ave' },
      { label: 'Exam', value: 'MRI lumbar spine without contrast' },
    ],
    actions: [
      { value: 'C', title: 'Confirm' },
      { value: 'R', title: 'Reschedule' },
      { value: 'X', title: 'Cancel' },
    ],
  },
});

describe('a summary with actions (the booking: Confirm, Reschedule, Cancel)', () => {
  test('actions are optional: a summary without them parses as before and its card has no actions', () => {
    expect(appointment.summary).not.toHaveProperty('actions');
    expect(renderContent('webchat', appointment).attachments![0]!.content).not.toHaveProperty('actions');
  });

  test('Web Chat: buttons inside the summary card whose string data Web Chat sends as the message text (C, R, X)', () => {
    const a = renderContent('webchat', booked);
    expect(a.text).toBe("You're booked.");
    expect(a.attachments).toHaveLength(1);
    expect(a.attachments![0]!.content).toMatchObject({
      body: [{ type: 'TextBlock', text: 'Your appointment' }, { type: 'FactSet', facts: [{ title: 'When' }, { title: 'Where' }, { title: 'Exam' }] }],
      actions: [
        { type: 'Action.Submit', title: 'Confirm', data: 'C' },
        { type: 'Action.Submit', title: 'Reschedule', data: 'R' },
        { type: 'Action.Submit', title: 'Cancel', data: 'X' },
      ],
      fallbackText: expect.stringMatching(/\nC = Confirm, R = Reschedule, X = Cancel$/),
    });
    expect(a).not.toHaveProperty('suggestedActions');
  });

  test('Teams: the same buttons as Teams imBack submits, which arrive as the text C, R or X', () => {
    const a = renderContent('msteams', booked);
    expect(a.text).toBe("You're booked.");
    expect(a.attachments![0]!.content.actions).toEqual([
      { type: 'Action.Submit', title: 'Confirm', data: { msteams: { type: 'imBack', value: 'C' } } },
      { type: 'Action.Submit', title: 'Reschedule', data: { msteams: { type: 'imBack', value: 'R' } } },
      { type: 'Action.Submit', title: 'Cancel', data: { msteams: { type: 'imBack', value: 'X' } } },
    ]);
  });

  test('SMS: the summary as lines and the actions as one line of what to type', () => {
    expect(renderContent('sms', booked)).toEqual({
      type: 'message',
      text: "You're booked.\nYour appointment\nWhen: Tue Dec 1, 9:00 AM\nWhere: Bluebonnet Imaging, 1200 Congress Ave\nExam: MRI lumbar spine without contrast\nC = Confirm, R = Reschedule, X = Cancel",
    });
  });

  test('an action needs a value and a title; at most five', () => {
    const summary = (actions: unknown[]) => OutboundContent.safeParse({ text: 'x', summary: { title: 't', facts: [], actions } }).success;
    expect(summary([{ value: 'C', title: 'Confirm' }])).toBe(true);
    expect(summary([{ value: '', title: 'Confirm' }])).toBe(false);
    expect(summary([{ value: 'C' }])).toBe(false);
    expect(summary(Array.from({ length: 6 }, (_, i) => ({ value: String(i), title: `t${i}` })))).toBe(false);
  });
});

describe('the conversation language: renderContent(channel, content, lang) sets the locale of the activity', () => {
  test.each([
    ['webchat', 'es', 'es-US'],
    ['webchat', 'en', 'en-US'],
    ['msteams', 'es', 'es-US'],
    ['sms', 'es', 'es-US'],
  ] as const)('%s in %s → %s, the rest unchanged', (channel, lang, locale) => {
    for (const c of [menu, appointment, booked]) {
      const a = renderContent(channel, c, lang);
      expect(a.locale).toBe(locale);
      expect(a).toEqual({ ...renderContent(channel, c), locale });
    }
  });

  test('without a language no locale is set (the SMS text is exactly as before)', () => {
    for (const channel of ['sms', 'webchat', 'msteams']) expect(renderContent(channel, menu)).not.toHaveProperty('locale');
    expect(renderContent('sms', menu).text).toBe(plainText(menu));
  });
});

describe('pickChoice: the number SMS shows or the title a button sends', () => {
  test.each([
    ['1', 0],
    [' 2 ', 1],
    ["I'm a patient", 0],
    ['I’m a patient', 0], // a phone's typographic apostrophe
    ['talk to a person.', 1],
    ['patient', 0], // the choice's value
    ['3', null],
    ['0', null],
    ['I am not sure', null],
  ])('%j → %p', (text, expected) => {
    expect(pickChoice(text, menu.choices)).toBe(expected);
  });
});

test('a form renders as an Adaptive Card of inputs with one submit naming the form (Teams and Web Chat)', () => {
  const content = OutboundContent.parse({
    text: 'Fill in the order form.',
    form: { id: 'order', title: 'Imaging order', submit: 'Review the order', fields: [{ id: 'patient_name', label: "Patient's full name", value: 'Ana Lopez' }, { id: 'priority', label: 'Priority', choices: [{ value: 'routine', title: 'Routine' }, { value: 'stat', title: 'Stat' }] }] },
  });
  for (const channel of ['msteams', 'webchat']) {
    const a = renderContent(channel, content);
    expect(a.text).toBe('Fill in the order form.');
    const card = a.attachments!.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')!.content as { body: unknown[]; actions: unknown[] };
    expect(card.body).toEqual([
      expect.objectContaining({ type: 'TextBlock', text: 'Imaging order' }),
      { type: 'Input.Text', id: 'patient_name', label: "Patient's full name", value: 'Ana Lopez' },
      { type: 'Input.ChoiceSet', id: 'priority', label: 'Priority', style: 'compact', choices: [{ title: 'Routine', value: 'routine' }, { title: 'Stat', value: 'stat' }] },
    ]);
    expect(card.actions).toEqual([{ type: 'Action.Submit', title: 'Review the order', data: { form: 'order' } }]);
  }
});
