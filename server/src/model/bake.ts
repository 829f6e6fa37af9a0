import { BuildDefinition, dockerfileBesideContext } from './buildDefinition';
import { HclBody, HclValue, parseHcl } from './hcl';

/** Bake files `docker buildx bake` reads by default, and the names projects give theirs. */
const BAKE_FILE = /^docker-bake(?:[.-].+)?\.(?:hcl|json)$/;

export function isBakeFile(baseName: string): boolean {
  return BAKE_FILE.test(baseName);
}

/** A target's attributes that say where its build takes files from; undefined: not written (or not readable). */
interface Target {
  context?: Setting;
  dockerfile?: Setting;
  /** Named contexts: name → value (undefined: written, but not a plain string). */
  contexts?: Array<[string, string | undefined]>;
  inherits: string[];
  inline: boolean;
}

/** A string attribute: its value, or `null` when it is written but not a plain string or known variable. */
type Setting = string | null;

const MAX_INHERITANCE = 16;

/**
 * The builds of a bake file's targets (`target "app" { context, dockerfile, contexts, inherits }`),
 * HCL or JSON, against the bake file's folder. `${VAR}` is replaced by a `variable` block's string
 * default; a target whose context or Dockerfile needs anything else is left out, and so are targets
 * with an inline Dockerfile. Throws on a file that is not HCL or JSON.
 */
export function bakeBuilds(text: string, format: 'hcl' | 'json'): BuildDefinition[] {
  const { variables, targets } = format === 'json' ? fromJson(text) : fromHcl(text);
  const resolve = (value: Setting): Setting => (value === null ? null : substitute(value, variables));
  const builds: BuildDefinition[] = [];
  for (const name of targets.keys()) {
    const target = effective(name, targets);
    if (target.inline) continue;
    const context = target.context === undefined ? '.' : resolve(target.context);
    const dockerfile = target.dockerfile === undefined ? undefined : resolve(target.dockerfile);
    if (context === null || dockerfile === null) continue;
    const namedContexts = (target.contexts ?? []).map(([key, value]): [string, string] => [
      key,
      (value === undefined ? null : resolve(value)) ?? '',
    ]);
    builds.push({
      base: 'file',
      context,
      dockerfile: dockerfileBesideContext(context, dockerfile),
      namedContexts,
    });
  }
  return builds;
}

/** A target with what it inherits applied (its own attributes win; later parents over earlier ones). */
function effective(name: string, targets: ReadonlyMap<string, Target>, depth = 0): Target {
  const own = targets.get(name)!;
  if (depth >= MAX_INHERITANCE || own.inherits.length === 0) return own;
  const merged: Target = { inherits: [], inline: false };
  for (const parent of own.inherits) {
    if (!targets.has(parent) || parent === name) continue;
    const inherited = effective(parent, targets, depth + 1);
    Object.assign(merged, definedOnly(inherited));
  }
  Object.assign(merged, definedOnly(own));
  merged.inline = own.inline || merged.inline;
  return merged;
}

function definedOnly(target: Target): Partial<Target> {
  return Object.fromEntries(Object.entries(target).filter(([, v]) => v !== undefined));
}

/** `${NAME}` replaced by known variables; null when another template sequence remains. */
function substitute(value: string, variables: ReadonlyMap<string, string>): Setting {
  const replaced = value.replace(/\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}/g, (written, name: string) =>
    variables.has(name) ? variables.get(name)! : written,
  );
  return /[$%]\{/.test(replaced) ? null : replaced;
}

function fromHcl(text: string): { variables: Map<string, string>; targets: Map<string, Target> } {
  const body = parseHcl(text);
  const variables = new Map<string, string>();
  const targets = new Map<string, Target>();
  for (const block of body.blocks) {
    const label = block.labels[0];
    if (label === undefined || block.labels.length !== 1) continue;
    if (block.type === 'variable') {
      const value = attribute(block.body, 'default');
      if (value?.kind === 'string' && !value.template) variables.set(label, value.value);
    } else if (block.type === 'target') {
      // A target written in several blocks (several files, or twice) is their merge.
      const target = targets.get(label) ?? { inherits: [], inline: false };
      const read = targetOf(block.body);
      Object.assign(target, definedOnly(read));
      target.inline ||= read.inline;
      targets.set(label, target);
    }
  }
  return { variables, targets };
}

function attribute(body: HclBody, name: string): HclValue | undefined {
  let found: HclValue | undefined;
  for (const [key, value] of body.attributes) if (key === name) found = value;
  return found;
}

function targetOf(body: HclBody): Target {
  const target: Target = { inherits: [], inline: attribute(body, 'dockerfile-inline') !== undefined };
  const context = attribute(body, 'context');
  if (context) target.context = settingOf(context);
  const dockerfile = attribute(body, 'dockerfile');
  if (dockerfile) target.dockerfile = settingOf(dockerfile);
  const contexts = attribute(body, 'contexts');
  if (contexts?.kind === 'object')
    target.contexts = contexts.entries.map(([key, value]) => [key, value.kind === 'string' ? value.value : undefined]);
  const inherits = attribute(body, 'inherits');
  if (inherits?.kind === 'list')
    for (const item of inherits.items) if (item.kind === 'string' && !item.template) target.inherits.push(item.value);
  return target;
}

function settingOf(value: HclValue): Setting {
  return value.kind === 'string' ? value.value : null;
}

function fromJson(text: string): { variables: Map<string, string>; targets: Map<string, Target> } {
  const root: unknown = JSON.parse(text);
  const variables = new Map<string, string>();
  const targets = new Map<string, Target>();
  for (const [name, variable] of objectEntries(field(root, 'variable'))) {
    const value = field(variable, 'default');
    if (typeof value === 'string' && !/[$%]\{/.test(value)) variables.set(name, value);
  }
  for (const [name, written] of objectEntries(field(root, 'target'))) {
    const target: Target = { inherits: [], inline: field(written, 'dockerfile-inline') !== undefined };
    const context = field(written, 'context');
    if (context !== undefined) target.context = typeof context === 'string' ? context : null;
    const dockerfile = field(written, 'dockerfile');
    if (dockerfile !== undefined) target.dockerfile = typeof dockerfile === 'string' ? dockerfile : null;
    const contexts = field(written, 'contexts');
    if (contexts !== undefined)
      target.contexts = objectEntries(contexts).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : undefined,
      ]);
    const inherits = field(written, 'inherits');
    if (Array.isArray(inherits)) for (const p of inherits) if (typeof p === 'string') target.inherits.push(p);
    targets.set(name, target);
  }
  return { variables, targets };
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function objectEntries(value: unknown): Array<[string, unknown]> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
}
