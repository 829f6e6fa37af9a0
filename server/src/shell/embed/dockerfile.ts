import { Cmd, Entrypoint, From, Healthcheck, Instruction, Run, Shell } from 'dockerfile-ast';
import type { DockerfileModel } from '../../model/dockerfile';
import type { ShellPlace, ShellSnippet } from '../snippet';
import { SnippetBuilder } from '../snippet';
import type { ArgvElement } from './argv';
import { argvSnippet } from './argv';
import { jsonEscapeAt } from './jsonEscape';

/** The shell code of one instruction. */
export interface InstructionShell {
  instruction: Instruction;
  snippets: ShellSnippet[];
}

const WINDOWS_IMAGE =
  /(?:^|\/)(?:windows|nanoserver|servercore|windowsservercore)\b|(?:^|[:-])(?:ltsc\d{4}|nanoserver|windowsservercore)/i;
const WINDOWS_SHELL = /(?:^|[\\/])(?:powershell|pwsh|cmd)(?:\.exe)?$/i;
const WHITESPACE = /\s/;
const POSIX_SHELL = /(?:^|\/)(?:sh|bash|dash|ash|zsh|ksh)$/;

/**
 * Shell code of every RUN (ONBUILD RUN included: build), CMD, ENTRYPOINT and HEALTHCHECK CMD
 * (container start). Stages built on Windows images, after a PowerShell/cmd `SHELL`, or in a file
 * using the backtick escape without a POSIX `SHELL` are skipped: their commands are not bash.
 */
export function dockerfileShell(model: DockerfileModel): InstructionShell[] {
  // Shared by the lint's shell analysis and the build-script lookup: computed once per parse.
  return model.memo('shell', () => computeDockerfileShell(model));
}

function computeDockerfileShell(model: DockerfileModel): InstructionShell[] {
  const result: InstructionShell[] = [];
  const backtick = model.escapeCharacter === '`';
  let windows = backtick;
  for (const instruction of model.instructions) {
    if (instruction instanceof From) {
      windows = backtick || WINDOWS_IMAGE.test(instruction.getImage() ?? '');
      continue;
    }
    if (instruction instanceof Shell) {
      const program = instruction.getJSONStrings()[0]?.getJSONValue() ?? '';
      if (WINDOWS_SHELL.test(program)) windows = true;
      else if (POSIX_SHELL.test(program)) windows = false;
      continue;
    }
    if (windows) continue;
    const snippets = instructionSnippets(model, instruction);
    if (snippets.length > 0) result.push({ instruction, snippets });
  }
  return result;
}

