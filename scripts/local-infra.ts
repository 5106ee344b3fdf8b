/**
 * Embedded defaults (architecture §4): find or start a MongoDB-compatible server and Redis, so `npm start` and
 * `npm test` work on a machine with only Node.js (and Go for the one-time FerretDB build).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const FERRETDB_VERSION = 'v1.24.2';
const FERRETDB_POOL = 4;

export interface ServiceHandle {
  url: string;
  /** One line for the start-up banner: what is used and where it came from. */
  description: string;
  stop(): Promise<void>;
}

type Log = (line: string) => void;

export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (package.json)');
    dir = up;
  }
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function onPath(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.setTimeout(500);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, what: string, logFile: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
      throw new Error(`${what} exited with code ${child.exitCode} during start-up. Last lines of ${logFile}:\n${tail}`);
    }
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} did not listen on port ${port} within ${timeoutMs / 1000}s (log: ${logFile})`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function isFerretDb(bin: string): boolean {
  if (!existsSync(bin)) return false;
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return v.status === 0 && v.stdout.includes(FERRETDB_VERSION);
}

/** Built binaries are also kept per user, so a fresh clone on the same machine does not build again. */
function userCacheBin(): string {
  const base = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'imaging-intake-bot', `ferretdb-${FERRETDB_VERSION}`);
}

/** The FerretDB binary under .tools/bin, building it from the Go module proxy the first time. */
export async function ensureFerretDb(log: Log): Promise<string | null> {
  const root = repoRoot();
  const bin = path.join(root, '.tools', 'bin', 'ferretdb');
  if (isFerretDb(bin)) return bin;
  const cached = userCacheBin();
  if (isFerretDb(cached)) {
    mkdirSync(path.dirname(bin), { recursive: true });
    copyFileSync(cached, `${bin}.tmp`);
    chmodSync(`${bin}.tmp`, 0o755);
    renameSync(`${bin}.tmp`, bin);
    log(`FerretDB ${FERRETDB_VERSION}: copied the build cached in ${path.dirname(cached)}`);
    return bin;
  }
  const go = onPath('go');
  if (!go) return null;

  log(`Building FerretDB ${FERRETDB_VERSION} into .tools/bin with Go (one time; about 1-3 minutes)...`);
  const started = Date.now();
  const ticker = setInterval(() => log(`  still building FerretDB... ${Math.round((Date.now() - started) / 1000)}s`), 15_000);
  try {
    await buildFerretDb(go, bin);
  } finally {
    clearInterval(ticker);
  }
  log(`FerretDB built in ${Math.round((Date.now() - started) / 1000)}s: ${path.relative(root, bin)}`);
  try {
    mkdirSync(path.dirname(cached), { recursive: true });
    copyFileSync(bin, cached);
  } catch (e) {
    log(`(could not keep a copy in ${path.dirname(cached)}: ${(e as Error).message})`);
  }
  return bin;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (errText += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${errText.slice(-4000)}`)),
    );
  });
}

/**
 * `go install .../cmd/ferretdb@v1.24.2` builds a binary that panics at start: the module ships an empty
 * build/version/version.txt (its release tooling generates it). So we fetch the same module through the proxy,
 * write that one file in a scratch copy, and build the unchanged command from there.
 */
