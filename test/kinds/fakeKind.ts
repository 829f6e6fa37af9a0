import { defineKind } from '../../server/src/kinds/kind';
import { tokenCommentLines } from '../../server/src/kinds/lines';
import type { ImageReference } from '../../server/src/model/imageRef';
import { parseImageReference } from '../../server/src/model/imageRef';
import type { SourceText } from '../../server/src/model/positions';
import { SnippetBuilder } from '../../server/src/shell/snippet';

/**
 * A kind that exists only in tests, written as a newcomer would add one: a task file of `key = value`
 * lines with `//` comments, where `image = <ref>` names an image and `run = <command>` runs shell
 * on the machine that runs the tasks. Files end in `.tasks`, or sit in a `.tasks/` folder (a path
 * claim, like CI files: it beats Compose's file names).
 */
export interface TaskLine {
  key: string;
  /** Document offsets of the value, trimmed. */
  start: number;
  end: number;
}

export const tasks = defineKind({
  id: 'tasks',
  detection: {
    byPath: ({ path, base }) =>
      /(?:^|\/)\.tasks\//.test(path) ? 'folder' : base.endsWith('.tasks') ? 'extension' : undefined,
  },
  editor: { languageIds: ['tasks'] },
  parse: (source) => parseTasks(source),
  comments: {
    token: '//',
    commentLines: (_model, document) => tokenCommentLines(document.source, '//'),
    ignoreTarget: (_model, _document, line) => [line, line],
    statementStart: (_model, _document, line) => line,
    fileIgnoreLine: () => 0,
  },
  shellSnippets: (model, document) =>
    model
      .filter((line) => line.key === 'run')
      .map((line) =>
        new SnippetBuilder()
          .copy(document.source.text, line.start, line.end)
          .build(line.end, { place: 'host', origin: 'run', editable: true, depth: 0 }),
      ),
  imageReferences: (model, document) =>
    model.filter((line) => line.key === 'image').flatMap((line) => imageReference(document.source, line)),
});

function parseTasks(source: SourceText): TaskLine[] {
  const lines: TaskLine[] = [];
  const pattern = /^[ \t]*(\w+)[ \t]*=[ \t]*(.*?)[ \t]*$/gm;
  for (let m = pattern.exec(source.text); m; m = pattern.exec(source.text)) {
    const end = m.index + m[0].trimEnd().length;
    lines.push({ key: m[1]!, start: end - m[2]!.length, end });
  }
  return lines;
}

function imageReference(source: SourceText, line: TaskLine): ImageReference[] {
  const text = source.text.slice(line.start, line.end);
  const image = parseImageReference(text);
  if (!image) return [];
  const range = source.rangeOf(line.start, line.end);
  return [
    {
      source: 'tasks-image',
      written: text,
      range,
      resolved: text,
      image,
      viaVariable: false,
      nameRange: source.rangeOf(line.start, line.start + image.nameEnd),
      ...(image.tagStart !== undefined
        ? { tagRange: source.rangeOf(line.start + image.tagStart, line.start + image.tagStart + image.tag!.length) }
        : {}),
      editTarget: { range, text },
    },
  ];
}
