import { Document, isMap, isPair, isScalar, Node, Pair, Scalar, YAMLMap } from 'yaml';
import type { Range } from '../engine/types';
import type { SourceText } from './positions';
import { interpolate } from './interpolate';
import { ImageReference, parseImageReference } from './imageRef';
import { parseDotenv } from './dotenv';
import { yamlPairRange } from './yamlLayout';
import { YamlBudgetError, YamlFile } from './yamlFile';
import { BuildDefinition, dockerfileBesideContext, isLocalContext, namedContextPair } from './buildDefinition';

/** A Compose service as the rules see it, with merge keys (`<<: *anchor`) applied. */
export interface ComposeService {
  name: string;
  nameRange: Range;
  /** The service's mapping node. */
  node: YAMLMap;
  /** Effective value node of a key: written in the service or merged from an anchor. */
  field(key: string): Node | undefined;
}

/**
 * A Compose file parsed once with the yaml Document API; ranges come from node ranges. Services
 * are the entries of `services:` (merged ones included); their keys are read through the file's
 * memoised merge lookups, under its budget of nodes visited (`skipReason` says when it is spent).
 */
/** A named build context's value that names an image (`docker-image://alpine:3`). */
const DOCKER_IMAGE = 'docker-image://';

export class ComposeModel {
  readonly yaml: YamlFile;
  private readonly env: Map<string, string>;
  private serviceList: ComposeService[] | undefined;
  private budgetError: string | undefined;

  /** @param parsed the parse to read again (see `reread`) instead of parsing `source` */
  constructor(
    readonly source: SourceText,
    private readonly dotenv?: string,
    parsed?: YamlFile,
  ) {
    this.yaml = parsed ?? new YamlFile(source);
    this.env = dotenv ? parseDotenv(dotenv) : new Map<string, string>();
  }

  /** The same parse for another reader, as a new parse would give it (see `YamlFile.reread`). */
  reread(): ComposeModel {
    return new ComposeModel(this.source, this.dotenv, this.yaml.reread());
  }

  get document(): Document.Parsed {
    return this.yaml.document;
  }

  /** Parse errors; when present the file is not linted (a reason is reported instead). */
  get errors(): readonly string[] {
    return this.yaml.errors;
  }

  /** Why the file is not analysed: invalid YAML, or merge keys beyond the budget. */
  skipReason(): string | undefined {
    if (this.errors.length > 0) return this.errors[0];
    this.services();
    return this.budgetError;
  }

  rangeOfNode(node: Node | Pair): Range | undefined {
    const r = isPair(node) ? yamlPairRange(node) : node.range;
    return r ? this.source.rangeOf(r[0], r[1]) : undefined;
  }

  /** Follows an alias to the node it names. */
  resolve(node: unknown): Node | undefined {
    return this.yaml.resolve(node);
  }

  /** The services, computed once; none when merge keys spent the budget. */
  services(): ComposeService[] {
    if (this.serviceList) return this.serviceList;
    const yaml = this.yaml;
    const result: ComposeService[] = [];
    try {
      for (const entry of yaml.entries(yaml.get(yaml.root, 'services'))) {
        const node = entry.value;
        if (!isMap(node) || !entry.keyNode.range) continue;
        const nameRange = this.source.rangeOf(entry.keyNode.range[0], entry.keyNode.range[1]);
        result.push({ name: entry.key, nameRange, node, field: (key) => yaml.get(node, key) });
      }
    } catch (error) {
      if (!(error instanceof YamlBudgetError)) throw error;
      this.budgetError = error.message;
      result.length = 0;
    }
    return (this.serviceList = result);
  }

  /** Compose interpolation with `.env` values only, so every scan of the repository agrees. */
  interpolate(text: string): ReturnType<typeof interpolate> {
    return interpolate(text, (name) => this.env.get(name), { dollarEscape: true });
  }

  /**
   * The builds of services with `build:` (a context, or `context`, `dockerfile` and
   * `additional_contexts`), against the Compose file's folder. Remote contexts, inline Dockerfiles
   * and values whose variables `.env` does not settle are left out.
   */
  builds(): BuildDefinition[] {
    if (this.skipReason() !== undefined) return [];
    try {
      return this.services().flatMap((service) => this.buildOf(service) ?? []);
    } catch (error) {
      if (error instanceof YamlBudgetError) return [];
      throw error;
    }
  }

