import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The folder of the `driftguard` package.json at or above this module: the repository (sources, the
 * committed action bundle) or the installed npm package (its dist/). Files shipped beside it, such
 * as docs/rules/, are found from there.
 */
export function packageRoot(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'driftguard') return dir;
    } catch {
      /* keep looking upward */
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

/** The package version, from the nearest package.json named `driftguard` above this module. */
export function packageVersion(): string {
  const root = packageRoot();
  if (root === undefined) return '0.0.0';
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
