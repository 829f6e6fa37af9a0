import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliArgs } from './args';
import { DiscoveredFile, discoverFiles } from '../workspace/discover';
import { readSource } from '../workspace/readSource';
import { SettingsResolver } from '../workspace/settingsResolver';
import { applyEdits } from '../engine/fixes';
import { RegistryClient } from '../registry';
import { planDocumentPins } from '../pin/pinDocument';
import { lintInputFor } from '../workspace/lintFile';
import { Fetcher } from '../packages/fetcher';
import { mirrorsFrom } from '../packages/mirrors';
import { PackageVersions } from '../packages/versions';
import { DEFAULT_PLATFORM, PackagePinner } from '../pin/packagePins';
import { planPackagePins } from '../pin/packagePlan';
import { defaultCacheDir } from '../net/privateDir';
import { ScriptRunners } from '../pin/scriptRunners';
import { BuildContexts } from '../workspace/buildContexts';
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

/**
 * `driftguard pin`: rewrites files in place with the same rewrites as the editor's quick fixes.
 * Each file is written to a temporary sibling and renamed over the original, so a file is never
 * left half-written. Returns the exit code: 1 when any reference could not be pinned.
 */
export async function pinCommand(
  engine: Engine,
  args: CliArgs,
  out: (text: string) => Promise<void>,
  cwd: string,
): Promise<number> {
  const resolver = new SettingsResolver(undefined, args.config ? path.resolve(args.config) : undefined);
  const cacheDir = defaultCacheDir();
  const client = new RegistryClient({
    allowCredentialHelpers: true,
    insecure: args.insecure,
    ...(args.platform ? { platform: args.platform } : {}),
    ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
    ...(args.caFile ? { caFile: args.caFile } : {}),
    ...(cacheDir ? { cacheDir } : {}),
    log: (message) => process.stderr.write(`driftguard: ${message}\n`),
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
  let pinnedCount = 0;
  let packageCount = 0;
  let failedCount = 0;
  let changedFiles = 0;
  const otherFiles: string[] = [];
  const files: DiscoveredFile[] = [];
  for await (const file of discoverFiles(args.paths, {
    isIgnored: (p) => resolver.isIgnored(p),
    onOtherFile: (p) => otherFiles.push(p),
    kinds: engine.kinds,
  }))
    files.push(file);
  // Scripts the Dockerfiles run at build are pinned for the stage that runs them.
  const scripts = packages ? await scriptFacts(engine, files, otherFiles, args, resolver, cwd) : undefined;
  for (const file of files) {
    const rel = path.relative(cwd, file.path) || file.path;
    const read = await readSource(file.path, args.maxBytes);
    if ('skipped' in read) {
      await out(`${rel}: skipped: ${read.skipped}\n`);
      continue;
    }
    const input = lintInputFor(
      engine.kinds,
      {
        path: file.path,
        kind: file.kind,
        text: read.text,
        ...(scripts ? { buildScripts: scripts.index, roots: scripts.roots } : {}),
      },
      resolver,
    );
    const plan = await planDocumentPins(engine, input, { registry: client, ...actions });
    for (const p of plan.pinned) await out(`${rel}:${p.line + 1}: ${p.reference} → ${p.newText}\n`);
    for (const f of plan.failed) await out(`${rel}:${f.line + 1}: ${f.reference}: not pinned: ${f.reason}\n`);
    pinnedCount += plan.pinned.length;
    failedCount += plan.failed.length;
    const edits = [...plan.edits];
    // Files that run scripts build an image; a script is pinned for the stage of the file that runs it.
    const builds = engine.runsScripts(file.kind);
    if (packages && (builds || input.shellContext === 'build')) {
      const runner = builds ? undefined : scripts?.runners.runnerOf(file.path, scripts.locate);
      const packagePlan = await planPackagePins(engine, input, packages, undefined, runner);
      const notes = new Set<string>();
      for (const p of packagePlan.pinned) {
        await out(`${rel}:${p.line + 1}: ${p.package} → ${p.newText} (${p.source})\n`);
        if (p.drift && !notes.has(p.drift)) {
          notes.add(p.drift);
          await out(`${rel}: note: ${p.drift}\n`);
        }
      }
      for (const f of packagePlan.failed) await out(`${rel}:${f.line + 1}: ${f.package}: not pinned: ${f.reason}\n`);
      packageCount += packagePlan.pinned.length;
      failedCount += packagePlan.failed.length;
      edits.push(...packagePlan.edits);
    }
    if (edits.length === 0) continue;
    const updated = applyEdits(read.text, edits);
    if (updated === read.text) continue;
    changedFiles++;
    if (!args.dryRun) await writeAtomically(file.path, await withOriginalBom(file.path, updated));
  }
  await client.flush();
  client.close();
  fetcher?.close();
  actions.actions?.close();
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  await out(
    `${args.dryRun ? 'would pin' : 'pinned'} ${plural(pinnedCount, 'reference')}` +
      `${packages ? ` and ${plural(packageCount, 'package')}` : ''} in ${plural(changedFiles, 'file')}` +
      `${failedCount ? `, ${failedCount} not pinned (reasons above)` : ''}\n`,
  );
  return failedCount > 0 ? 1 : 0;
}

/** The scripts the discovered Dockerfiles (and image-build templates) run, and the stage each runs in. */
async function scriptFacts(
  engine: Engine,
  files: readonly DiscoveredFile[],
  otherFiles: readonly string[],
  args: CliArgs,
  resolver: SettingsResolver,
  cwd: string,
): Promise<{ index: ScriptIndex; roots: string[]; runners: ScriptRunners; locate: ContextLocator }> {
  const roots = scanRoots(args.paths);
  const contexts = new BuildContexts([...files.map((f) => f.path), ...otherFiles], roots);
  const index = emptyScriptIndex();
  const runners = new ScriptRunners();
  for (const file of files) {
    if (!engine.runsScripts(file.kind)) continue;
    const read = await readSource(file.path, args.maxBytes);
    if ('skipped' in read) continue;
    const source = { path: file.path, kind: file.kind, text: read.text };
    const model = engine.model(lintInputFor(engine.kinds, source, resolver));
    addScriptUse(index, file.path, engine.scriptUses(source, model), contexts.locate);
    runners.set(file.path, model, path.relative(cwd, file.path) || file.path);
  }
  await addTemplateScripts(index, otherFiles.filter(isImageBuildTemplate));
  return { index, roots, runners, locate: contexts.locate };
}

async function withOriginalBom(filePath: string, text: string): Promise<string> {
  const head = Buffer.alloc(3);
  const handle = await fs.promises.open(filePath, 'r');
  try {
    await handle.read(head, 0, 3, 0);
  } finally {
    await handle.close();
  }
  return head.equals(Buffer.from([0xef, 0xbb, 0xbf])) ? '\uFEFF' + text : text;
}

async function writeAtomically(filePath: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(filePath), `.${path.basename(filePath)}.driftguard-${process.pid}.tmp`);
  const mode = (await fs.promises.stat(filePath)).mode;
  try {
    await fs.promises.writeFile(tmp, text, { mode });
    await fs.promises.rename(tmp, filePath);
  } catch (error) {
    await fs.promises.rm(tmp, { force: true });
    throw error;
  }
}

/**
 * The git server action refs are pinned against: `GITHUB_SERVER_URL` (default github.com) and the
 * token in `GITHUB_TOKEN`/`GH_TOKEN`, both from the environment only.
 */
function actionService(args: CliArgs): { actions?: ActionRefService; actionsUnavailable?: string } {
  try {
    return {
      actions: new ActionRefService({
        ...githubAccess(process.env),
        ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
        ...(args.caFile ? { http: { caFile: args.caFile } } : {}),
      }),
    };
  } catch (error) {
    return { actionsUnavailable: `GITHUB_SERVER_URL: ${describeFailure(error)}` };
  }
}
