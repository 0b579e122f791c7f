import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: the real-process tests run the built CLI (dist/), as users do. `npm test`
 * builds first; a lone `vitest run` gets a build here when dist/ is missing.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  if (!existsSync(`${root}/dist/bin.js`) || !existsSync(`${root}/dist/index.js`)) {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  }
}
