import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/test-app';

const depcruise = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const FORBIDDEN = ['mongoose', 'restify', 'ioredis', 'botbuilder', 'botbuilder-dialogs', 'bullmq', 'twilio', 'openai'];

function cruise(cwd: string, ...targets: string[]) {
  const r = spawnSync(depcruise, [...targets, '--config', '.dependency-cruiser.js', '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('dependency-cruiser keeps services/ pure (npm run lint runs the same rules)', () => {
  let result: ReturnType<typeof cruise>;
  const probes = FORBIDDEN.map((pkg) => path.join('services', `zz-layer-probe-${pkg}.ts`));

  // Probes live in a scratch tree with the same config, never in the real services/ (a build may be running).
  beforeAll(() => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    try {
      for (const f of ['.dependency-cruiser.js', 'tsconfig.json']) cpSync(path.join(ROOT, f), path.join(scratch, f));
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'));
      mkdirSync(path.join(scratch, 'services'));
      FORBIDDEN.forEach((pkg, i) => writeFileSync(path.join(scratch, probes[i]!), `import * as x from '${pkg}';\nexport const y = x;\n`));
      result = cruise(scratch, ...probes);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test.each(FORBIDDEN.map((pkg, i) => [pkg, i] as const))('a file in services/ importing %s fails the check', (pkg, i) => {
    expect(result.status).not.toBe(0);
    const line = result.output.split('\n').find((l) => l.includes(path.basename(probes[i]!)));
    expect(line).toContain('services-stay-pure');
    expect(line).toContain(pkg);
  });

  test('the real tree passes', () => {
    const r = cruise(ROOT, 'bot', 'dialogs', 'services', 'models', 'scripts');
    expect(r.output).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });
});
