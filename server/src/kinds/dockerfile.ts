import { DockerfileModel } from '../model/dockerfile';
import type { Anchor } from '../engine/units';
import { makesImages } from '../engine/units';
import { dockerfileShell } from '../shell/embed/dockerfile';
import {
  buildScriptPaths,
  builderScriptSources,
  entrypointScriptPaths,
  imageScriptSources,
  startupScriptSources,
} from '../shell/buildScripts';
import type { ShellSnippet } from '../shell/snippet';
import { defineKind } from './kind';

const DOCKERFILE =
  /^(?:(?:Dockerfile|Containerfile)(?:\..+)?|.+\.(?:Dockerfile|dockerfile|Containerfile|containerfile))$/;

/** hadolint codes → DriftGuard rule ids (unlisted DL codes are hadolint's own and ignored here). */
export const HADOLINT_CODES: Readonly<Record<string, string>> = {
  DL3006: 'image-untagged',
  DL3007: 'image-latest-tag',
  DL3008: 'package-unpinned',
  DL3013: 'package-unpinned',
  DL3016: 'package-unpinned',
  DL3018: 'package-unpinned',
  DL3028: 'package-unpinned',
  DL3033: 'package-unpinned',
  DL3037: 'package-unpinned',
  DL3041: 'package-unpinned',
  DL3062: 'package-unpinned',
};

const HADOLINT = /^\s*#\s*hadolint\s+(global\s+)?ignore=([A-Za-z0-9,\s]+)/;

/**
 * Dockerfiles and Containerfiles, parsed by dockerfile-ast. Shell: RUN (build), CMD, ENTRYPOINT and
 * HEALTHCHECK (container start). Images: FROM, COPY --from, RUN --mount from=, `# syntax=`.
 * hadolint's ignore comments are honoured for the codes that map to DriftGuard rules.
 */
export const dockerfile = defineKind({
  id: 'dockerfile',
  detection: { byPath: ({ base }) => (DOCKERFILE.test(base) ? 'name' : undefined) },
  editor: { languageIds: ['dockerfile'] },
  parse: (source, input) => new DockerfileModel(source, input.namedContexts),
  comments: {
    token: '#',
    commentLines(model) {
      const lines = new Set<number>();
      // A leading `# hadolint ignore=…` has the shape of a parser directive and is parsed as one.
      for (const comment of model.ast.getComments()) lines.add(comment.getRange().start.line);
      for (const directive of model.ast.getDirectives()) lines.add(directive.getRange().start.line);
      return lines;
    },
    ignoreTarget(model, _document, line) {
      const instruction = model.instructionAtLine(line);
      return instruction ? [instruction.getRange().start.line, instruction.getRange().end.line] : [line, line];
    },
    statementStart(model, _document, line) {
      return model.instructionAtLine(line)?.getRange().start.line ?? line;
    },
    fileIgnoreLine(model) {
      // Parser directives must stay first: a comment above them turns them into plain comments.
      let line = 0;
      for (const directive of model.ast.getDirectives()) line = Math.max(line, directive.getRange().end.line + 1);
      return line;
    },
    foreignIgnore(lineText) {
      const hadolint = HADOLINT.exec(lineText);
      if (!hadolint) return undefined;
      const rules = new Set<string>();
      for (const code of hadolint[2]!.split(/[\s,]+/)) {
        const id = HADOLINT_CODES[code.toUpperCase()];
        if (id) rules.add(id);
      }
      return { rules, fileWide: !!hadolint[1] };
    },
  },
  incremental: {
    anchors: dockerfileAnchors,
    // Both escape characters a Dockerfile may use.
    lineContinuations: ['\\', '`'],
    trailingLinesAreContext: false,
  },
  shellSnippets: (model) => dockerfileShell(model).flatMap((i) => i.snippets),
  imageReferences: (model) => model.imageReferences(),
  scriptUses(model, document) {
    const commandsOf = (snippets: readonly ShellSnippet[]) => document.shellCommandsOf(snippets);
    return {
      build: buildScriptPaths(model, commandsOf),
      entrypoint: entrypointScriptPaths(model, commandsOf),
      startup: startupScriptSources(model, commandsOf),
      image: imageScriptSources(model, commandsOf),
      builder: builderScriptSources(model, commandsOf),
    };
  },
});

/**
 * One piece per instruction. Everything up to the first FROM (directives, global ARGs), FROM and
 * SHELL, and instructions that make images other pieces may run are context.
 */
function dockerfileAnchors(model: DockerfileModel): Anchor[] {
  const anchors: Anchor[] = [];
  let seenFrom = false;
  for (const instruction of model.ast.getInstructions()) {
    const range = instruction.getRange();
    const keyword = instruction.getKeyword().toUpperCase();
    const makes = makesImages(model.source.textOf(range));
    const context = !seenFrom || keyword === 'FROM' || keyword === 'SHELL' || makes;
    if (keyword === 'FROM') seenFrom = true;
    anchors.push({
      start: range.start.line,
      end: range.end.line,
      context,
      ...(makes ? { reachesBack: true } : {}),
      ...(keyword === 'FROM' ? { stageStart: true } : {}),
    });
  }
  return anchors;
}
