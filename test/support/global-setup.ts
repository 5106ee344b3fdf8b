import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFerretDb, resolveRedis, startFerretDb, throwawayPostgres, type ServiceHandle } from '../../scripts/local-infra';

/**
 * One throwaway FerretDB (temporary directory, free port; on a throwaway PostgreSQL database when the machine has a
 * PostgreSQL server, else SQLite) for the whole run; each test file uses its own database.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'intake-test-'));
  const handles: ServiceHandle[] = [];
  if (!process.env.TEST_MONGODB_URI) {
    const bin = await ensureFerretDb(log);
    if (!bin) throw new Error('Tests need a MongoDB-compatible server: install Go (to build FerretDB) or set TEST_MONGODB_URI');
    // On a machine with PostgreSQL (the CI kind has one) FerretDB stores there: many times faster on bulk tests.
    const pg = process.env.TEST_FERRETDB_SQLITE ? null : throwawayPostgres(log);
    if (pg) handles.push(pg);
    const ferret = await startFerretDb(bin, path.join(dir, 'ferretdb'), undefined, pg ? { postgresUrl: pg.pgUrl } : {});
    log(ferret.description);
    handles.push(ferret);
    process.env.TEST_MONGODB_URI = ferret.url;
  }
  const redis = await resolveRedis({ ...(process.env.REDIS_URL ? { url: process.env.REDIS_URL } : {}), dataDir: dir, log });
  handles.push(redis);
  process.env.TEST_REDIS_URL = redis.url;
  process.env.TEST_TMP_DIR = dir;
  (globalThis as { __TEST_INFRA__?: { dir: string; handles: ServiceHandle[] } }).__TEST_INFRA__ = { dir, handles };
}
