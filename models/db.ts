import mongoose, { type Connection } from 'mongoose';

/** One command as the driver sends it: which, on which collection, with which filter (for counts, never logged). */
export interface MongoCommand {
  name: string;
  collection: string | null;
  filter: Record<string, unknown> | null;
}

function commandOf(e: { commandName: string; command: Record<string, unknown> }): MongoCommand {
  const c = e.command;
  const first = (k: string) => (Array.isArray(c[k]) ? (c[k] as Array<{ q?: Record<string, unknown> }>)[0]?.q : undefined);
  const target = c[e.commandName];
  return {
    name: e.commandName,
    collection: typeof target === 'string' ? target : null,
    filter: ((c['filter'] ?? c['query'] ?? first('updates') ?? first('deletes')) as Record<string, unknown> | undefined) ?? null,
  };
}

/** Mongoose's own buffering would hide an outage behind slow requests; fail fast and let /readyz say so. */
export async function connectMongo(uri: string, dbName: string, opts: { onCommand?: (c: MongoCommand) => void } = {}): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    ...(opts.onCommand ? { monitorCommands: true } : {}),
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    heartbeatFrequencyMS: 2_000,
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    // A second fence behind zod: an object with $-keys from outside is matched as a value; our own operators are trusted().
    sanitizeFilter: true,
  });
  await conn.asPromise();
  const onCommand = opts.onCommand;
  if (onCommand) conn.getClient().on('commandStarted', (e) => onCommand(commandOf(e)));
  return conn;
}

/**
 * The driver (mongodb 6.20) can leave a heartbeat pending forever when the server drops its connections just as the
 * heartbeat is written (seen on FerretDB restarts: started, never succeeded nor failed). Its monitor then never
 * checks again and every operation fails server selection while the server is up. A heartbeat pending far past its
 * own timeout (connectTimeoutMS) closes and connects the client again; models and collections stay bound to it.
 */
export function reviveStuckMonitor(conn: Connection, opts: { stuckMs?: number; everyMs?: number; onRevive?: (e: unknown) => void } = {}) {
  const stuckMs = opts.stuckMs ?? 15_000;
  const everyMs = opts.everyMs ?? 2_000;
  const client = conn.getClient();
  const pending = new Map<string, number>();
  client.on('serverHeartbeatStarted', (e) => pending.set(e.connectionId, Date.now()));
  const settled = (e: { connectionId: string }) => pending.delete(e.connectionId);
  client.on('serverHeartbeatSucceeded', settled);
  client.on('serverHeartbeatFailed', settled);
  let reviving: Promise<void> | null = null;
  let stopped = false;
  const stuck = () => [...pending.values()].some((at) => Date.now() - at > stuckMs);
  const revive = async () => {
    pending.clear();
    await client.close();
    // The server may really be down now: try again on the next tick (operations meanwhile fail as not connected).
    while (!stopped) {
      try {
        await client.connect();
        return;
      } catch (e) {
        opts.onRevive?.(e);
        await new Promise((r) => setTimeout(r, everyMs).unref());
      }
    }
  };
  const timer = setInterval(() => {
    if (reviving || !stuck()) return;
    opts.onRevive?.(null);
    reviving = revive().finally(() => (reviving = null));
  }, everyMs);
  timer.unref();
  return {
    /** True while a stuck monitor is being replaced: the app's own client cannot reach the server. */
    reviving: () => reviving !== null || stuck(),
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}

export type Health = 'up' | 'busy' | 'down';

/** A probe's answer, or 'busy' when it has not come within `ms`: reached but slow is not down. */
export async function healthWithin(probe: Promise<Health>, ms: number): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([probe, new Promise<Health>((resolve) => (timer = setTimeout(() => resolve('busy'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /readyz's own client (one socket), so its ping never queues behind the app's busy pool. Down is a server that
 * cannot be reached (selection fails); busy is one that is reached but slow to answer, which is no reason to take
 * the process out of the load balancer. The embedded FerretDB can take seconds under load: hence 5 s.
 */
export function createMongoProbe(uri: string, opts: { timeoutMs?: number; onError?: (e: unknown) => void } = {}) {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const connect = () => new mongoose.mongo.MongoClient(uri, { maxPoolSize: 1, serverSelectionTimeoutMS: Math.min(2_000, timeoutMs), connectTimeoutMS: 2_000, heartbeatFrequencyMS: 2_000 });
  let client = connect();
  // A client whose first connection failed stays closed ("Topology is closed"): the next check starts a new one.
  const renew = (): Health => {
    const old = client;
    client = connect();
    void old.close().catch((e: unknown) => opts.onError?.(e));
    return 'down';
  };
  return {
    check: () => healthWithin(client.db('admin').command({ ping: 1 }).then((): Health => 'up', renew), timeoutMs),
    close: () => client.close(),
  };
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
