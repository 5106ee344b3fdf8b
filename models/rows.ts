import type { Model } from 'mongoose';
import type { z } from 'zod';
import { isDuplicateKey } from './db';

export type Row = Record<string, unknown> & { _id: string };

/** Domain objects carry `id`; documents carry `_id`. Rows are zod-validated on the way out of the database. */
export function rowCodec<T extends { id: string }>(schema: z.ZodType<T, z.ZodTypeDef, unknown>) {
  return {
    fromRow: ({ _id, ...rest }: Row): T => schema.parse({ id: _id, ...rest }),
    toRow: ({ id, ...rest }: T): Row => ({ _id: id, ...rest }),
  };
}

/** Inserts a row; false when the database's unique index says it exists already (an idempotent retry). */
export async function insertUnique(model: Model<never>, row: Row): Promise<boolean> {
  try {
    await model.create(row);
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}