function instructionSnippets(model: DockerfileModel, instruction: Instruction): ShellSnippet[] {
  const keyword = instruction.getKeyword().toUpperCase();
  let place: ShellPlace;
  let argsStart: number;
  const range = instruction.getArgumentsRange();
  if (!range) return [];
  const source = model.source;
  const end = source.offsetAt(range.end);
  if (instruction instanceof Run || keyword === 'RUN') {
    place = 'image';
    argsStart = source.offsetAt(range.start);
  } else if (instruction instanceof Cmd || instruction instanceof Entrypoint) {
    place = 'container-start';
    argsStart = source.offsetAt(range.start);
  } else if (instruction instanceof Healthcheck) {
    const sub = instruction.getSubcommand();
    if (!sub || sub.getValue().toUpperCase() !== 'CMD') return [];
    place = 'container-start';
    argsStart = source.offsetAt(sub.getRange().end);
  } else return [];
  const meta = { place, origin: keyword };
  const text = source.text;
  while (argsStart < end && /\s/.test(text[argsStart]!)) argsStart++;
  if (argsStart >= end) return [];
  if (text[argsStart] === '[') {
    const elements = parseJsonArray(text, argsStart, end, model.escapeCharacter);
    if (elements) {
      const snippet = argvSnippet(elements, meta);
      return snippet ? [snippet] : [];
    }
  }
  const heredocMark = text.indexOf('<<', argsStart);
  const heredocs = heredocMark >= 0 && heredocMark < end ? heredocContents(instruction) : [];
  if (heredocs.length > 0) {
    const firstLineEnd = text.indexOf('\n', argsStart);
    const firstLine = text.slice(argsStart, firstLineEnd < 0 ? end : firstLineEnd);
    if (/^\s*(?:<<-?\s*(["']?)[A-Za-z_][\w.-]*\1\s*)+$/.test(firstLine)) {
      return heredocs
        .filter(
          ([s, e]) =>
            !/^#!(?!.*\b(?:sh|bash|dash|ash|zsh|ksh)\b)/.test(text.slice(s, Math.min(e, s + 80)).split('\n')[0]!),
        )
        .map(([s, e]) => new SnippetBuilder().copy(text, s, e).build(e, { ...meta, editable: true, depth: 0 }));
    }
    return [new SnippetBuilder().copy(text, argsStart, end).build(end, { ...meta, editable: true, depth: 0 })];
  }
  return [shellFormSnippet(text, argsStart, end, model.escapeCharacter, meta)];
}

/**
 * Shell form as the builder runs it: escape + newline joins lines (the characters disappear),
 * comment and empty lines inside the continuation are dropped.
 */
function shellFormSnippet(
  text: string,
  start: number,
  end: number,
  escape: string,
  meta: { place: ShellPlace; origin: string },
): ShellSnippet {
  const builder = new SnippetBuilder();
  let pos = start;
  let first = true;
  while (pos < end) {
    let newline = text.indexOf('\n', pos);
    if (newline < 0 || newline >= end) newline = end;
    let lineEnd = newline;
    if (text[lineEnd - 1] === '\r') lineEnd--;
    let firstVisible = pos;
    while (firstVisible < lineEnd && WHITESPACE.test(text[firstVisible]!)) firstVisible++;
    if (!first && (firstVisible === lineEnd || text[firstVisible] === '#')) {
      pos = newline + 1;
      continue;
    }
    let contentEnd = lineEnd;
    while (contentEnd > pos && (text[contentEnd - 1] === ' ' || text[contentEnd - 1] === '\t')) contentEnd--;
    if (contentEnd > pos && text.startsWith(escape, contentEnd - escape.length)) {
      builder.copy(text, pos, contentEnd - 1);
    } else {
      builder.copy(text, pos, lineEnd);
      if (newline < end) builder.synthetic('\n', newline);
    }
    first = false;
    pos = newline + 1;
  }
  return builder.build(end, { ...meta, editable: true, depth: 0 });
}

/** Document offset spans of the bodies of an instruction's heredocs. */
function heredocContents(instruction: Instruction): Array<[number, number]> {
  const withHeredocs = instruction as unknown as {
    getHeredocs?: () => Array<{
      getContentRange(): {
        start: { line: number; character: number };
        end: { line: number; character: number };
      } | null;
    }>;
  };
  const document = (instruction as unknown as { document?: { offsetAt(p: unknown): number } }).document;
  if (!withHeredocs.getHeredocs || !document) return [];
  const spans: Array<[number, number]> = [];
  for (const heredoc of withHeredocs.getHeredocs()) {
    const content = heredoc.getContentRange();
    if (content) spans.push([document.offsetAt(content.start), document.offsetAt(content.end)]);
  }
  return spans;
}

/**
 * A JSON array of strings at `start` (exec form), with offsets; undefined when it is not one (then it is shell form).
 */
export function parseJsonArray(text: string, start: number, end: number, escape: string): ArgvElement[] | undefined {
  const elements: ArgvElement[] = [];
  let i = start + 1;
  const skipSpace = () => {
    while (i < end) {
      if (/\s/.test(text[i]!)) i++;
      else if (text[i] === escape && /^[ \t]*\r?\n/.test(text.slice(i + 1, i + 4))) i = text.indexOf('\n', i) + 1;
      else break;
    }
  };
  skipSpace();
  if (text[i] === ']') return undefined;
  for (;;) {
    skipSpace();
    if (text[i] !== '"') return undefined;
    const opening = i;
    i++;
    const element: ArgvElement = { value: '', offsets: [], written: [opening, opening] };
    while (i < end && text[i] !== '"') {
      if (text[i] === '\\') {
        const escape = jsonEscapeAt(text, i);
        if (!escape) return undefined;
        element.value += escape.char;
        element.offsets.push(i);
        i += escape.length;
        continue;
      }
      if (text[i] === '\n') return undefined;
      element.value += text[i];
      element.offsets.push(i);
      i++;
    }
    if (text[i] !== '"') return undefined;
    element.offsets.push(i);
    element.written[1] = i + 1;
    elements.push(element);
    i++;
    skipSpace();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === ']') break;
    return undefined;
  }
  i++;
  skipSpace();
  return i >= end ? elements : undefined;
}
