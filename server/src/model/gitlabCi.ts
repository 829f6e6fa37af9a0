import { isMap, isScalar, Node, YAMLMap } from 'yaml';
import type { SourceText } from './positions';
import { CiYamlModel, type CiViews } from './ciYamlModel';
import type { ShellSnippet } from '../shell/snippet';
import type { ImageReference } from './imageRef';
import { imageReferenceAt, type WrittenValue } from './imageAt';
import { GITLAB_INPUT, scriptSnippet, yamlScalarElement } from '../shell/embed/yamlScalar';

/** Top-level keys of `.gitlab-ci.yml` that are not jobs. */
const GLOBAL_KEYS = new Set([
  'image',
  'services',
  'stages',
  'types',
  'before_script',
  'after_script',
  'variables',
  'cache',
  'include',
  'default',
  'workflow',
  'spec',
]);

const SCRIPT_KEYS = ['before_script', 'script', 'after_script'] as const;

/**
 * A GitLab CI file (`.gitlab-ci.yml`, `*.gitlab-ci.yml`, `.gitlab/ci/*.yml`; a CI/CD component's
 * `spec:` header document is skipped), parsed once. Views: images (`image` and `services`, as a
 * string or `name:`, at the top level, in `default:` and in jobs, hidden template jobs included),
 * with the file's own `variables` substituted; and the scripts (`before_script`, `script`,
 * `after_script`, each line of a list a snippet), run on the CI runner. Jobs tagged for Windows
 * runners (PowerShell) are skipped.
 */
export class GitLabCiModel extends CiYamlModel {
  constructor(source: SourceText) {
    super(source, { specHeader: true });
  }

  protected read(views: CiViews): void {
    const y = this.yaml;
    const root = y.root;
    if (!root) return;
    const seen = new Set<Node>();
    const globals = y.get(root, 'variables');
    const holders: Array<{ map: YAMLMap; jobVariables?: Node }> = [{ map: root }];
    const defaults = y.get(root, 'default');
    if (isMap(defaults)) holders.push({ map: defaults });
    for (const entry of y.entries(root)) {
      if (GLOBAL_KEYS.has(entry.key) || !isMap(entry.value)) continue;
      const job = entry.value;
      const variables = y.get(job, 'variables');
      holders.push({ map: job, ...(variables ? { jobVariables: variables } : {}) });
    }
    for (const { map, jobVariables } of holders) {
      const lookup = (name: string): string | null =>
        this.variable(jobVariables, name) ?? this.variable(globals, name) ?? null;
      const target = (name: string): WrittenValue | undefined =>
        this.variableSpan(jobVariables, name) ?? this.variableSpan(globals, name);
      const image = y.get(map, 'image');
      this.addImage(views, isMap(image) ? y.get(image, 'name') : image, 'gitlab-image', seen, lookup, target);
      for (const service of y.items(y.get(map, 'services')))
        this.addImage(views, isMap(service) ? y.get(service, 'name') : service, 'gitlab-service', seen, lookup, target);
      if (map !== root && this.windowsJob(map)) continue;
      // `before_script` and `script` run in one shell, `after_script` in another; each starts in the
      // project's folder.
      const shells: ShellSnippet[][] = [[], []];
      for (const key of SCRIPT_KEYS) {
        const script = y.get(map, key);
        const lines = isScalar(script) ? [script] : y.items(script);
        for (const line of lines) {
          if (!isScalar(line) || seen.has(line)) continue;
          seen.add(line);
          const element = yamlScalarElement(this.source.text, line);
          if (!element) continue;
          const snippet = scriptSnippet(element, { place: 'ci-runner', origin: key }, GITLAB_INPUT);
          views.snippets.push(snippet);
          shells[key === 'after_script' ? 1 : 0]!.push(snippet);
        }
      }
      for (const snippets of shells) if (snippets.length > 0) views.shellRuns.push({ snippets, workingDirectory: '' });
    }
  }

  /** A job whose runner tags name Windows runs its scripts in PowerShell. */
  private windowsJob(job: YAMLMap): boolean {
    return this.yaml.items(this.yaml.get(job, 'tags')).some((tag) => /windows/i.test(this.yaml.text(tag) ?? ''));
  }

  /** A variable's value as the file defines it (`NAME: value` or `NAME: { value: … }`). */
  private variable(variables: Node | undefined, name: string): string | undefined {
    const node = this.yaml.get(variables, name);
    return this.yaml.text(isMap(node) ? this.yaml.get(node, 'value') : node);
  }

  private variableSpan(variables: Node | undefined, name: string): WrittenValue | undefined {
    const node = this.yaml.get(variables, name);
    const value = isMap(node) ? this.yaml.get(node, 'value') : node;
    return isScalar(value) ? this.yaml.span(value) : undefined;
  }

  private addImage(
    views: { images: ImageReference[] },
    node: Node | undefined,
    kind: string,
    seen: Set<Node>,
    lookup: (name: string) => string | null,
    variableTarget: (name: string) => WrittenValue | undefined,
  ): void {
    if (!isScalar(node) || seen.has(node)) return;
    const span = this.yaml.span(node);
    if (!span) return;
    seen.add(node);
    const ref = imageReferenceAt(this.source, span, kind, { lookup, variableTarget });
    if (ref) views.images.push(ref);
  }
}
