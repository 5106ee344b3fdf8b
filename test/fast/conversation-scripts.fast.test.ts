/** Every scripted conversation file parses against the script schema, and no id is used twice across the sets. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadScripts } from '../eval/conversation-script';

const DIR = path.join(__dirname, '..', 'fixtures', 'conversations');

test('every conversation script is well formed and its id unique', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.jsonl'));
  expect(files.length).toBeGreaterThan(0);
  const seen = new Map<string, string>();
  for (const f of files) {
    for (const s of loadScripts(path.join(DIR, f))) {
      expect(`${s.id} in ${f}, also in ${seen.get(s.id) ?? 'none'}`).toBe(`${s.id} in ${f}, also in none`);
      seen.set(s.id, f);
    }
  }
});
