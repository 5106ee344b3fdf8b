import { z } from 'zod';
import { usesContrast } from '../exams/modality.catalog';
import type { OrderInput, PatientInput } from './order.schema';

/** Body parts that come in pairs, so the order must say which side (domain.md §3). */
const PAIRED = /\b(knee|shoulder|hip|ankle|wrist|elbow|hand|foot|feet|finger|thumb|toe|heel|leg|arm|femur|tibia|fibula|humerus|forearm|thigh|calf|clavicle|orbit|eye|ear|breast|kidney|extremity|extremities)s?\b/i;

export function needsLaterality(bodyPart: string): boolean {
  return PAIRED.test(bodyPart);
}

/** A missing item staff or a payer asked for in their own words ("requested: UHC needs the last 6 weeks of office notes"). */
export const REQUESTED = 'requested: ';
/** What staff (or a payer, through them) ask an office for: each kind named to the office, and closed by its own answer. */
export const DocumentKind = z.enum(['clinical_notes', 'signed_order', 'prior_images_report', 'patient_phone', 'insurance', 'diagnosis_code', 'other']);
export type DocumentKind = z.infer<typeof DocumentKind>;
const KIND_LABEL: Record<Exclude<DocumentKind, 'other'>, string> = {
  clinical_notes: 'clinical notes',
  signed_order: 'a signed order',
  prior_images_report: 'the prior images report',
  patient_phone: "the patient's mobile number",
  insurance: 'insurance details',
  diagnosis_code: 'a diagnosis code',
};

/** The missing item for a request, by name and in staff's words: "requested: a signed order: UHC needs it signed". */
export function requestedItem(kind: DocumentKind, reason: string): string {
  return `${REQUESTED}${kind === 'other' ? '' : `${KIND_LABEL[kind]}: `}${reason}`.slice(0, 300);
}

/** The kind of a requested item (an item in staff's words alone is `other`: notes or a file answer it). */
export function requestedKind(item: string): DocumentKind {
  const rest = item.slice(REQUESTED.length);
  return (Object.entries(KIND_LABEL) as Array<[DocumentKind, string]>).find(([, label]) => rest.startsWith(`${label}: `))?.[0] ?? 'other';
}

/** Whether what the office sent answers a requested item of this kind (each item closes on its own answer). */
export function answersRequest(kind: DocumentKind, sent: { note: boolean; phone: boolean; insurance: boolean; codes: boolean }): boolean {
  if (kind === 'patient_phone') return sent.phone;
  if (kind === 'insurance') return sent.insurance;
  if (kind === 'diagnosis_code') return sent.codes;
  return sent.note;
}

/** A payer denied the study as ordered: the office sends the study it will order instead (closed by a changed exam). */
export const CHANGED_STUDY = 'a changed study (the payer denied this one)';

/**
 * The order checklist: the names of what is missing, in words a referring office reads as-is
 * ("diagnosis code or reason"). Empty means complete.
 */
export function missingItems(patient: PatientInput, order: OrderInput): string[] {
  const missing: string[] = [];
  if (!patient.givenName || !patient.familyName) missing.push('patient name');
  if (!patient.birthDate) missing.push('date of birth');
  if (!patient.phone) missing.push('phone number');
  if (!order.modality) missing.push('modality');
  if (!order.bodyPart) missing.push('body part');
  else if (needsLaterality(order.bodyPart) && !order.laterality) missing.push('laterality');
  if (order.modality && usesContrast(order.modality) && !order.contrast) missing.push('contrast');
  if (order.reasonCodes.length === 0 && !order.reasonText) missing.push('diagnosis code or reason');
  if (!order.requester?.name) missing.push('ordering provider name');
  if (!order.requester?.npi) missing.push('ordering provider NPI');
  if (!order.requester?.phone) missing.push('ordering provider callback number');
  if (!order.priority) missing.push('priority');
  if (!order.insurance) missing.push('insurance or self-pay');
  else if ('payer' in order.insurance && !order.insurance.memberId) missing.push('insurance member id');
  return missing;
}
