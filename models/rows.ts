import type { z } from 'zod';

export type Row = Record<string, unknown> & { _id: string };

/** Domain objects carry `id`; documents carry `_id`. Rows are zod-validated on the way out of the database. */
export function rowCodec<T extends { id: string }>(schema: z.ZodType<T, z.ZodTypeDef, unknown>) {
  return {
    fromRow: ({ _id, ...rest }: Row): T => schema.parse({ id: _id, ...rest }),
    toRow: ({ id, ...rest }: T): Row => ({ _id: id, ...rest }),
  };
}
