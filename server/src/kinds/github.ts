import { ActionMetadataModel, GitHubActionsModel, WorkflowModel } from '../model/githubActions';
import { defineKind } from './kind';
import { yamlComments } from './yamlComments';
import { ciStepBuildDefinitions, ciStepScriptUse, upToFolderHolding } from './ciSteps';

const WORKFLOW = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
const ACTION = /^action\.ya?ml$/;

const comments = yamlComments((model: GitHubActionsModel) => model.yaml);
/** Steps run in the repository's root (the job's workspace); workflows sit in its `.github/workflows`. */
const stepRoot = upToFolderHolding('.github');

/**
 * GitHub Actions workflows: `.github/workflows/*.yml|yaml`, claimed by folder (so
 * `.github/workflows/docker-compose.yml` is a workflow, not a Compose file). Action refs: steps'
 * and reusable-workflow jobs' `uses:`. Images: `jobs.*.container`, `jobs.*.services.*.image`,
 * `uses: docker://…`. Shell: `run:` steps run by bash or sh (PowerShell, the default on Windows
 * runners, is skipped), on the CI runner.
 */
export const workflow = defineKind({
  id: 'workflow',
  detection: { byPath: ({ path }) => (WORKFLOW.test(path) ? 'folder' : undefined) },
  editor: {
    languageIds: ['github-actions-workflow'],
    sharedLanguageIds: ['yaml'],
    filePatterns: ['**/.github/workflows/*.{yml,yaml}'],
    workspaceMarkers: ['.github/workflows'],
  },
  parse: (source) => new WorkflowModel(source),
  skipReason: (model) => model.skipReason(),
  comments,
  shellSnippets: (model) => model.shellSnippets(),
  imageReferences: (model) => model.imageReferences(),
  actionUses: (model) => model.actionUses(),
  scriptUses: (model, document) => ciStepScriptUse(document, model.shellRuns(), stepRoot),
  buildDefinitions: (model, document) => ciStepBuildDefinitions(document, model.shellRuns(), stepRoot),
});

/**
 * GitHub action metadata (`action.yml|yaml`). Composite actions: `runs.steps` as in a workflow
 * (each step names its shell); Docker actions: `runs.image: docker://…`.
 */
export const action = defineKind({
  id: 'action',
  detection: { byPath: ({ base }) => (ACTION.test(base) ? 'name' : undefined) },
  editor: {
    languageIds: [],
    sharedLanguageIds: ['yaml'],
    filePatterns: ['**/action.{yml,yaml}'],
    workspaceMarkers: ['action.yml', 'action.yaml'],
  },
  parse: (source) => new ActionMetadataModel(source),
  skipReason: (model) => model.skipReason(),
  comments,
  shellSnippets: (model) => model.shellSnippets(),
  imageReferences: (model) => model.imageReferences(),
  actionUses: (model) => model.actionUses(),
  // A composite action's steps run in the workspace of the repository that uses it: known only for a
  // local action under `.github/` (`.github/actions/x/action.yml`).
  scriptUses: (model, document) => ciStepScriptUse(document, model.shellRuns(), stepRoot),
  buildDefinitions: (model, document) => ciStepBuildDefinitions(document, model.shellRuns(), stepRoot),
});
