/** Prep by study, not by substring: every study the example site can book gets instructions that agree with each other. */
import { SiteConfig } from '../../services/config/site.schema';
import { Contrast, usesContrast } from '../../services/exams/modality.catalog';
import { prepMessage, readinessStopAt } from '../../services/scheduling/prep';
import { fastingHours, type Study } from '../../services/scheduling/study';
import { BODY_PARTS } from '../../services/understanding/lexicon';
import { exampleSite } from '../support/fixtures';

const site = exampleSite();
const modalities = [...new Set(site.scanners.map((s) => s.modality))];

/** What two instructions of one message must never both say. */
function contradictions(text: string): string[] {
  const found: string[] = [];
  const arrivals = new Set([...text.matchAll(/arrive (\d+) minutes/gi)].map((m) => m[1]));
  if (arrivals.size > 1) found.push(`two arrival times (${[...arrivals].join(', ')} minutes)`);
  if (/nothing to eat or drink/i.test(text) && /\bdrink about \d+ oz/i.test(text)) found.push('no drinking and drinking water');
  if (/eat and take your medicines as normal/i.test(text) && /(do not eat|nothing to eat)/i.test(text)) found.push('eat as normal and fasting');
  return found;
}

test('no study of the site gets contradicting prep (every modality it scans, every body part, every contrast)', () => {
  const bad: string[] = [];
  for (const modality of modalities) {
    const contrasts = usesContrast(modality) ? [null, ...Contrast.options] : [null];
    for (const bodyPart of [null, ...BODY_PARTS, 'abdomen and pelvis', 'RUQ gallbladder', 'renal and bladder']) {
      for (const contrast of contrasts) {
        const study: Study = { modality, bodyPart, contrast };
        const text = prepMessage(site, study, 'en');
        for (const c of contradictions(text)) bad.push(`${modality} ${bodyPart ?? '-'} ${contrast ?? '-'}: ${c}`);
        expect(prepMessage(site, study, 'es').length).toBeGreaterThan(0);
      }
    }
  }
  expect(bad).toEqual([]);
});

test('a gallbladder ultrasound is a fasting study, never a full-bladder one; a bladder or pelvic one the reverse', () => {
  const gallbladder = prepMessage(site, { modality: 'ultrasound', bodyPart: 'gallbladder', contrast: null }, 'en');
  expect(gallbladder).toMatch(/Nothing to eat or drink for 8 hours/);
  expect(gallbladder).not.toMatch(/32 oz|restroom/);
  expect(fastingHours(site, { modality: 'ultrasound', bodyPart: 'gall bladder', contrast: null })).toBe(8);
  const pelvis = prepMessage(site, { modality: 'ultrasound', bodyPart: 'pelvis', contrast: null }, 'en');
  expect(pelvis).toMatch(/Drink about 32 oz of water/);
  expect(pelvis).not.toMatch(/Nothing to eat/);
  expect(readinessStopAt(site, { modality: 'ultrasound', bodyPart: 'bladder', contrast: null }, new Date('2026-12-07T15:00:00Z'))).toBeNull();
  // Both parts: the combined entry alone (fast, then a full bladder), not the two that disagree.
  const both = prepMessage(site, { modality: 'ultrasound', bodyPart: 'abdomen and pelvis', contrast: null }, 'en');
  expect(both).toMatch(/Nothing to eat for 8 hours before your ultrasound\. Then, for your bladder to be full, drink about 32 oz/);
  expect(both).not.toMatch(/Nothing to eat or drink/);
});

test('one arrival time: the longest that applies (a CT of the abdomen with oral contrast: 60 minutes, not 15 as well)', () => {
  const ct = prepMessage(site, { modality: 'ct', bodyPart: 'abdomen', contrast: 'with' }, 'en');
  expect(ct.match(/arrive \d+ minutes/gi)).toEqual(['arrive 60 minutes']);
  expect(prepMessage(site, { modality: 'ct', bodyPart: 'abdomen', contrast: 'with' }, 'es')).toMatch(/Llegue 60 minutos antes\.$/);
  expect(prepMessage(site, { modality: 'mri', bodyPart: 'knee', contrast: null }, 'en')).toMatch(/Please arrive 15 minutes early\.$/);
});

test('a prep entry names body parts by their canonical names, or the config is refused saying which are allowed', () => {
  const raw = JSON.parse(JSON.stringify(site)) as { prep: Array<Record<string, unknown>> };
  raw.prep.push({ id: 'bad', modality: 'ultrasound', bodyParts: ['belly'], text: { en: 'x', es: 'x' } });
  const r = SiteConfig.safeParse(raw);
  expect(r.success).toBe(false);
  expect(r.error?.issues[0]).toMatchObject({ path: ['prep', raw.prep.length - 1, 'bodyParts', 0], message: expect.stringMatching(/^'belly' is not a body part name; use one of: .*abdomen.*gallbladder/) });
});
