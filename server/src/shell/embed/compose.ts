import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Node } from 'yaml';
import type { ComposeModel } from '../../model/compose';
import type { ShellSnippet } from '../snippet';
import { SnippetBuilder } from '../snippet';
import type { ArgvElement } from './argv';
import { argvSnippet } from './argv';

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
      const element = scalarElement(model, node);
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
      const element = isScalar(resolved) ? scalarElement(model, resolved) : undefined;
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
      const element = scalarElement(model, script);
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
    if (isMap(healthcheck)) add(model.resolve(healthcheck.get('test', true)), 'healthcheck', 'healthcheck');
  }
  return snippets;
}

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

/**
 * A scalar's string value with the document offset of each character, found by aligning the value
 * with the written text (quotes, escapes, indentation and folding are skipped). Compose's `$$`
 * escape becomes `$`, as the container receives it.
 */
function scalarElement(model: ComposeModel, node: Scalar): ArgvElement | undefined {
  if (!node.range || (typeof node.value !== 'string' && typeof node.value !== 'number')) return undefined;
  const value = String(node.value);
  const text = model.source.text;
  const [start, end] = node.range;
  let p = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? start + 1 : start;
  const offsets: number[] = [];
  for (let k = 0; k < value.length; k++) {
    const ch = value[k]!;
    let q = p;
    const limit = Math.min(end, p + 256);
    while (q < limit && !(text[q] === ch || (ch === ' ' && text[q] === '\n'))) q++;
    if (q < limit) {
      offsets.push(q);
      p = q + 1;
    } else offsets.push(Math.min(p, end));
  }
  let out = '';
  const outOffsets: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '$' && value[i + 1] === '$') {
      out += '$';
      outOffsets.push(offsets[i]!);
      i++;
      continue;
    }
    out += value[i];
    outOffsets.push(offsets[i]!);
  }
  outOffsets.push(offsets.length > 0 ? Math.min(offsets[offsets.length - 1]! + 1, end) : p);
  return { value: out, offsets: outOffsets, written: [start, end] };
}
