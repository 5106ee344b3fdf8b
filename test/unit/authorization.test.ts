import { authorizationAfter, covers, deniedItem, lapsed, pendingAuthorization } from '../../services/cases/authorization';
import { CHANGED_STUDY } from '../../services/orders/order.completeness';

const NOW = new Date('2026-11-30T16:00:00Z');
const TODAY = '2026-11-30';
const pending = pendingAuthorization('Aetna', NOW);

describe('authorization as a record (issue 15 §3)', () => {
  test('an approval keeps its number, dates and units; a denial its reason and next step; an expiry only its status', () => {
    const approved = authorizationAfter('approve_authorization', pending, { data: { authorizationNumber: 'A-55120', validFrom: '2026-12-01', validTo: '2026-12-31', units: 1 }, payer: 'Aetna' }, NOW, TODAY);
    expect(approved).toEqual({ ok: true, value: { record: { ...pending, status: 'approved', number: 'A-55120', validFrom: '2026-12-01', validTo: '2026-12-31', units: 1 } } });
    const denied = authorizationAfter('deny_authorization', pending, { reason: ' not medically necessary ', data: { nextStep: 'peer_to_peer' }, payer: 'Aetna' }, NOW, TODAY);
    expect(denied).toEqual({ ok: true, value: { record: { ...pending, status: 'denied', denialReason: 'not medically necessary', nextStep: 'peer_to_peer' }, to: 'pending_authorization' } });
    // No next step named: more documentation, the usual answer to a denial.
    expect(authorizationAfter('deny_authorization', pending, { reason: 'x', payer: 'Aetna' }, NOW, TODAY)).toMatchObject({ ok: true, value: { to: 'awaiting_documentation', record: { nextStep: 'documentation' } } });
    expect(authorizationAfter('deny_authorization', pending, { reason: 'x', data: { nextStep: 'cancel' }, payer: 'Aetna' }, NOW, TODAY)).toMatchObject({ ok: true, value: { to: 'cancelled' } });
    expect(authorizationAfter('expire_authorization', approved.ok ? approved.value!.record : null, { payer: 'Aetna' }, NOW, TODAY)).toMatchObject({ ok: true, value: { record: { status: 'expired', number: 'A-55120' } } });
    // A new request starts clean; other events leave the record alone.
    expect(authorizationAfter('reauthorize', { ...pending, status: 'expired', number: 'A-1' }, { payer: 'Aetna' }, NOW, TODAY)).toEqual({ ok: true, value: { record: pending } });
    expect(authorizationAfter('book', pending, { payer: 'Aetna' }, NOW, TODAY)).toEqual({ ok: true, value: null });
  });

  test.each([
    [{ validFrom: '2026-12-31', validTo: '2026-12-01' }, 'data.validTo: validTo is before validFrom'],
    [{ validTo: '2026-11-29' }, 'data.validTo: this approval ended on 2026-11-29'],
    [{ validTo: '2026-02-30' }, 'data.validTo: is not a real date'],
    [{ validFrom: '12/01/2026' }, 'data.validFrom: must be a date as YYYY-MM-DD'],
    [{ units: 0 }, 'data.units:'],
    [{ authorizationNumber: 'A 1; drop' }, 'data.authorizationNumber: letters, digits and . / - only'],
  ])('approval data %j is refused, naming the field', (data, message) => {
    const r = authorizationAfter('approve_authorization', pending, { data, payer: 'Aetna' }, NOW, TODAY);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining(message) } });
  });

  test('a denial with a next step we do not know is refused', () => {
    expect(authorizationAfter('deny_authorization', pending, { reason: 'x', data: { nextStep: 'appeal' }, payer: 'Aetna' }, NOW, TODAY)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^data\.nextStep/) } });
  });

  test('approved dates cover the visit day, inclusive; an approval without dates covers any day; lapsed after its last day', () => {
    const a = { ...pending, status: 'approved' as const, validFrom: '2026-12-01', validTo: '2026-12-04' };
    expect(['2026-11-30', '2026-12-01', '2026-12-04', '2026-12-05'].map((d) => covers(a, d))).toEqual([false, true, true, false]);
    expect(covers({ ...a, validFrom: null, validTo: null }, '2030-01-01')).toBe(true);
    expect(covers(pending, '2030-01-01')).toBe(true); // pending: the booking is held, not refused
    expect([lapsed(a, '2026-12-04'), lapsed(a, '2026-12-05'), lapsed({ ...a, validTo: null }, '2030-01-01'), lapsed(null, TODAY)]).toEqual([false, true, false, false]);
  });

  test('what the office is asked for after a denial', () => {
    expect(deniedItem('documentation', 'conservative therapy not documented')).toBe('requested: what the payer needs to approve it (denied: conservative therapy not documented)');
    expect(deniedItem('changed_study', 'x')).toBe(CHANGED_STUDY);
    expect([deniedItem('peer_to_peer', 'x'), deniedItem('cancel', 'x')]).toEqual([null, null]);
  });
});
