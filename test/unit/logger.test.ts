import { Writable } from 'node:stream';
import { createLogger } from '../../bot/logger';

test('PHI fields are censored at any of the logged depths, and error text is scrubbed', () => {
  const lines: string[] = [];
  const log = createLogger('debug', new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }));
  log.info({ patient: { givenName: 'Zephyrine', familyName: 'Quackenbush', birthDate: '1971-09-13', phone: '+15559876543' } }, 'a');
  log.info({ body: 'my name is Zephyrine', case: { phone: '+15559876543', reasonText: 'lump in left breast', memberId: 'W99' } }, 'b');
  log.error({ err: new Error('duplicate key { phone: "+15559876543", birthDate: "1971-09-13" }') }, 'c');
  const out = lines.join('');
  for (const phi of ['Zephyrine', 'Quackenbush', '1971-09-13', '5559876543', 'lump in left breast', 'W99']) expect(out).not.toContain(phi);
  expect(out).toContain('[redacted]');
  expect(out).toContain('***6543');
});
