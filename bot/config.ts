import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SiteConfig } from '../services/config/site.schema';
import { err, ok, type Result } from '../services/result';

export const DEFAULT_SITE_CONFIG = 'config/example-center.json';

/** Reads and validates the site configuration; a bad file is refused naming each field that is wrong. */
export function loadSiteConfig(file: string, root: string): Result<SiteConfig, 'INVALID_SITE_CONFIG'> {
  const full = path.resolve(root, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(full, 'utf8'));
  } catch (e) {
    return err('INVALID_SITE_CONFIG', `Cannot read site config ${full}: ${(e as Error).message}`);
  }
  const parsed = SiteConfig.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '')}: ${i.message}`);
    return err('INVALID_SITE_CONFIG', `Invalid site config ${full}:\n  ${lines.join('\n  ')}`, lines);
  }
  return ok(parsed.data);
}
