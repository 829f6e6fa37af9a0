import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, found from the compiled or source location of the tests. */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || dir.endsWith(`${path.sep}out`)) dir = path.dirname(dir);
  return dir;
})();
