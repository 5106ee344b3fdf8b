import { readFileSync } from 'node:fs';
import path from 'node:path';
import { codeTable, type DiagnosisCodes } from '../../services/orders/diagnosis-codes';
import { repoRoot } from '../../scripts/local-infra';

let table: DiagnosisCodes | undefined;

/** The shipped ICD-10-CM table (data/icd10cm/billable-codes.txt; its source in SOURCE.md), read once per process. */
export function shippedDiagnosisCodes(): DiagnosisCodes {
  return (table ??= codeTable(readFileSync(path.join(repoRoot(), 'data/icd10cm/billable-codes.txt'), 'utf8').split('\n')));
}
