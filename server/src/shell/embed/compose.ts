import { isMap, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { ComposeModel } from '../../model/compose';
import type { ShellSnippet } from '../snippet';
import { SnippetBuilder } from '../snippet';
import type { ArgvElement } from './argv';
import { argvSnippet } from './argv';
import { yamlScalarElement } from './yamlScalar';

/**
 * Shell code of `command`, `entrypoint` and `healthcheck.test` of every service (merge keys
 * resolved; a node shared through an anchor is analysed once). They run at every container start.
 * String forms are parsed as shell text; list forms are exec argv (`CMD-SHELL` takes a script).
 */
export function composeShell(model: ComposeModel): ShellSnippet[] {
  const snippets: ShellSnippet[] = [];
  const seen = new Set<Node>();
  const add = (node: Node | undefined, origin: string, list: 'argv' | 'healthcheck') => {
    if (!node || seen.has(node)) return;
    seen.add(node);
    const meta = { place: 'container-start' as const, origin };
    if (isScalar(node)) {
      const element = yamlScalarElement(model.source.text, node, DOLLAR_ESCAPE);
      if (element)
        snippets.push(
          new SnippetBuilder()
            .mapped(element.value, element.offsets)
            .build(element.offsets[element.value.length]!, { ...meta, editable: false, depth: 0 }),
        );
      return;
    }
    if (!isSeq(node)) return;
    const elements: ArgvElement[] = [];
    for (const item of node.items) {
      const resolved = model.resolve(item);
      const element = isScalar(resolved) ? yamlScalarElement(model.source.text, resolved, DOLLAR_ESCAPE) : undefined;
      if (!element) return;
      elements.push(element);
    }
    if (list === 'healthcheck') {
      const kind = elements.shift()?.value;
      if (kind === 'CMD-SHELL' && elements[0]) {
        const script = elements[0];
        snippets.push(
          new SnippetBuilder()
            .mapped(script.value, script.offsets)
            .build(script.offsets[script.value.length]!, { ...meta, editable: false, depth: 0 }),
        );
        return;
      }
      if (kind !== 'CMD') return;
    }
    const snippet = argvSnippet(elements, meta);
    if (snippet) snippets.push(snippet);
  };
  for (const service of model.services()) {
    const command = model.resolve(service.field('command'));
    const entrypoint = model.resolve(service.field('entrypoint'));
    // `entrypoint: ["sh", "-c"]` + `command: ["<script>", …]`: the first command element is the
    // script the shell runs (later elements are its $0, $1…), not a program name.
    const script =
      entrypoint && isShellDashC(model, entrypoint) && isSeq(command) ? model.resolve(command.items[0]) : undefined;
    if (script && isScalar(script) && command && !seen.has(command)) {
      seen.add(command);
      seen.add(entrypoint!);
      const element = yamlScalarElement(model.source.text, script, DOLLAR_ESCAPE);
      if (element)
        snippets.push(
          new SnippetBuilder().mapped(element.value, element.offsets).build(element.offsets[element.value.length]!, {
            place: 'container-start',
            origin: 'command',
            editable: false,
            depth: 0,
          }),
        );
    }
    add(command, 'command', 'argv');
    add(entrypoint, 'entrypoint', 'argv');
    const healthcheck = model.resolve(service.field('healthcheck'));
    if (isMap(healthcheck)) add(model.yaml.get(healthcheck, 'test'), 'healthcheck', 'healthcheck');
  }
  return snippets;
}

/** Compose's `$$` escape: the container receives `$`. */
const DOLLAR_ESCAPE = { dollarEscape: true };

const SHELL_PROGRAM = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|ash|dash|zsh)$/;

/**
 * `["sh", "-c"]`, `["/bin/bash", "-ec"]`, or the string `sh -c`: an entrypoint that runs its first argument as a
 * script.
 */
function isShellDashC(model: ComposeModel, node: Node): boolean {
  const words = isSeq(node)
    ? node.items.map((i) => model.resolve(i)).map((i) => (isScalar(i) ? String(i.value) : ''))
    : isScalar(node) && typeof node.value === 'string'
      ? node.value.trim().split(/\s+/)
      : [];
  return words.length >= 2 && SHELL_PROGRAM.test(words[0]!) && /^-[a-z]*c$/.test(words[words.length - 1]!);
}
