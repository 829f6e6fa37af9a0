import * as path from 'node:path';

/** A Dockerfile's path and text, as read by a host. */
export interface DockerfileSource {
  path: string;
  text: string;
}

type BuildScriptFinder = (dockerfile: DockerfileSource) => string[];
let finder: BuildScriptFinder = () => [];

/** Installs the analysis that lists the scripts a Dockerfile copies in and runs (paths relative to its folder). */
export function setBuildScriptFinder(f: BuildScriptFinder): void {
  finder = f;
}

/**
 * Absolute paths of shell scripts that some Dockerfile copies in and runs during its build, resolved
 * against the Dockerfile's folder (the usual build context).
 */
export function collectBuildScripts(dockerfiles: readonly DockerfileSource[]): Set<string> {
  const scripts = new Set<string>();
  for (const dockerfile of dockerfiles) {
    for (const relative of finder(dockerfile)) scripts.add(path.resolve(path.dirname(dockerfile.path), relative));
  }
  return scripts;
}
