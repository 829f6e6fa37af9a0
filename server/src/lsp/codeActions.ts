import { CodeActionKind, type CodeAction, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { Problem } from '../engine/types';
import type { DocumentModel } from '../engine/documentModel';
import { ignoreFixes } from '../engine/ignoreFixes';
import { hostFixesOf } from '../rules';
import type { RegistryService } from './registryService';
import type { PackageService } from './packageService';
import type { ScriptRunner } from '../pin/packageTargets';
import { fixToCodeAction } from './convert';
import { CLIENT_COMMANDS } from './protocol';
import { isPinActionData, pinCodeActions, resolvePinAction } from './pinFeatures';
import { checksumCodeActions, isChecksumActionData, resolveChecksumAction } from './checksumFeatures';
import { baseOfTarget, isPackagePinActionData, packageCodeActions, resolvePackagePinAction } from './packageFeatures';
import { ActionPinData, actionPinCodeActions, isActionPinData, resolveActionPinAction } from './actionFeatures';
import type { ActionLookups } from './actionLookups';

/** What a quick-fix provider knows of the document and the client when it is asked. */
export interface QuickFixContext {
  uri: string;
  version: number;
  model: DocumentModel;
  registry: RegistryService;
  packages: PackageService;
  /** The git server action refs are resolved on. */
  actions: ActionLookups;
  /** The client applies versioned `documentChanges` edits. */
  documentChanges: boolean;
  /** The client applies snippet text edits. */
  snippets: boolean;
  /** For a build script: the Dockerfile stage that runs it. */
  scriptRunner?: ScriptRunner | undefined;
  /** The client applies LSP 3.18 snippet text edits. */
  snippetEdits: boolean;
  /** Client commands actions may run (initializationOptions.commands). */
  clientCommands: ReadonlySet<string>;
  /** True the first time a title is asked for in this request: actions about a rule are listed once. */
  once(title: string): boolean;
  /** The edit that turns a rule off in the `.driftguard.yaml` that applies to the document (or a new one). */
  disableRuleEdit(ruleId: string): WorkspaceEdit | undefined;
}

/**
 * Code actions for one problem in the requested range, listed without waiting on the network: an
 * action that needs it carries `data` and gets its edit from the resolver that accepts that data.
 */
export type QuickFixProvider = (problem: Problem, diagnostic: Diagnostic, context: QuickFixContext) => CodeAction[];

/** What resolving a lazily listed action may use. */
export interface ResolveContext {
  registry: RegistryService;
  packages: PackageService;
  actions: ActionLookups;
  /** The document model as last linted, if `version` is still the document's current one. */
  modelOf(uri: string, version: number): DocumentModel | undefined;
  documentChanges: boolean;
  signal: AbortSignal;
}

/** Computes the edit of an action listed with `data` (`codeAction/resolve`), or disables it with a reason. */
export interface CodeActionResolver {
  accepts(data: unknown): boolean;
  resolve(action: CodeAction, context: ResolveContext): Promise<CodeAction>;
}

/** Registry pins for image findings (lazy: the registry is asked when one is picked). */
export const pinQuickFixes: QuickFixProvider = (problem, diagnostic, c) =>
  pinCodeActions(problem, diagnostic, c.uri, c.version, c.registry, c.documentChanges);

/** Commit pins for actions at a tag or branch (lazy: the git server is asked when one is picked). */
export const actionPinQuickFixes: QuickFixProvider = (problem, diagnostic, c) =>
  actionPinCodeActions(problem, diagnostic, c.model, c.uri, c.version, c.actions, c.documentChanges);

/** `ADD --checksum` for remote ADD sources (lazy: the file is downloaded when picked). */
export const checksumQuickFixes: QuickFixProvider = (problem, diagnostic, c) =>
  checksumCodeActions(problem, diagnostic, c.uri, c.version, c.registry);

/** Package version pins from the package index (lazy: looked up when picked). */
export const packageQuickFixes: QuickFixProvider = (problem, diagnostic, c) =>
  packageCodeActions(problem, diagnostic, c.model, c.uri, c.version, c.packages, c.documentChanges, c.scriptRunner);

/** The offer to pin a stage's base image to its digest, on the packages whose release it decides. */
export const baseDigestQuickFixes: QuickFixProvider = (problem, diagnostic, c) => {
  if (!hostFixesOf(problem.ruleId).packagePin) return [];
  const base = baseOfTarget(c.model, problem.range);
  const ref = base && c.model.imageReferences().find((r) => r.source === 'from' && r.range.start.line === base.line);
  if (!base || !ref) return [];
  const synthetic: Problem = {
    ruleId: 'image-unpinned-digest',
    severity: problem.severity,
    message: '',
    messageId: 'unpinned',
    range: ref.range,
    fixes: [],
    hostData: { reference: ref.resolved, ...(ref.editTarget ? { editTarget: ref.editTarget } : {}) },
  };
  return pinCodeActions(synthetic, diagnostic, c.uri, c.version, c.registry, c.documentChanges).map((a) => ({
    ...a,
    title: `Pin base image ${base.reference} to its digest (its tag moves between releases)`,
    isPreferred: false,
  }));
};

/** The engine's own fixes, reported with the problem. */
export const ruleQuickFixes: QuickFixProvider = (problem, diagnostic, c) =>
  problem.fixes.map((fix) => fixToCodeAction(fix, c.uri, c.version, [diagnostic], c));

/** Ignore comments for the finding, on its line or for the file. */
export const ignoreQuickFixes: QuickFixProvider = (problem, diagnostic, c) =>
  ignoreFixes(c.model, problem)
    .filter((fix) => fix.edits.length > 0)
    .map((fix) => fixToCodeAction(fix, c.uri, c.version, [diagnostic], c));

/** "Show documentation for <rule>", once per rule in the menu, where the client can open the page. */
export const docsQuickFixes: QuickFixProvider = (problem, diagnostic, c) => {
  const title = `Show documentation for ${problem.ruleId}`;
  if (!c.clientCommands.has(CLIENT_COMMANDS.openDocs) || !c.once(title)) return [];
  return [
    {
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title, command: CLIENT_COMMANDS.openDocs, arguments: [`rules/${problem.ruleId}`] },
    },
  ];
};

