/** `npm run setup`: fetches and builds what the embedded defaults need (FerretDB), so start-up and tests need not. */
import { ensureFerretDb } from './local-infra';

ensureFerretDb((line) => process.stdout.write(`${line}\n`)).then(
  (bin) => {
    if (!bin) {
      process.stderr.write('Go is not on PATH, so FerretDB cannot be built; set MONGODB_URI or install Go (https://go.dev/dl/).\n');
      process.exit(1);
    }
    process.stdout.write(`FerretDB ready: ${bin}\n`);
  },
  (e: unknown) => {
    process.stderr.write(`FerretDB build failed: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