async function buildFerretDb(go: string, bin: string): Promise<void> {
  const info = JSON.parse(await run(go, ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`])) as { Dir?: string };
  if (!info.Dir) throw new Error('go mod download did not report a module directory for FerretDB');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ferretdb-src-'));
  try {
    cpSync(info.Dir, scratch, { recursive: true });
    chmodSync(path.join(scratch, 'build', 'version'), 0o755);
    writeFileSync(path.join(scratch, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    mkdirSync(path.dirname(bin), { recursive: true });
    const tmpBin = `${bin}.${process.pid}.tmp`;
    await run(go, ['build', '-trimpath', '-o', tmpBin, './cmd/ferretdb'], {
      cwd: scratch,
      env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    });
    renameSync(tmpBin, bin); // atomic: a concurrent reader sees the old file or the whole new one
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface FerretDbInstance extends ServiceHandle {
  port: number;
  dataDir: string;
  /** Start again on the same port and data (tests of outages use this). */
  start(): Promise<void>;
}

/**
 * A throwaway database on a PostgreSQL server for FerretDB's `postgresql` handler (tests only), or null when none is
 * reachable with `psql`. FerretDB on PostgreSQL filters and counts in SQL with real indexes, where on SQLite it reads
 * and filters every document in Go: on a 2,000-document collection a filtered count takes about 6 ms there against
 * 300 ms on SQLite (measured on the CI machine kind), which is what bulk tests spend their time on.
 */
export function throwawayPostgres(log: Log, serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'): (ServiceHandle & { pgUrl: string }) | null {
  if (!onPath('psql')) return null;
  const psql = (sql: string) => spawnSync('psql', [serverUrl, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8', timeout: 10_000 });
  const name = `intake_test_${process.pid}_${Date.now().toString(36)}`;
  const created = psql(`CREATE DATABASE ${name}`);
  if (created.status !== 0) {
    log(`PostgreSQL not usable for tests (${(created.stderr || created.error?.message || '').trim().split('\n')[0]}); FerretDB stores in SQLite`);
    return null;
  }
  const pgUrl = serverUrl.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  return {
    url: pgUrl,
    pgUrl,
    description: `PostgreSQL database ${name} (dropped at the end)`,
    stop: () => {
      psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return Promise.resolve();
    },
  };
}

const ID_INDEX_SUFFIX = '_iib_id_path';
/** How often the embedded database's new collections are looked for, to give them the `_id` index below. */
const ID_INDEX_EVERY_MS = 5_000;

function sqlite3(file: string, sql: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // .timeout: wait for FerretDB's writer instead of failing with SQLITE_BUSY.
    execFile('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', file, sql], { timeout: 30_000 }, (e, stdout, stderr) =>
      e ? reject(new Error(`sqlite3 ${path.basename(file)}: ${(stderr || e.message).trim().split('\n')[0]}`)) : resolve(stdout),
    );
  });
}

/**
 * FerretDB v1.24 on SQLite looks a document up by `{ _id: <string|ObjectId> }` with
 * `WHERE _ferretdb_sjson->'$._id' = ?` (internal/backends/sqlite/collection.go, Query, and metadata.IDColumn), but
 * builds its own `_id` index on `_ferretdb_sjson->"_id"` (metadata/registry.go, indexesCreate). SQLite matches an
 * expression index by its text, so it never uses that one and every lookup reads the whole table (EXPLAIN: SCAN).
 * This gives every collection table of every database file in `dir` an index on the very expression the lookup
 * uses. Idempotent and safe while FerretDB runs; a dropped collection drops its index with its table.
 */
export async function indexSqliteIds(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  let created = 0;
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.sqlite'))) {
    const file = path.join(dir, name);
    const missing = (
      await sqlite3(
        file,
        `SELECT c.table_name FROM _ferretdb_collections c WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || '${ID_INDEX_SUFFIX}');`,
      )
    )
      .split('\n')
      .filter((t) => /^[a-z0-9_.-]+$/i.test(t)); // FerretDB's own table names: lowercased name and a hash
    if (missing.length === 0) continue;
    await sqlite3(file, missing.map((t) => `CREATE INDEX IF NOT EXISTS "${t}${ID_INDEX_SUFFIX}" ON "${t}" (_ferretdb_sjson->'$._id');`).join('\n'));
    created += missing.length;
  }
  return created;
}

export async function startFerretDb(bin: string, dataDir: string, port?: number, opts: { postgresUrl?: string; log?: Log } = {}): Promise<FerretDbInstance> {
  mkdirSync(dataDir, { recursive: true });
  const listenPort = port ?? (await freePort());
  const logFile = path.join(dataDir, 'ferretdb.log');
  let child: ChildProcess | null = null;

  const start = async () => {
    const debugPort = await freePort();
    const fd = openSync(logFile, 'a');
    child = spawn(
      bin,
      [
        ...(opts.postgresUrl ? ['--handler=postgresql', `--postgresql-url=${opts.postgresUrl}`] : ['--handler=sqlite', `--sqlite-url=file:${dataDir}/`]),
        `--listen-addr=127.0.0.1:${listenPort}`,
        `--debug-addr=127.0.0.1:${debugPort}`,
        `--state-dir=${dataDir}`,
        '--telemetry=disable',
        '--log-level=error',
      ],
      // Its own process group: a Ctrl-C for the service must not kill the database under in-flight requests.
      { stdio: ['ignore', fd, fd], detached: true },
    );
    await waitForPort(listenPort, child, 'FerretDB', logFile);
  };
  // On SQLite, collections made later (a new database, a test's) get the `_id` index within seconds.
  let indexer: NodeJS.Timeout | null = null;
  let warned = false;
  let indexing: Promise<unknown> | null = null;
  // One round at a time: a round waiting on FerretDB's writer must not have the next one pile up behind it.
  const index = () =>
    (indexing ??= indexSqliteIds(dataDir)
      .catch((e: Error) => {
        if (!warned) opts.log?.(`lookups by _id in the embedded database stay unindexed: ${e.message} (install sqlite3)`);
        warned = true;
      })
      .finally(() => (indexing = null)));
  const run = async () => {
    await start();
    if (opts.postgresUrl || indexer) return;
    void index();
    indexer = setInterval(() => void index(), ID_INDEX_EVERY_MS);
    indexer.unref();
  };
  await run();

  return {
    // SQLite takes one writer at a time and answers SQLITE_BUSY when too many wait: a small client pool keeps
    // the queue in the driver instead.
    url: `mongodb://127.0.0.1:${listenPort}/?maxPoolSize=${FERRETDB_POOL}`,
    description: `FerretDB ${FERRETDB_VERSION} (${opts.postgresUrl ? 'on PostgreSQL' : `SQLite in ${dataDir}`}) on 127.0.0.1:${listenPort}`,
    port: listenPort,
    dataDir,
    start: run,
    stop: () => {
      if (indexer) clearInterval(indexer);
      indexer = null;
      return child ? stopChild(child) : Promise.resolve();
    },
  };
}

