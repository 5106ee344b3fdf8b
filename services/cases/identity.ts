import { createHash } from 'node:crypto';
import { newId } from '../ids';
import { foldAccents } from '../text';
import type { PatientRepository } from './case.ports';
import type { Patient } from './case.schema';

const wordsOf = (s: string) => foldAccents(s).split(/[^a-z]+/).filter(Boolean);

/** Particles of family names ("de la Cruz", "van Dijk"): not a name alone. */
const PARTICLES: ReadonlySet<string> = new Set(['de', 'del', 'la', 'las', 'los', 'y', 'da', 'do', 'dos', 'di', 'van', 'von', 'der', 'den', 'le', 'st']);

/**
 * Whether a name someone typed names this patient (domain.md §8: date of birth plus first or last name), by whole
 * words: the given name, any word of the family name but its particles ("Cruz" or "de la Cruz"; "Garcia" of
 * "García Márquez"), or the family name written together ("DeLaCruz"). "Li" does not name "Eli".
 */
export function namesPatient(p: Pick<Patient, 'givenName' | 'familyName'>, typed: string): boolean {
  const words = new Set(wordsOf(typed));
  const family = wordsOf(p.familyName ?? '');
  const given = wordsOf(p.givenName ?? '');
  if (family.length > 0 && words.has(family.join(''))) return true;
  if (family.some((w) => !PARTICLES.has(w) && words.has(w))) return true;
  return given.length > 0 && given.every((w) => words.has(w));
}

/** The patients on this phone whose date of birth and name match; empty means "not verified", nothing more. */
export async function verifiedPatients(patients: PatientRepository, who: { phoneHash: string; birthDate: string; name: string }): Promise<Patient[]> {
  const ids = await patients.findIdsByPhoneHash(who.phoneHash);
  if (ids.length === 0) return [];
  return (await patients.findByIds(ids)).filter((p) => p.birthDate === who.birthDate && namesPatient(p, who.name));
}

/**
 * A patient's record id: phone, birth date and family name together are one person (a phone alone is not: families
 * share phones), so parallel creates for one person make one record. A referring office's patients are its own
 * records (`scope`), so an order never links to, or shows, what another organization stored.
 */
export function patientIdFor(p: Pick<Patient, 'phoneHash' | 'birthDate' | 'familyName'>, scope: string | null = null): string {
  if (!p.phoneHash || !p.birthDate || !p.familyName) return newId('p');
  const identity = `${p.phoneHash}|${p.birthDate}|${p.familyName.toLowerCase()}${scope ? `|org:${scope}` : ''}`;
  return `p_${createHash('sha256').update(identity).digest('hex').slice(0, 24)}`;
}
