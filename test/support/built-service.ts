import { spawnSync } from 'node:child_process';
import { ROOT } from './test-app';

/** Builds `dist/` once for a test file that runs the service as `node dist/bot/index.js`. */
export function buildOnce(): void {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
}

/** This process's environment without any of the service's own settings, plus `extra`. */
export function serviceEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const k of Object.keys(base)) {
    if (/^(PORT|MONGODB_URI|REDIS_URL|REDIS_PREFIX|CENTER_CONFIG|NODE_ENV|PUBLIC_BASE_URL|TWILIO_.*|SMS_TRANSPORT|OPENAI_.*|NLU|Microsoft.*)$/.test(k)) delete base[k];
  }
  return { ...base, LOG_LEVEL: 'warn', ...extra };
}
