import type { Purpose } from '../consent/consent.schema';

export type Language = 'en' | 'es';

interface Template {
  /** Purposes this template may be sent for: a care template never goes out as marketing, nor the reverse. */
  purposes: readonly Purpose[];
  /** Sent whatever the consent status (HELP answers, the one opt-out confirmation). */
  consentExempt?: boolean;
  /** Counts toward the care reminder caps. */
  reminder?: boolean;
}

export const TEMPLATES = {
  reply: { purposes: ['care'] },
  help: { purposes: ['care'], consentExempt: true },
  opt_out_confirmation: { purposes: ['care'], consentExempt: true },
  opt_in_confirmation: { purposes: ['care'] },
  reminder: { purposes: ['care'], reminder: true },
  staff_message: { purposes: ['care'] },
  order_request: { purposes: ['care'] },
  office_reminder: { purposes: ['care'] },
  office_update: { purposes: ['care'] },
  staff_alert: { purposes: ['care'] },
  office_enrolment: { purposes: ['care'] },
  waitlist_offer: { purposes: ['care'] },
  campaign: { purposes: ['marketing'] },
  nurture: { purposes: ['marketing'] },
} as const satisfies Record<string, Template>;
export type TemplateId = keyof typeof TEMPLATES;

export function templateInfo(id: string): Template | null {
  return (TEMPLATES as Record<string, Template>)[id] ?? null;
}

/** A US number as people write it, (512) 555-0100; other numbers as given. */
export function phoneText(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}
