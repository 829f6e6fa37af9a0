import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExecutionContext, FileKind } from '../engine/types';
import { lint, LintResult } from '../engine/lint';
import type { HostOverrides, SettingsResolver } from './settingsResolver';

/** What a host knows about a file beyond its text. */
export interface FileFacts {
  path: string;
  kind: FileKind;
  text: string;
  /** Absolute paths of scripts some Dockerfile in the workspace copies in and runs. */
  buildScripts?: ReadonlySet<string>;
  overrides?: HostOverrides;
}

/** Lints one file with the settings, `.env` and shell context that apply to it on disk. */
export function lintFile(facts: FileFacts, resolver: SettingsResolver): LintResult {
  const settings = resolver.settingsFor(facts.path, facts.overrides);
  let shellContext: ExecutionContext | undefined;
  if (facts.kind === 'shell') {
    shellContext = facts.buildScripts?.has(path.resolve(facts.path)) || resolver.isBuildScript(facts.path) ? 'build' : 'live';
  }
  const dotenv = facts.kind === 'compose' ? readDotenv(facts.path) : undefined;
  return lint({
    uri: pathToFileURL(facts.path).toString(),
    text: facts.text,
    kind: facts.kind,
    settings,
    ...(shellContext ? { shellContext } : {}),
    ...(dotenv !== undefined ? { dotenv } : {}),
  });
}

function readDotenv(composePath: string): string | undefined {
  try {
    return fs.readFileSync(path.join(path.dirname(composePath), '.env'), 'utf8');
  } catch {
    return undefined;
  }
}
