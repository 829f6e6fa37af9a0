import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package version, from the nearest package.json named `driftguard` above this module. */
export function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'driftguard' && pkg.version) return pkg.version;
    } catch {
      /* keep looking upward */
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}
