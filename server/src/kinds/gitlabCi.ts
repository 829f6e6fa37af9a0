import { GitLabCiModel } from '../model/gitlabCi';
import { defineKind } from './kind';
import { yamlComments } from './yamlComments';
import { ciStepBuildDefinitions, ciStepScriptUse, upToFolderHolding } from './ciSteps';

const GITLAB_CI = /^(?:.+\.)?\.?gitlab-ci\.ya?ml$/;
const GITLAB_CI_FOLDER = /(?:^|\/)\.gitlab\/ci\/.+\.ya?ml$/;
const gitlabRoot = upToFolderHolding('.gitlab');
/** Jobs run in the repository's root: the folder of `.gitlab-ci.yml`, or the one holding `.gitlab/ci/`. */
const projectRoot = (filePath: string) => gitlabRoot(filePath) ?? '';

/**
 * GitLab CI: `.gitlab-ci.yml`, `*.gitlab-ci.yml`, and YAML files under `.gitlab/ci/` (included
 * pipelines; claimed by folder). Images: `image` and `services` everywhere they may stand. Shell:
 * `before_script`, `script`, `after_script`, on the CI runner.
 */
export const gitlabCi = defineKind({
  id: 'gitlab-ci',
  detection: {
    byPath: ({ path, base }) => (GITLAB_CI_FOLDER.test(path) ? 'folder' : GITLAB_CI.test(base) ? 'name' : undefined),
  },
  editor: {
    languageIds: [],
    sharedLanguageIds: ['yaml'],
    filePatterns: ['**/{.gitlab-ci,*.gitlab-ci}.{yml,yaml}', '**/.gitlab/ci/**/*.{yml,yaml}'],
    workspaceMarkers: ['.gitlab-ci.yml', '.gitlab-ci.yaml', '.gitlab/ci'],
  },
  parse: (source) => new GitLabCiModel(source),
  skipReason: (model) => model.skipReason(),
  comments: yamlComments((model: GitLabCiModel) => model.yaml),
  shellSnippets: (model) => model.shellSnippets(),
  imageReferences: (model) => model.imageReferences(),
  scriptUses: (model, document) => ciStepScriptUse(document, model.shellRuns(), projectRoot),
  buildDefinitions: (model, document) => ciStepBuildDefinitions(document, model.shellRuns(), projectRoot),
});
