import { foldAccents } from '../text';
import type { PatientRepository } from './case.ports';
import type { Patient } from './case.schema';

const letters = (s: string) => foldAccents(s).replace(/[^a-z]/g, '');

/**
 * Whether a name someone typed names this patient (domain.md §8: date of birth plus first or last name): any word of
 * it is the given or family name, or it ends with the family name ("Ana López" for "Lopez", "de la Cruz").
 */
export function namesPatient(p: Pick<Patient, 'givenName' | 'familyName'>, typed: string): boolean {
  const family = letters(p.familyName ?? '');
  const given = letters(p.givenName ?? '');
  const words = foldAccents(typed).split(/[^a-z]+/).filter(Boolean);
  if (family && (words.includes(family) || letters(typed).endsWith(family))) return true;
  return given !== '' && words.includes(given);
}

/** The patients on this phone whose date of birth and name match; empty means "not verified", nothing more. */
export async function verifiedPatients(patients: PatientRepository, who: { phoneHash: string; birthDate: string; name: string }): Promise<Patient[]> {
  const ids = await patients.findIdsByPhoneHash(who.phoneHash);
  if (ids.length === 0) return [];
  return (await patients.findByIds(ids)).filter((p) => p.birthDate === who.birthDate && namesPatient(p, who.name));
}