/** "Disable <rule> in this workspace": `rules.<id>: off` in the `.driftguard.yaml` that applies (created if none). */
export const disableRuleQuickFixes: QuickFixProvider = (problem, diagnostic, c) => {
  const title = `Disable ${problem.ruleId} in this workspace (.driftguard.yaml)`;
  if (problem.ruleId === 'ignore-unknown-rule' || !c.once(title)) return [];
  const edit = c.disableRuleEdit(problem.ruleId);
  return edit ? [{ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit }] : [];
};

/** Quick fixes in the order the editor lists them: network-backed pins first, then ignore comments, rule control. */
export const QUICK_FIX_PROVIDERS: readonly QuickFixProvider[] = [
  pinQuickFixes,
  actionPinQuickFixes,
  checksumQuickFixes,
  packageQuickFixes,
  baseDigestQuickFixes,
  ruleQuickFixes,
  ignoreQuickFixes,
  disableRuleQuickFixes,
  docsQuickFixes,
];

export const CODE_ACTION_RESOLVERS: readonly CodeActionResolver[] = [
  {
    accepts: isPinActionData,
    resolve: (action, c) => resolvePinAction(action, c.registry, c.documentChanges, c.signal),
  },
  {
    accepts: isPackagePinActionData,
    resolve: async (action, c) => {
      // Nothing is looked up for an untrusted workspace, whatever a client sends.
      const reason = c.packages.unavailableReason();
      if (reason) return { ...action, disabled: { reason } };
      return resolvePackagePinAction(action, c.packages, c.documentChanges, c.signal);
    },
  },
  {
    accepts: isActionPinData,
    resolve: (action, c) => {
      const { uri, version } = action.data as ActionPinData;
      return resolveActionPinAction(action, c.modelOf(uri, version), c.actions, c.documentChanges, c.signal);
    },
  },
  {
    accepts: isChecksumActionData,
    resolve: (action, c) => resolveChecksumAction(action, c.registry, c.documentChanges, c.signal),
  },
];
