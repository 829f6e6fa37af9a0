import { Node as JsonNode, ParseError, parseTree, printParseErrorCode, findNodeAtLocation } from 'jsonc-parser';
import type { SourceText } from './positions';
import type { ImageReference } from './imageRef';
import { imageReferenceAt } from './imageAt';
import type { ShellPlace, ShellSnippet } from '../shell/snippet';
import type { ArgvElement } from '../shell/embed/argv';
import { argvSnippet } from '../shell/embed/argv';
import { scriptSnippet } from '../shell/embed/yamlScalar';
import { jsonEscapeAt } from '../shell/embed/jsonEscape';

/**
 * Lifecycle commands and where they run: `initializeCommand` on the developer's machine (the
 * host), every other one inside the dev container.
 */
const LIFECYCLE: ReadonlyArray<readonly [string, ShellPlace]> = [
  ['initializeCommand', 'host'],
  ['onCreateCommand', 'dev-container'],
  ['updateContentCommand', 'dev-container'],
  ['postCreateCommand', 'dev-container'],
  ['postStartCommand', 'dev-container'],
  ['postAttachCommand', 'dev-container'],
];

/**
 * A dev container definition (`.devcontainer/devcontainer.json`, `.devcontainer/<name>/devcontainer.json`,
 * `.devcontainer.json`): JSON with comments and trailing commas, parsed by Microsoft's jsonc-parser
 * (ranges from its node offsets). Views: `image`; the keys of `features` that are OCI references
 * (registry-qualified, pinned by digest alone, the form the dev containers CLI accepts); lifecycle
 * commands as a string (run by `/bin/sh -c`), an array (run without a shell) or an object of both
 * (run in parallel).
 */
export class DevcontainerModel {
  readonly root: JsonNode | undefined;
  readonly errors: string[];
  private views: { images: ImageReference[]; snippets: ShellSnippet[] } | undefined;
  private extents: Map<number, number> | undefined;

  constructor(readonly source: SourceText) {
    const errors: ParseError[] = [];
    this.root = parseTree(source.text, errors, { allowTrailingComma: true, disallowComments: false });
    this.errors = errors.map((e) => {
      const pos = source.positionAt(e.offset);
      return `invalid JSON at ${pos.line + 1}:${pos.character + 1}: ${printParseErrorCode(e.error)}`;
    });
    if (this.errors.length === 0 && this.root?.type !== 'object') this.errors.push('not a JSON object');
  }

  imageReferences(): ImageReference[] {
    return this.analysed().images;
  }

  shellSnippets(): ShellSnippet[] {
    return this.analysed().snippets;
  }

  /** Each property and array element, by the line it starts on: the last line of the largest one. */
  nodeExtentsByLine(): Map<number, number> {
    if (this.extents) return this.extents;
    const extents = (this.extents = new Map<number, number>());
    const visit = (node: JsonNode): void => {
      if (node.type === 'property' || node.parent?.type === 'array') {
        const line = this.source.positionAt(node.offset).line;
        const end = this.source.positionAt(node.offset + Math.max(0, node.length - 1)).line;
        if ((extents.get(line) ?? -1) < end) extents.set(line, end);
      }
      node.children?.forEach(visit);
    };
    if (this.root && this.errors.length === 0) visit(this.root);
    return extents;
  }

  private analysed(): { images: ImageReference[]; snippets: ShellSnippet[] } {
    if (this.views) return this.views;
    const views = { images: [] as ImageReference[], snippets: [] as ShellSnippet[] };
    this.views = views;
    const root = this.root;
    if (!root || this.errors.length > 0) return views;
    const image = findNodeAtLocation(root, ['image']);
    const imageText = image && this.stringAt(image);
    if (imageText) {
      const ref = imageReferenceAt(this.source, imageText, 'devcontainer-image');
      if (ref) views.images.push(ref);
    }
    const features = findNodeAtLocation(root, ['features']);
    for (const property of features?.type === 'object' ? (features.children ?? []) : []) {
      const key = property.children?.[0];
      const text = key && this.stringAt(key);
      // Local features (`./x`) and tarball URLs are not references to pull.
      const local = !text || /^[./]/.test(text.value) || text.value.includes('://');
      const ref = !local && imageReferenceAt(this.source, text, 'devcontainer-feature');
      // Only registry-qualified keys are OCI references: `./local` and the old `node` short ids are not.
      if (ref && ref.image.registry) views.images.push({ ...ref, digestOnly: true });
    }
    for (const [name, place] of LIFECYCLE) {
      const command = findNodeAtLocation(root, [name]);
      if (!command) continue;
      const forms = command.type === 'object' ? (command.children ?? []).map((p) => p.children?.[1]) : [command];
      for (const form of forms) this.addCommand(views.snippets, form, place, name);
    }
    return views;
  }

  private addCommand(snippets: ShellSnippet[], node: JsonNode | undefined, place: ShellPlace, origin: string): void {
    if (node?.type === 'string') {
      const element = this.elementOf(node);
      if (element) snippets.push(scriptSnippet(element, { place, origin }));
    } else if (node?.type === 'array') {
      const elements = (node.children ?? []).map((item) => this.elementOf(item));
      if (elements.every((e): e is ArgvElement => e !== undefined)) {
        const snippet = argvSnippet(elements, { place, origin });
        if (snippet) snippets.push(snippet);
      }
    }
  }

  /** A string node's value and where it is written (inside the quotes; literal when it holds no escapes). */
  private stringAt(node: JsonNode): { value: string; start: number; end: number; literal: boolean } | undefined {
    if (node.type !== 'string' || typeof node.value !== 'string') return undefined;
    const start = node.offset + 1;
    const end = node.offset + node.length - 1;
    return { value: node.value, start, end, literal: this.source.text.slice(start, end) === node.value };
  }

  /** A JSON string's decoded value with the document offset of each character (an escape maps to its backslash). */
  private elementOf(node: JsonNode): ArgvElement | undefined {
    if (node.type !== 'string' || typeof node.value !== 'string') return undefined;
    const text = this.source.text;
    const end = node.offset + node.length - 1;
    let value = '';
    const offsets: number[] = [];
    for (let i = node.offset + 1; i < end; i++) {
      const ch = text[i]!;
      if (ch !== '\\') {
        value += ch;
        offsets.push(i);
        continue;
      }
      const escape = jsonEscapeAt(text, i);
      if (!escape) return undefined;
      value += escape.char;
      offsets.push(i);
      i += escape.length - 1;
    }
    if (value !== node.value) return undefined;
    offsets.push(end);
    return { value, offsets, written: [node.offset, node.offset + node.length] };
  }
}
