import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveMongo } from '../../scripts/local-infra';

test("the embedded database's data directory is readable by its owner only (it holds PHI)", async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'embedded-'));
  const dataDir = path.join(root, '.data');
  const mongo = await resolveMongo({ dataDir, log: () => undefined });
  try {
    expect(mongo.description).toMatch(/FerretDB|mongod/);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  } finally {
    await mongo.stop();
    rmSync(root, { recursive: true, force: true });
  }
}, 60_000);
