/**
 * Where the built web viewer is: `examples/web-viewer/dist` of this checkout (the workspace package
 * `@scenesync/web-viewer`), found through module resolution first and the repository layout second.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding the viewer's index.html, or undefined when the viewer is not built. */
export function findViewerDir(): string | undefined {
  const candidates: string[] = [];
  try {
    const require = createRequire(import.meta.url);
    candidates.push(join(dirname(require.resolve('@scenesync/web-viewer/package.json')), 'dist'));
  } catch {
    // Not installed as a package: fall back to the monorepo layout below.
  }
  const here = dirname(fileURLToPath(import.meta.url));
  candidates.push(resolve(here, '../../../examples/web-viewer/dist'));
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}
