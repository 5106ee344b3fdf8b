import { fitsWish, mergeWish, parseTimeWish } from '../../services/scheduling/time-wish';

const NOW = new Date('2026-11-30T16:00:00Z'); // Monday 10:00 in Austin
const zone = 'America/Chicago';
const wish = (text: string) => parseTimeWish(text, NOW, zone);

describe('what a person says about when they can come', () => {
  test.each([
    ['none of those work, im at work til 5', { after: 17 * 60 }],
    ['tuesday afternoon after 5 pls', { days: [2], after: 17 * 60 }],
    ["I can't make it Tuesday", { notDays: [2], days: [] }],
    ['not tuesday!!', { notDays: [2] }],
    ['thursday evening', { days: [4], after: 16 * 60 }],
    ['mornings before 10', { before: 10 * 60 }],
    ['next week', { from: '2026-12-07' }],
    ['el jueves después de las 4', { days: [4], after: 16 * 60 }],
    ['no puedo el martes', { notDays: [2] }],
    ["tuesdays don't work for me", { notDays: [2], days: [] }],
    ['friday is out, thursday ok', { notDays: [5], days: [4] }],
    ['el martes no me queda', { notDays: [2], days: [] }],
    ['cualquier día excepto el martes', { notDays: [2], days: [] }],
    ['la próxima semana en la mañana', { from: '2026-12-07', before: 12 * 60 }],
    ['En las mañanas entre semana', { days: [1, 2, 3, 4, 5], before: 12 * 60 }],
    ['Weekday mornings work best', { days: [1, 2, 3, 4, 5], before: 12 * 60 }],
    ["None of those, I drop my kids at school at 8 and can't get there before 9. Anything 9 or later?", { after: 9 * 60, before: null }],
    ['no alcanzo a llegar antes de las 10. ¿Tiene algo de las 10 en adelante?', { after: 10 * 60, before: null }],
    ['nomas los sabados, trabajo toda la semana de lunes a viernes', { days: [6], notDays: [1, 2, 3, 4, 5] }],
    ['el miercoles en la tarde, en la mañana no tengo quien me lleve', { days: [3], after: 12 * 60, before: null }],
    ['I had hoped for Tuesday afternoon; however, Wednesday afternoon would suit me better.', { days: [3], after: 12 * 60 }],
  ])('%s', (text, expected) => {
    expect(wish(text)).toMatchObject(expected);
  });

  test('nothing about when → null', () => {
    expect(wish('ok')).toBeNull();
    expect(wish('the second one')).toBeNull();
    expect(wish('La que sea más temprano de esas')).toBeNull();
  });

  test('fits: weekday, after, before with the exam length, from', () => {
    const w = wish('tuesday after 5')!;
    expect(fitsWish(w, new Date('2026-12-01T23:00:00Z'), 45, zone)).toBe(true); // Tue 17:00
    expect(fitsWish(w, new Date('2026-12-01T22:30:00Z'), 45, zone)).toBe(false); // Tue 16:30
    expect(fitsWish(w, new Date('2026-12-02T23:00:00Z'), 45, zone)).toBe(false); // Wed 17:00
    expect(fitsWish(wish('before 10')!, new Date('2026-12-01T15:30:00Z'), 45, zone)).toBe(false); // 9:30 + 45 min ends 10:15
  });

  test('a later wish adds to the earlier one', () => {
    expect(mergeWish(wish('not tuesday')!, wish('after 5')!)).toMatchObject({ notDays: [2], after: 17 * 60 });
  });
});
