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

  test('Web Chat: the text with suggested actions that send their titles; no SMS footer', () => {
    const a = renderContent('webchat', menu);
    expect(a.text).toBe('How can we help?');
    expect(a.suggestedActions?.actions).toEqual([
      { type: 'imBack', title: "I'm a patient", value: "I'm a patient" },
      { type: 'imBack', title: 'Talk to a person', value: 'Talk to a person' },
    ]);
    expect(a.attachments).toEqual([]);
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
