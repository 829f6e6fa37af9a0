import * as path from 'node:path';
import { CliArgs, userSettingsOf } from './args';
import { registryOptions } from '../registry/userOptions';
import { DiscoveredFile, discoverFiles } from '../workspace/discover';
import { decodeSource, DEFAULT_MAX_FILE_BYTES, readSource } from '../workspace/readSource';
import { readRegularFile, realFolders } from '../workspace/safeRead';
import { replaceFile } from '../workspace/replaceFile';
import { SettingsResolver } from '../workspace/settingsResolver';
import { applyEdits } from '../engine/fixes';
import { RegistryClient } from '../registry';
import { planDocumentPins } from '../pin/pinDocument';
import { lintInputFor, readDotenvBeside } from '../workspace/lintFile';
import { Fetcher } from '../packages/fetcher';
import { mirrorsFrom } from '../packages/mirrors';
import { PackageVersions } from '../packages/versions';
import { DEFAULT_PLATFORM, PackagePinner } from '../pin/packagePins';
import { planPackagePins } from '../pin/packagePlan';
import { defaultCacheDir } from '../net/privateDir';
import { ScriptRunners } from '../pin/scriptRunners';
import { BuildContexts } from '../workspace/buildContexts';
import { addBuildDefinitions, isBakeFilePath, readDefiningSources } from '../workspace/buildDefinitions';
import { scanRoots } from '../workspace/roots';
import { isImageBuildTemplate } from '../workspace/imageBuildTemplates';
import {
  addScriptUse,
  addTemplateScripts,
  ContextLocator,
  emptyScriptIndex,
  ScriptIndex,
} from '../workspace/buildScriptIndex';
import { ActionRefService } from '../actions/refService';
import { githubAccess } from '../actions/githubAccess';
import { describeFailure } from '../pin/resolve';
import type { Engine } from '../engine/engine';
import { printable } from './terminalText';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * `driftguard pin`: rewrites files in place with the same rewrites as the editor's quick fixes, and
 * prints each change once it is written. A file is written only when it still holds what was read
 * (else "changed while pinning"), never half-written, through links, keeping mode and owner; a
 * read-only file is left as it is. One line per file that could not be written, and the run goes
 * on with the others. Returns the exit code: 1 when any reference or file was not pinned.
 */
