import path from 'node:path';
import { DEFAULT_SITE_CONFIG, loadSiteConfig } from '../../bot/config';
import type { SiteConfig } from '../../services/config/site.schema';

/** Test data without the app: the fast in-memory tests import this without loading the database or HTTP stack. */
export const ROOT = path.resolve(__dirname, '..', '..');

export function exampleSite(): SiteConfig {
  const r = loadSiteConfig(DEFAULT_SITE_CONFIG, ROOT);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A complete fax order as interfaces.md shows it. */
export function completeOrder(overrides: Record<string, unknown> = {}) {
  return {
    source: 'fax',
    patient: { givenName: 'Ana', familyName: 'Lopez', birthDate: '1980-04-02', phone: '+15551234567', language: 'es' },
    order: {
      modality: 'mri',
      bodyPart: 'lumbar spine',
      laterality: null,
      contrast: 'without',
      priority: 'routine',
      reasonCodes: ['M54.50'],
      reasonText: 'low back pain 8 weeks',
      requester: { name: 'Dr. Maya Patel', npi: '1234567893', phone: '+15557654321' },
      insurance: { payer: 'Aetna', memberId: 'W123456789' },
    },
    ...overrides,
  };
}
