import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/test-app';

const depcruise = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const FORBIDDEN = ['mongoose', 'restify', 'ioredis', 'botbuilder', 'botbuilder-dialogs', 'bullmq', 'twilio', 'openai'];

function cruise(...targets: string[]) {
  const r = spawnSync(depcruise, [...targets, '--config', '.dependency-cruiser.js', '--output-type', 'err'], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('dependency-cruiser keeps services/ pure (npm run lint runs the same rules)', () => {
  let result: ReturnType<typeof cruise>;
  const probes = FORBIDDEN.map((pkg) => path.join('services', `zz-layer-probe-${pkg}-${process.pid}.ts`));

  beforeAll(() => {
    FORBIDDEN.forEach((pkg, i) => writeFileSync(path.join(ROOT, probes[i]!), `import * as x from '${pkg}';\nexport const y = x;\n`));
    try {
      result = cruise(...probes);
    } finally {
      for (const p of probes) rmSync(path.join(ROOT, p), { force: true });
    }
  });

  test.each(FORBIDDEN.map((pkg, i) => [pkg, i] as const))('a file in services/ importing %s fails the check', (pkg, i) => {
    expect(result.status).not.toBe(0);
    const line = result.output.split('\n').find((l) => l.includes(path.basename(probes[i]!)));
    expect(line).toContain('services-stay-pure');
    expect(line).toContain(pkg);
  });

  test('the real tree passes', () => {
    const r = cruise('bot', 'dialogs', 'services', 'models', 'scripts');
    expect(r.output).toContain('no dependency violations found');
    expect(r.status).toBe(0);
  });
});
