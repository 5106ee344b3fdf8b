import type { Connection } from 'mongoose';
import { connectMongo, reviveStuckMonitor } from '../../models/db';
import { testMongoUri, uniqueDbName } from '../support/test-app';

// The driver's hung heartbeat is a race on a server restart; here a heartbeat that starts and never ends is played
// on the real client's own event, and the watchdog must replace the client's connections while models keep working.
let conn: Connection;
beforeAll(async () => {
  conn = await connectMongo(testMongoUri(), uniqueDbName('monitor'));
});
afterAll(async () => {
  await conn.db?.dropDatabase();
  await conn.close();
});

test('a heartbeat pending past its limit reconnects the client; /readyz meanwhile counts it down; the same collection works after', async () => {
  const coll = conn.collection('things');
  await coll.insertOne({ _id: 'a' as never, n: 1 });
  const revived: Array<[unknown, boolean]> = [];
  const watchdog = reviveStuckMonitor(conn, { stuckMs: 300, everyMs: 100, onRevive: (e) => revived.push([e, watchdog.reviving()]) });
  const closed = new Promise((r) => conn.getClient().once('topologyClosed', r));
  try {
    expect(watchdog.reviving()).toBe(false);
    conn.getClient().emit('serverHeartbeatStarted', { connectionId: 'stuck:1' } as never);
    expect(watchdog.reviving()).toBe(false); // pending, not yet past its limit
    await closed; // the old topology, with its hung monitor, is gone
    for (let i = 0; i < 100 && watchdog.reviving(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(watchdog.reviving()).toBe(false);
    expect(revived).toEqual([[null, true]]); // one reconnect, counted down while it ran, and it worked at once
    expect(await coll.findOne({ _id: 'a' as never })).toMatchObject({ n: 1 });
  } finally {
    watchdog.stop();
  }
});

test('heartbeats that end are never taken for stuck', async () => {
  const revived: unknown[] = [];
  const watchdog = reviveStuckMonitor(conn, { stuckMs: 300, everyMs: 100, onRevive: (e) => revived.push(e) });
  try {
    await new Promise((r) => setTimeout(r, 2_500)); // the driver's own heartbeats (every 2 s) start and succeed
    expect(revived).toEqual([]);
    expect(watchdog.reviving()).toBe(false);
  } finally {
    watchdog.stop();
  }
});
