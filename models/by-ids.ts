import type { Connection } from 'mongoose';

const CHUNK = 20_000;

/**
 * Documents by `_id`, many at once: `$in` in large chunks. MongoDB answers each from the `_id` index; the embedded
 * FerretDB/SQLite scans the collection once per query (it has no index to use), so few large queries beat many small.
 */
export async function findManyByIds(conn: Connection, collection: string, ids: string[], projection: Record<string, 1>): Promise<Array<Record<string, unknown> & { _id: string }>> {
  const out: Array<Record<string, unknown> & { _id: string }> = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await conn.collection(collection).find({ _id: { $in: ids.slice(i, i + CHUNK) } } as never, { projection, batchSize: 5_000 }).toArray();
    for (const r of rows) out.push(r as unknown as Record<string, unknown> & { _id: string });
  }
  return out;
}
