import { rmSync } from 'node:fs';
import type { ServiceHandle } from '../../scripts/local-infra';

export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as { __TEST_INFRA__?: { dir: string; handles: ServiceHandle[] } }).__TEST_INFRA__;
  if (!infra) return;
  for (const h of infra.handles.reverse()) await h.stop();
  rmSync(infra.dir, { recursive: true, force: true });
}