  private buildOf(service: ComposeService): BuildDefinition | undefined {
    const build = this.resolve(service.field('build'));
    if (!isMap(build)) {
      const context = this.text(build);
      return context !== undefined && isLocalContext(context)
        ? { base: 'file', context, dockerfile: dockerfileBesideContext(context, undefined), namedContexts: [] }
        : undefined;
    }
    const field = (key: string) => this.yaml.get(build, key);
    if (field('dockerfile_inline') !== undefined) return undefined;
    const context = field('context') === undefined ? '.' : this.text(field('context'));
    const dockerfile = this.text(field('dockerfile'));
    if (context === undefined || !isLocalContext(context)) return undefined;
    if (field('dockerfile') !== undefined && dockerfile === undefined) return undefined;
    const named = field('additional_contexts');
    const namedContexts: Array<[string, string]> = [];
    // A value `.env` does not settle still names a context (not an image): its place is unknown ('').
    if (isMap(named))
      for (const entry of this.yaml.entries(named)) namedContexts.push([entry.key, this.text(entry.value) ?? '']);
    else
      for (const item of this.yaml.items(named)) {
        const pair = namedContextPair(this.yaml.text(item) ?? '');
        if (pair) namedContexts.push([pair[0], this.interpolate(pair[1])?.value ?? '']);
      }
    return { base: 'file', context, dockerfile: dockerfileBesideContext(context, dockerfile), namedContexts };
  }

  /** A scalar's string value with `.env` values put in; undefined for other nodes and unsettled variables. */
  private text(node: unknown): string | undefined {
    const value = this.yaml.text(node);
    return value === undefined ? undefined : this.interpolate(value)?.value;
  }

  /**
   * `services.*.image` of services that pull (no `build:`), and the images named build contexts
   * take (`additional_contexts: base: docker-image://alpine:3`, or `- base=docker-image://…`), each
   * scalar node reported once.
   */
  imageReferences(): ImageReference[] {
    const refs: ImageReference[] = [];
    const seen = new Set<Node>();
    const add = (node: unknown, source: string, skip = 0) => {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range || seen.has(node)) return;
      seen.add(node);
      const ref = this.referenceFromScalar(node, source, skip);
      if (ref) refs.push(ref);
    };
    for (const service of this.services()) {
      if (service.field('build') === undefined) add(this.resolve(service.field('image')), 'compose-image');
      const build = this.resolve(service.field('build'));
      const named = isMap(build) ? this.yaml.get(build, 'additional_contexts') : undefined;
      const values = isMap(named) ? this.yaml.entries(named).map((e) => e.value) : this.yaml.items(named);
      for (const value of values) {
        const text = isScalar(value) && typeof value.value === 'string' ? value.value : '';
        const at = text.indexOf(DOCKER_IMAGE);
        // Map values are the context itself; list entries are `name=value`.
        if (at === (isMap(named) ? 0 : text.indexOf('=') + 1) && at >= 0)
          add(value, 'compose-context', at + DOCKER_IMAGE.length);
      }
    }
    return refs;
  }

  /** The image a scalar names, from its `skip`-th character on (after a `docker-image://` prefix). */
  private referenceFromScalar(node: Scalar, source: string, skip: number): ImageReference | undefined {
    const [start, end] = node.range!;
    const quote = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
    const written = String(node.value).slice(skip);
    const literal = node.type === Scalar.PLAIN || quote === 1;
    const escapesFree = this.source.text.slice(start + quote, start + quote + skip + written.length) === node.value;
    // A prefix is skipped in the document only where the value is written as it reads.
    if (skip > 0 && !(literal && escapesFree)) return undefined;
    const valueStart = start + quote + skip;
    const range = this.source.rangeOf(valueStart, end - quote);
    const rawText = this.source.text.slice(valueStart, end - quote);
    const resolvedText = this.interpolate(written);
    if (!resolvedText || resolvedText.value === '') return undefined;
    const image = parseImageReference(resolvedText.value);
    if (!image) return undefined;
    const ref: ImageReference = {
      source,
      written: rawText,
      range,
      resolved: resolvedText.value,
      image,
      viaVariable: resolvedText.usedVariables,
    };
    if (literal && escapesFree && !resolvedText.usedVariables && !written.includes('$')) {
      ref.nameRange = this.source.rangeOf(valueStart, valueStart + image.nameEnd);
      if (image.tagStart !== undefined)
        ref.tagRange = this.source.rangeOf(
          valueStart + image.tagStart,
          valueStart + image.tagStart + image.tag!.length,
        );
      if (image.digestStart !== undefined)
        ref.digestRange = this.source.rangeOf(valueStart + image.digestStart, valueStart + written.length);
      ref.editTarget = { range: this.source.rangeOf(valueStart, valueStart + written.length), text: written };
    } else if (literal && escapesFree && resolvedText.literalSpan) {
      const s = valueStart + resolvedText.literalSpan.start;
      const e = valueStart + resolvedText.literalSpan.end;
      ref.editTarget = { range: this.source.rangeOf(s, e), text: this.source.text.slice(s, e) };
    }
    return ref;
  }
}
