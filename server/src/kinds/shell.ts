import type { Anchor } from '../engine/units';
import type { DocumentModel } from '../engine/documentModel';
import type { ShellPlace } from '../shell/snippet';
import { wholeTextSnippet } from '../shell/snippet';
import { shellBuildDefinitions } from '../shell/buildCommands';
import { imagesMadeBy } from '../shell/imageRefs';
import { defineKind } from './kind';
import { afterShebang, continuedFrom, continuedTo, tokenCommentLines } from './lines';
import { lowerBound } from '../text/lowerBound';

// `*.sh.in`: templates that a build turns into scripts (`@VAR@` placeholders are plain words).
const SHELL_EXTENSION = /\.(?:sh|bash|ksh|zsh)(?:\.in)?$/;
/**
 * `#!/bin/sh`, `#!/usr/bin/env -S bash`, and s6-overlay's `#!/usr/bin/with-contenv bash` /
 * `#!/command/with-contenv bashio` (bashio: bash with Home Assistant's helper library).
 */
const SHELL_SHEBANG = new RegExp(
  String.raw`^#!\s*(?:\/\S*\/)?(?:env\s+(?:-\S+\s+)*)?(?:with-contenv\s+(?:\/\S*\/)?)?` +
    String.raw`(?:sh|bash|bashio|dash|ash|ksh|mksh|zsh)(?=\s|$)`,
);
/** The shebang of a script that s6-overlay runs inside a container with the container's environment. */
const CONTAINER_SHEBANG = /^#!\s*(?:\/\S*\/)?with-contenv\s/;

/**
 * Whether a script's first line says it only runs inside a container: `with-contenv` exists only in
 * s6-overlay images, which run such scripts at start or as services.
 */
export function hasContainerShebang(firstLine: string): boolean {
  return CONTAINER_SHEBANG.test(firstLine);
}

/**
 * Shell scripts: by extension, or extension-less files with a shell shebang. The whole text is one
 * shell snippet (no model of its own: the shell analysis is the model). A script runs where the
 * host says (`shellContext`, `scriptRole`): during an image build, at container start, or on a host.
 */
export const shell = defineKind({
  id: 'shell',
  detection: {
    byPath: ({ base }) => (SHELL_EXTENSION.test(base) ? 'extension' : undefined),
    byFirstLine: {
      worthReading: ({ base }) => !base.includes('.'),
      claims: (firstLine) => SHELL_SHEBANG.test(firstLine),
    },
  },
  editor: { languageIds: ['shellscript'] },
  parse: () => undefined,
  comments: {
    token: '#',
    commentLines: (_model, document) => tokenCommentLines(document.source, '#'),
    ignoreTarget: (_model, document, line) => [line, continuedTo(document.source, line)],
    statementStart: (_model, document, line) => continuedFrom(document.source, line),
    fileIgnoreLine: (_model, document) => afterShebang(document.source),
  },
  incremental: {
    anchors: (_model, document) => shellAnchors(document),
    lineContinuations: ['\\'],
    trailingLinesAreContext: false,
    piecesCarryFacts: true,
  },
  shellSnippets(_model, document) {
    const text = document.source.text;
    return [wholeTextSnippet(text, { place: scriptPlace(document), origin: 'script', editable: true, depth: 0 })];
  },
  buildDefinitions: (_model, document) => shellBuildDefinitions(document),
  runByOtherFiles: true,
});

function scriptPlace(document: DocumentModel): ShellPlace {
  if (document.shellContext === 'build') return 'image';
  if (document.shellContext === 'ephemeral') return 'ephemeral';
  return document.scriptRole === 'entrypoint' ? 'container-start' : 'host';
}

/**
 * One piece per top-level statement. What other statements depend on travels as data: the command
 * and path variables a statement sets for the statements after it, and the images it makes, which
 * statements anywhere in the script run without pulling them.
 */
function shellAnchors(document: DocumentModel): Anchor[] | undefined {
  const shell = document.shell;
  const script = shell.script;
  if (!script) return undefined;
  const source = document.source;
  const anchors: Anchor[] = script.statements.map(({ start, end, hasError, variables }) => ({
    start: source.positionAt(start).line,
    end: source.positionAt(end).line,
    context: false,
    ...(hasError ? { frozen: true } : {}),
    ...(variables ? { variables } : {}),
  }));
  for (const command of shell.commands) {
    const made = imagesMadeBy(command);
    if (made.length === 0) continue;
    const anchor = anchorOn(anchors, command.range.start.line);
    if (!anchor) return undefined;
    anchor.images = [...(anchor.images ?? []), ...made];
  }
  return anchors;
}

/** The anchor whose lines hold `line` (anchors in line order). */
function anchorOn(anchors: Anchor[], line: number): Anchor | undefined {
  const anchor = anchors[lowerBound(anchors.length, (i) => anchors[i]!.end >= line)];
  return anchor && anchor.start <= line ? anchor : undefined;
}