export async function pinCommand(
  engine: Engine,
  args: CliArgs,
  out: (text: string) => Promise<void>,
  cwd: string,
): Promise<number> {
  const within = realFolders(args.paths);
  const resolver = new SettingsResolver(undefined, args.config ? path.resolve(args.config) : undefined, false, within);
  const cacheDir = defaultCacheDir();
  const client = new RegistryClient({
    ...registryOptions({ ...userSettingsOf(args).registry, ...(args.platform ? { platform: args.platform } : {}) }),
    allowCredentialHelpers: true,
    ...(cacheDir ? { cacheDir } : {}),
    log: (message) => process.stderr.write(`driftguard: ${printable(message)}\n`),
  });
  const fetcher = args.packages
    ? new Fetcher({
        insecure: args.insecure,
        ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
        ...(args.caFile ? { caFile: args.caFile } : {}),
      })
    : undefined;
  const packages = fetcher
    ? new PackagePinner(
        new PackageVersions(fetcher, mirrorsFrom(args.mirrors)),
        client,
        args.platform ?? DEFAULT_PLATFORM,
      )
    : undefined;
  const actions = actionService(args);
  const show = (filePath: string) => printable(path.relative(cwd, filePath) || filePath);
  const skipped: string[] = [];
  const onSkipped = (filePath: string, reason: string) =>
    skipped.push(`${show(filePath)}: skipped: ${printable(reason)}\n`);
  const outSkipped = async () => {
    for (const line of skipped.splice(0)) await out(line);
  };
  let pinnedCount = 0;
  let packageCount = 0;
  let failedCount = 0;
  let changedFiles = 0;
  let unwrittenFiles = 0;
  const otherFiles: string[] = [];
  const files: DiscoveredFile[] = [];
  for await (const file of discoverFiles(args.paths, {
    isIgnored: (p) => resolver.isIgnored(p),
    onOtherFile: (p) => otherFiles.push(p),
    kinds: engine.kinds,
    onSkipped,
  }))
    files.push(file);
  // Builds that Compose, bake files and scripts define: each Dockerfile's contexts and named contexts.
  const contexts = new BuildContexts([...files.map((f) => f.path), ...otherFiles], scanRoots(args.paths));
  const defining = await readDefiningSources(engine, files, {
    ...(args.maxBytes ? { maxBytes: args.maxBytes } : {}),
    within,
  });
  await addBuildDefinitions(contexts, engine, defining, otherFiles.filter(isBakeFilePath), { within, onSkipped });
  // Scripts the Dockerfiles run at build are pinned for the stage that runs them.
  const scripts = packages
    ? await scriptFacts(engine, files, otherFiles, contexts, args, resolver, cwd, onSkipped)
    : undefined;
  await outSkipped();
  for (const file of files) {
    const rel = show(file.path);
    const read = await readRegularFile(file.path, { maxBytes: args.maxBytes ?? DEFAULT_MAX_FILE_BYTES });
    const decoded = 'skipped' in read ? read : decodeSource(read.bytes);
    if ('skipped' in read || 'skipped' in decoded) {
      await out(`${rel}: skipped: ${printable('skipped' in decoded ? decoded.skipped : '')}\n`);
      continue;
    }
    const dotenv = engine.kinds.get(file.kind).readsDotenv
      ? { dotenv: readDotenvBeside(file.path, within, onSkipped) ?? null }
      : {};
    await outSkipped();
    const input = lintInputFor(
      engine.kinds,
      {
        path: file.path,
        kind: file.kind,
        text: decoded.text,
        ...dotenv,
        namedContexts: contexts.namedContextsOf(file.path),
        ...(scripts ? { buildScripts: scripts.index, roots: scripts.roots } : {}),
      },
      resolver,
    );
    const plan = await planDocumentPins(engine, input, { registry: client, ...actions });
    // Changes are printed once the file is written; failures at once.
    const changes = plan.pinned.map(
      (p) => `${rel}:${p.line + 1}: ${printable(`${p.reference} → ${p.newText ?? ''}`)}\n`,
    );
    for (const f of plan.failed)
      await out(`${rel}:${f.line + 1}: ${printable(`${f.reference}: not pinned: ${f.reason ?? ''}`)}\n`);
    failedCount += plan.failed.length;
    let packagesPinned = 0;
    const edits = [...plan.edits];
    // Files that run scripts build an image; a script is pinned for the stage of the file that runs it.
    const builds = engine.runsScripts(file.kind);
    if (packages && (builds || input.shellContext === 'build')) {
      const runner = builds ? undefined : scripts?.runners.runnerOf(file.path, scripts.locate);
      const packagePlan = await planPackagePins(engine, input, packages, undefined, runner);
      const notes = new Set<string>();
      for (const p of packagePlan.pinned) {
        changes.push(`${rel}:${p.line + 1}: ${printable(`${p.package} → ${p.newText} (${p.source})`)}\n`);
        if (p.drift && !notes.has(p.drift)) {
          notes.add(p.drift);
          changes.push(`${rel}: note: ${printable(p.drift)}\n`);
        }
      }
      for (const f of packagePlan.failed)
        await out(`${rel}:${f.line + 1}: ${printable(`${f.package}: not pinned: ${f.reason}`)}\n`);
      packagesPinned = packagePlan.pinned.length;
      failedCount += packagePlan.failed.length;
      edits.push(...packagePlan.edits);
    }
    const updated = edits.length > 0 ? applyEdits(decoded.text, edits) : decoded.text;
    if (updated === decoded.text) continue;
    if (!args.dryRun) {
      const hadBom = read.bytes.subarray(0, 3).equals(BOM);
      const bytes = Buffer.concat([hadBom ? BOM : Buffer.alloc(0), Buffer.from(updated, 'utf8')]);
      const written = await replaceFile(file.path, bytes, { expected: read.bytes });
      if (!written.written) {
        await out(`${rel}: not written: ${written.reason}\n`);
        unwrittenFiles++;
        continue;
      }
    }
    for (const line of changes) await out(line);
    pinnedCount += plan.pinned.length;
    packageCount += packagesPinned;
    changedFiles++;
  }
  await client.flush();
  client.close();
  fetcher?.close();
  actions.actions?.close();
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const failures = [
    ...(failedCount ? [`${failedCount} not pinned (reasons above)`] : []),
    ...(unwrittenFiles ? [`${plural(unwrittenFiles, 'file')} not written`] : []),
  ];
  await out(
    `${args.dryRun ? 'would pin' : 'pinned'} ${plural(pinnedCount, 'reference')}` +
      `${packages ? ` and ${plural(packageCount, 'package')}` : ''} in ${plural(changedFiles, 'file')}` +
      `${failures.map((f) => `, ${f}`).join('')}\n`,
  );
  return failedCount > 0 || unwrittenFiles > 0 ? 1 : 0;
}

/** The scripts the discovered Dockerfiles (and image-build templates) run, and the stage each runs in. */
async function scriptFacts(
  engine: Engine,
  files: readonly DiscoveredFile[],
  otherFiles: readonly string[],
  contexts: BuildContexts,
  args: CliArgs,
  resolver: SettingsResolver,
  cwd: string,
  onSkipped: (filePath: string, reason: string) => void,
): Promise<{ index: ScriptIndex; roots: string[]; runners: ScriptRunners; locate: ContextLocator }> {
  const roots = scanRoots(args.paths);
  const index = emptyScriptIndex();
  const runners = new ScriptRunners();
  for (const file of files) {
    if (!engine.runsScripts(file.kind)) continue;
    const read = await readSource(file.path, args.maxBytes);
    if ('skipped' in read) continue;
    const source = { path: file.path, kind: file.kind, text: read.text };
    const model = engine.model(
      lintInputFor(engine.kinds, { ...source, namedContexts: contexts.namedContextsOf(file.path) }, resolver),
    );
    addScriptUse(index, file.path, engine.scriptUses(source, model), contexts.locate);
    runners.set(file.path, model, path.relative(cwd, file.path) || file.path);
  }
  await addTemplateScripts(index, otherFiles.filter(isImageBuildTemplate), onSkipped);
  return { index, roots, runners, locate: contexts.locate };
}

/**
 * The git server action refs are pinned against: `--github-url`, else `GITHUB_SERVER_URL` (default
 * github.com), and the token in `GITHUB_TOKEN`/`GH_TOKEN` from the environment only.
 */
function actionService(args: CliArgs): { actions?: ActionRefService; actionsUnavailable?: string } {
  try {
    return {
      actions: new ActionRefService({
        ...githubAccess(process.env, args.githubUrl),
        ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
        ...(args.caFile ? { http: { caFile: args.caFile } } : {}),
      }),
    };
  } catch (error) {
    return {
      actionsUnavailable: `${args.githubUrl ? '--github-url' : 'GITHUB_SERVER_URL'}: ${describeFailure(error)}`,
    };
  }
}
