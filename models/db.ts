import mongoose, { type Connection } from 'mongoose';

/** Mongoose's own buffering would hide an outage behind slow requests; fail fast and let /readyz say so. */
export async function connectMongo(uri: string, dbName: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    heartbeatFrequencyMS: 2_000,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
  });
  await conn.asPromise();
  return conn;
}

/** true when the server answers a ping within the deadline. */
export async function pingMongo(conn: Connection, timeoutMs = 1_500): Promise<boolean> {
  const db = conn.db;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.command({ ping: 1 }).then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}

/** The database named in the URI's path, else ours. */
export function dbNameFrom(uri: string): string {
  return /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?/]+)/.exec(uri)?.[1] ?? 'imaging_intake';
}

/**
 * An upsert that survives a race on a new key: two first writes both try to insert, the loser hits the unique _id
 * (MongoDB does this too), and its retry finds the document and updates it.
 */
export async function upsertById(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    await write();
  }
}
