import type { Connection } from 'mongoose';

/** Up to this many ids, one `$in` query; past it, one pass over the collection. */
const IN_QUERY_MAX = 1_000;

/**
 * Documents by `_id`, many at once. A few: `$in` (MongoDB answers from the `_id` index). Many: one streaming pass
 * over the collection, kept by a Set: the embedded FerretDB/SQLite has no index to use and compares each document
 * with every `$in` value, so 100,000 ids that way cost ids × documents; a pass costs documents.
 */
export async function findManyByIds(conn: Connection, collection: string, ids: string[], projection: Record<string, 1>): Promise<Array<Record<string, unknown> & { _id: string }>> {
  type Doc = Record<string, unknown> & { _id: string };
  const coll = conn.collection(collection);
  if (ids.length <= IN_QUERY_MAX) return (await coll.find({ _id: { $in: ids } } as never, { projection }).toArray()) as unknown as Doc[];
  const wanted = new Set(ids);
  const out: Doc[] = [];
  for await (const r of coll.find({}, { projection, batchSize: 5_000 })) if (wanted.has(String(r._id))) out.push(r as unknown as Doc);
  return out;
}
