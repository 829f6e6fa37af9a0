import * as path from 'node:path';
import type { DocumentModel } from '../engine/documentModel';
import type { Engine } from '../engine/engine';
import type { BuildDefinition } from '../model/buildDefinition';
import type { DiscoveredFile } from './discover';
import { bakeDefinitions, isBakeFilePath } from './buildDefinitions';
import { addTemplateScripts, emptyScriptIndex, ScriptIndex } from './buildScriptIndex';
import { CurrentModel } from './currentModel';
import { GeneratorCopy, GeneratorCopyFinder } from './generatorCopies';
import { isImageBuildTemplate } from './imageBuildTemplates';
import { dotenvReader } from './lintFile';
import { readSourceSync } from './readSource';
import { scanRoots } from './roots';
import { realFolders } from './safeRead';
import { copyCandidates, type ScriptText } from './scriptCopies';
import { throwawayRunsBy } from './throwawayRuns';

/**
 * What the files of a set of folders tell of each other before any is linted, found in one visit of
 * them: the same facts, from the same passes, as the CLI's scan gathers (cli/lintPhases.ts).
 */
export interface WorkspaceFacts {
  folders: string[];
  /** Scan and repository roots of the folders. */
  roots: string[];
  /** Every file the walk saw (BuildContexts finds copied paths among them). */
  files: string[];
  /** The builds each file defines (Compose, scripts, CI files, bake files), by absolute path; none empty. */
  definitions: Map<string, BuildDefinition[]>;
  /**
   * The shell scripts, as read, that may be copies of others (`copyCandidates`; copies of container
   * scripts run where those do): the texts of the others are not held through a scan (4.7 MB of the
   * corpus's 1,634 scripts, none of which has a twin).
   */
  twinScripts: ScriptText[];
  /** Scripts image-build templates run (`build`) and scripts run in throwaway containers (`ephemeral`). */
  runs: ScriptIndex;
  /** The copies generator scripts make of the scripts. */
  generatorCopies: GeneratorCopy[];
}

/**
 * Most text of the files whose parses a visit keeps for their lints (`parsedBefore`). A Compose parse
 * takes about 18 times its text in the heap: the corpus's 175 Compose files that name a build, 285 K
 * characters, take 5 MB. Past this, a file is parsed again for its lint.
 */
const PARSED_BEFORE_TEXT = 1024 * 1024;

/** Files handled between two turns of the event loop, so the server answers requests meanwhile. */
const YIELD_EVERY = 25;

/**
 * Reads each file once and serves every pass from one model of it (see `CurrentModel`): the builds
 * it defines and, for scripts, the scripts it runs in throwaway containers and the copies it makes.
 * `files`: the walk's files of known kinds, `otherFiles` the rest (templates, bake files). Support
 * files (`.env`, bake files, templates) are read as the CLI reads them: no link leaving the folders;
 * a bake file or template that cannot be read goes to `onSkipped`, a `.env` gives no values. Undefined
 * when cancelled.
 *
 * `dotenvBeside`, when given, reads the `.env` beside a file (a scan passes the reader its lints use,
 * so each folder's `.env` is read once per scan); by default `dotenvReader` inside the folders.
 *
 * `parsedBefore`, when given, receives the models the visit read of files whose kind can re-read a
 * parse (Compose), by path as the files give it, for their lints (see `lintPhase`), as the CLI's scan
 * keeps them: each file's YAML is then parsed once per scan, not twice (up to PARSED_BEFORE_TEXT).
 */
export async function visitWorkspace(
  engine: Engine,
  folders: readonly string[],
  files: readonly DiscoveredFile[],
  otherFiles: readonly string[],
  options: {
    onSkipped?: (filePath: string, reason: string) => void;
    isCancelled?: () => boolean;
    dotenvBeside?: (filePath: string) => string | null;
    parsedBefore?: Map<string, DocumentModel>;
  } = {},
): Promise<WorkspaceFacts | undefined> {
  const within = realFolders(folders);
  const roots = scanRoots(folders);
  const texts = new Map<string, string>();
  const scripts: ScriptText[] = [];
  for (const file of files) {
    if (!engine.kinds.get(file.kind).runByOtherFiles) continue;
    const read = readSourceSync(file.path);
    if ('skipped' in read) continue;
    const script = { path: path.resolve(file.path), text: read.text };
    scripts.push(script);
    texts.set(file.path, read.text);
  }
  const known = new Set(scripts.map((s) => s.path));
  const copies = new GeneratorCopyFinder(scripts);
  const runs = emptyScriptIndex();
  const models = new CurrentModel(engine);
  const definitions = new Map<string, BuildDefinition[]>();
  const dotenvBeside = options.dotenvBeside ?? dotenvReader(within);
  let keptText = 0;
  let visited = 0;
  for (const file of files) {
    const kind = engine.kinds.get(file.kind);
    if (!kind.buildDefinitions && !kind.runByOtherFiles) continue;
    if (++visited % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.isCancelled?.()) return undefined;
    let text = texts.get(file.path);
    if (text === undefined && !kind.runByOtherFiles) {
      const read = readSourceSync(file.path);
      if ('text' in read) text = read.text;
    }
    if (text === undefined) continue;
    const absolute = path.resolve(file.path);
    const dotenv = kind.readsDotenv ? { dotenv: dotenvBeside(absolute) } : {};
    const readable = { path: absolute, kind: file.kind, text, ...dotenv };
    const builds = engine.buildDefinitions(readable, models);
    if (builds.length > 0) definitions.set(absolute, builds);
    const model = options.parsedBefore && kind.reread ? models.modelOf(readable) : undefined;
    if (model && keptText + text.length <= PARSED_BEFORE_TEXT) {
      options.parsedBefore!.set(file.path, model);
      keptText += text.length;
    }
    if (!kind.runByOtherFiles) continue;
    const script = { path: absolute, text };
    for (const run of throwawayRunsBy(script, models, known, roots)) runs.ephemeral.add(run);
    copies.visit(script, models);
  }
  for (const bakeFile of otherFiles.filter(isBakeFilePath)) {
    const builds = await bakeDefinitions(bakeFile, { within });
    if ('skipped' in builds) options.onSkipped?.(bakeFile, builds.skipped);
    else if (builds.length > 0) definitions.set(path.resolve(bakeFile), builds);
  }
  await addTemplateScripts(runs, otherFiles.filter(isImageBuildTemplate), options.onSkipped);
  return {
    folders: [...folders],
    roots,
    files: [...files.map((f) => f.path), ...otherFiles],
    definitions,
    twinScripts: copyCandidates(scripts),
    runs,
    generatorCopies: copies.copies(),
  };
}
