import { createLogTransport } from '../../bot/integrations/log.transport';

// The development transport stands in for Twilio's message log, so a send whose outcome was never stored is found.
test('find answers for a text it sent, once, and never for one it did not send', async () => {
  const lines: string[] = [];
  const t = createLogTransport((l) => lines.push(l));
  const since = new Date();
  const sent = await t.send({ to: '+15125550101', body: 'Your MRI is booked', statusCallback: null });
  expect(lines).toEqual(['[sms to ********0101] Your MRI is booked']);
  expect(sent).toMatchObject({ ok: true, status: 'sent' });
  expect(await t.find!({ to: '+15125550101', body: 'Your MRI is booked', since })).toEqual({ sid: (sent as { sid: string }).sid, status: 'sent' });
  // One send answers for one stored message: a second stuck copy of the same text is not taken as sent.
  expect(await t.find!({ to: '+15125550101', body: 'Your MRI is booked', since })).toBeNull();
  expect(await t.find!({ to: '+15125550102', body: 'Your MRI is booked', since })).toBeNull();
  await t.send({ to: '+15125550101', body: 'Reply C to confirm', statusCallback: null });
  expect(await t.find!({ to: '+15125550101', body: 'Reply C to confirm', since: new Date(Date.now() + 120_000) })).toBeNull();
});
