import { isAlias, isMap, isScalar } from 'yaml';
import { ComposeModel } from '../model/compose';
import { yamlSharesNodes } from '../model/yamlLayout';
import type { Anchor } from '../engine/units';
import { composeShell } from '../shell/embed/compose';
import { defineKind, RegionEdit } from './kind';
import { yamlComments } from './yamlComments';

// `compose-dev.yml` / `docker-compose-ci.yml` too: common names for files passed with `-f`.
const COMPOSE = /^(?:docker-)?compose(?:[.-].+)?\.ya?ml$/;

/**
 * Docker Compose files, parsed by the yaml Document API (merge keys resolved; `.env` beside the
 * file used for interpolation). Shell: `command`, `entrypoint`, `healthcheck.test` (container start).
 * Images: `services.*.image` of services without `build:`. Invalid YAML is not analysed, nor a file
 * whose merge keys expand beyond its budget (see YamlFile).
 */
export const compose = defineKind({
  id: 'compose',
  detection: { byPath: ({ base }) => (COMPOSE.test(base) ? 'name' : undefined) },
  editor: {
    languageIds: ['dockercompose'],
    sharedLanguageIds: ['yaml'],
    filePatterns: ['**/{compose,docker-compose}{,.*,-*}.{yml,yaml}'],
  },
  parse: (source, input) => new ComposeModel(source, input.dotenv),
  reread: (model) => model.reread(),
  skipReason: (model) => model.skipReason(),
  comments: yamlComments((model: ComposeModel) => model),
  incremental: {
    anchors: composeAnchors,
    lineContinuations: [],
    trailingLinesAreContext: true,
    regionKeepsStructure: indentationKept,
  },
  shellSnippets: (model) => composeShell(model),
  imageReferences: (model) => model.imageReferences(),
  buildDefinitions: (model) => model.builds(),
  readsDotenv: true,
});

/**
 * Services of a block-style `services:` mapping; what comes before them (up to the `services:` key)
 * and after them is context. Documents with anchors, aliases or merge keys are not split: a service
 * may depend on any other part of the file.
 */
function composeAnchors(model: ComposeModel): Anchor[] | undefined {
  if (model.errors.length > 0) return undefined;
  const document = model.document;
  if (yamlSharesNodes(document)) return undefined;
  const root = document.contents;
  if (!isMap(root)) return undefined;
  const servicesPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'services');
  const services = servicesPair?.value;
  if (
    !servicesPair ||
    !isMap(services) ||
    services.flow ||
    isAlias(services) ||
    !isScalar(servicesPair.key) ||
    !servicesPair.key.range
  )
    return undefined;
  const source = model.source;
  const anchors: Anchor[] = [
    {
      start: source.positionAt(servicesPair.key.range[0]).line,
      end: source.positionAt(servicesPair.key.range[0]).line,
      context: true,
    },
  ];
  for (const pair of services.items) {
    if (!isScalar(pair.key) || !pair.key.range) return undefined;
    const valueEnd = (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ?? pair.key.range[1];
    anchors.push({
      start: source.positionAt(pair.key.range[0]).line,
      end: source.positionAt(lastCharBefore(source.text, valueEnd)).line,
      context: false,
    });
  }
  return anchors;
}

function lastCharBefore(text: string, end: number): number {
  let i = end - 1;
  while (i > 0 && /\s/.test(text[i]!)) i--;
  return Math.max(0, i);
}

const isContent = (line: string) => !/^\s*(?:#.*)?\r?$/.test(line);

/** The changed services stay services: the same key indentation, nothing less indented. */
function indentationKept({ region, replaced, oldIndex, anchors, index }: RegionEdit): boolean {
  const oldKey = oldIndex.lines(replaced.start, replaced.end).find(isContent);
  if (oldKey === undefined) return false;
  const indent = indentOf(oldKey);
  if (anchors.some((a) => indentOf(index.line(a.start)) !== indent)) return false;
  return region.every((line) => !isContent(line) || indentOf(line) >= indent);
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}
