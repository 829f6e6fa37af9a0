/**
 * YAML files built to make merge-key (`<<`) lookups expensive, for each YAML file kind: the
 * security tests and the bench (test/bench/hostileYaml.js) generate them, nothing is stored.
 */

export type YamlKind = 'compose' | 'workflow' | 'gitlab-ci';

interface Shape {
  /** The file name the kind is detected by. */
  file: string;
  /** Text before the map whose entries the kind reads (services, jobs, or the top level). */
  header: string;
  indent: string;
  /** A flow map each entry can be: one unpinned image (`alpine`, reported once where written). */
  base: string;
  /** Where anchors that are not entries themselves are kept. */
  anchorsHeader: string;
}

export const YAML_SHAPES: Record<YamlKind, Shape> = {
  compose: {
    file: 'compose.yaml',
    header: 'services:\n',
    indent: '  ',
    base: '{image: alpine}',
    anchorsHeader: 'x-anchors:\n',
  },
  workflow: {
    file: '.github/workflows/ci.yml',
    header: 'on: push\njobs:\n',
    indent: '  ',
    base: '{runs-on: ubuntu-latest, container: alpine, steps: [{run: make}]}',
    anchorsHeader: 'x-anchors:\n',
  },
  'gitlab-ci': {
    file: '.gitlab-ci.yml',
    header: '',
    indent: '',
    base: '{image: alpine, script: make}',
    anchorsHeader: '.anchors:\n',
  },
};

/**
 * Entry k is an anchor merging entry k−1 `fanout` times, over `levels` levels: a lookup that
 * follows every merge visits fanout^levels maps (the 410-byte Compose file that hung the server
 * has 6 and 10).
 */
export function mergeFanout(kind: YamlKind, levels = 10, fanout = 6): string {
  const { header, indent, base } = YAML_SHAPES[kind];
  let text = `${header}${indent}l0: &a0 ${base}\n`;
  for (let k = 1; k <= levels; k++)
    text += `${indent}l${k}: &a${k} {<<: [${Array<string>(fanout)
      .fill(`*a${k - 1}`)
      .join(', ')}]}\n`;
  return text;
}

/** `count` entries that each merge the first one (`<<: *d`), as a plain file sharing one template does. */
export function sharedAnchor(kind: YamlKind, count = 3000): string {
  const { header, indent, base } = YAML_SHAPES[kind];
  let text = `${header}${indent}s0: &d ${base}\n`;
  for (let i = 1; i < count; i++) text += `${indent}s${i}:\n${indent}  <<: *d\n`;
  return text;
}

/**
 * `count` anchors, each merging the one before it and adding a key, and one map (the entries the
 * kind reads) merging them all: its merged entries number count²/2 for a file of size ~count,
 * which no memo can shorten.
 */
export function chainedAnchors(kind: YamlKind, count = 600): string {
  const { header, indent, anchorsHeader } = YAML_SHAPES[kind];
  let text = `${anchorsHeader}  c0: &c0 {k0: 0}\n`;
  for (let i = 1; i < count; i++) text += `  c${i}: &c${i} {<<: *c${i - 1}, k${i}: ${i}}\n`;
  const all = Array.from({ length: count }, (_, i) => `*c${i}`).join(', ');
  return `${text}${header}${indent}<<: [${all}]\n`;
}
