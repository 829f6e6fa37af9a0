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
export class ComposeModel {
  readonly yaml: YamlFile;
  private readonly env: Map<string, string>;
  private serviceList: ComposeService[] | undefined;
  private budgetError: string | undefined;

  constructor(
    readonly source: SourceText,
    dotenv?: string,
  ) {
    this.yaml = new YamlFile(source);
    this.env = dotenv ? parseDotenv(dotenv) : new Map<string, string>();
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

  /** `services.*.image` of services that pull (no `build:`), each scalar node reported once. */
  imageReferences(): ImageReference[] {
    const refs: ImageReference[] = [];
    const seen = new Set<Node>();
    for (const service of this.services()) {
      if (service.field('build') !== undefined) continue;
      const node = this.resolve(service.field('image'));
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range || seen.has(node)) continue;
      seen.add(node);
      const ref = this.referenceFromScalar(node);
      if (ref) refs.push(ref);
    }
    return refs;
  }

  private referenceFromScalar(node: Scalar): ImageReference | undefined {
    const [start, end] = node.range!;
    const quote = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
    const range = this.source.rangeOf(start + quote, end - quote);
    const rawText = this.source.text.slice(start + quote, end - quote);
    const written = String(node.value);
    const resolvedText = this.interpolate(written);
    if (!resolvedText || resolvedText.value === '') return undefined;
    const image = parseImageReference(resolvedText.value);
    if (!image) return undefined;
    const ref: ImageReference = {
      source: 'compose-image',
      written: rawText,
      range,
      resolved: resolvedText.value,
      image,
      viaVariable: resolvedText.usedVariables,
    };
    const literal = node.type === Scalar.PLAIN || quote === 1;
    const valueStart = start + quote;
    const escapesFree = this.source.text.slice(valueStart, valueStart + written.length) === written;
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