/** MONGODB_URI → a `mongod` on PATH → FerretDB from .tools/bin (built if Go is present) → a clear message. */
export async function resolveMongo(opts: { uri?: string; dataDir: string; log: Log }): Promise<ServiceHandle> {
  if (opts.uri) {
    return { url: opts.uri, description: `MongoDB at MONGODB_URI (${redactUri(opts.uri)})`, stop: async () => {} };
  }
  const mongod = onPath('mongod');
  if (mongod) {
    const dir = path.join(opts.dataDir, 'mongod');
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const logFile = path.join(dir, 'mongod.log');
    const child = spawn(mongod, ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--logpath', logFile], { stdio: 'ignore', detached: true });
    await waitForPort(port, child, 'mongod', logFile);
    return { url: `mongodb://127.0.0.1:${port}/`, description: `mongod from PATH (data in ${dir}) on 127.0.0.1:${port}`, stop: () => stopChild(child) };
  }
  // The embedded database holds PHI: its directory is the owner's alone, whatever the files' own modes.
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(opts.dataDir, 0o700);
  const dir = path.join(opts.dataDir, 'ferretdb');
  const portFile = path.join(dir, 'listen.port');
  // Another process of ours (npm start, the CLI) already serves this data directory: share it, never open it twice.
  const running = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : 0;
  if (running > 0 && (await canConnect(running))) {
    return { url: `mongodb://127.0.0.1:${running}/`, description: `FerretDB already serving ${dir} on 127.0.0.1:${running}`, stop: async () => {} };
  }
  const bin = await ensureFerretDb(opts.log);
  if (bin) {
    const ferret = await startFerretDb(bin, dir, undefined, { log: opts.log });
    writeFileSync(portFile, String(ferret.port));
    return {
      ...ferret,
      stop: async () => {
        rmSync(portFile, { force: true });
        await ferret.stop();
      },
    };
  }
  throw new Error(
    'No MongoDB-compatible server available. Do one of:\n' +
      '  - set MONGODB_URI=mongodb://host:27017/ (MongoDB 6+, Atlas, or a replica set)\n' +
      '  - put `mongod` on PATH\n' +
      `  - install Go (https://go.dev/dl/) so FerretDB ${FERRETDB_VERSION} can be built into .tools/bin`,
  );
}

/** REDIS_URL → Redis on 127.0.0.1:6379 → `redis-server` from PATH on a free port → a clear message. */
export async function resolveRedis(opts: { url?: string; dataDir: string; log: Log }): Promise<ServiceHandle> {
  if (opts.url) return { url: opts.url, description: `Redis at REDIS_URL (${redactUri(opts.url)})`, stop: async () => {} };
  if (await canConnect(6379)) {
    return { url: 'redis://127.0.0.1:6379', description: 'Redis already running on 127.0.0.1:6379', stop: async () => {} };
  }
  const server = onPath('redis-server');
  if (server) {
    const dir = path.join(opts.dataDir, 'redis');
    mkdirSync(dir, { recursive: true });
    const port = await freePort();
    const logFile = path.join(dir, 'redis.log');
    const child = spawn(
      server,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', logFile],
      { stdio: 'ignore', detached: true },
    );
    await waitForPort(port, child, 'redis-server', logFile);
    return { url: `redis://127.0.0.1:${port}`, description: `redis-server from PATH on 127.0.0.1:${port}`, stop: () => stopChild(child) };
  }
  throw new Error(
    'No Redis available. Set REDIS_URL=redis://host:6379, run Redis on 127.0.0.1:6379, or put `redis-server` on PATH ' +
      '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis).',
  );
}

/** Connection strings can carry passwords: show the host part only. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
