import { shippedDiagnosisCodes } from '../../bot/integrations/icd10.table';
import { codeRefusal, codeTable } from '../../services/orders/diagnosis-codes';

const shipped = shippedDiagnosisCodes();

test('the shipped CMS FY2025 table: billable codes pass; M54.5 (a header since FY2022), R05 and A00 are categories; Z99.ZZZZ is no code', () => {
  for (const code of ['M54.50', 'M54.59', 'R10.11', 'Z12.31', 'S72.001A', 'I10', 'C50.911', 'R05.9']) expect([code, shipped.check(code)]).toEqual([code, { kind: 'billable' }]);
  expect(shipped.check('M54.5')).toEqual({ kind: 'header', children: ['M54.50', 'M54.51', 'M54.59'] });
  expect(codeRefusal(shipped, 'M54.5')).toBe('M54.5 is a category, not a billable code: use a more specific one, e.g. M54.50, M54.51, M54.59');
  expect(shipped.check('R05')).toMatchObject({ kind: 'header' });
  expect(codeRefusal(shipped, 'Z99.ZZZZ')).toMatch(/^Z99\.ZZZZ is not an ICD-10-CM code; codes under Z99 are e\.g\. Z99\.0/);
  // Every chapter is shipped, infections too: A00 is a category, A00.1 a code.
  expect(codeRefusal(shipped, 'A00')).toBe('A00 is a category, not a billable code: use a more specific one, e.g. A00.0, A00.1, A00.9');
  expect(shipped.check('A00.1')).toEqual({ kind: 'billable' });
  // Well formed but in no category of the release (a later one's): not refused, the office is warned instead.
  expect(shipped.check('U99.9')).toEqual({ kind: 'unknown' });
  expect(codeRefusal(shipped, 'U99.9')).toBeNull();
});

test('a small table: a header lists at most three codes and says there are more', () => {
  const t = codeTable(['M5450', 'M5451', 'M5459', 'M5460', 'I10']);
  expect(codeRefusal(t, 'M54')).toBe('M54 is a category, not a billable code: use a more specific one, e.g. M54.50, M54.51, M54.59, …');
  expect(t.check('I10')).toEqual({ kind: 'billable' });
  expect(codeRefusal(undefined, 'M54')).toBeNull();
});
