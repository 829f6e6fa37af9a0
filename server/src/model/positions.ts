import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';

/**
 * The text being linted with offset ↔ position conversion. Offsets are indexes into the JS string
 * (UTF-16 code units), which is also LSP's default position encoding.
 */
export class SourceText {
  readonly document: TextDocument;
  constructor(
    readonly uri: string,
    readonly text: string,
  ) {
    this.document = TextDocument.create(uri, 'plaintext', 0, text);
  }
  positionAt(offset: number): Position {
    return this.document.positionAt(offset);
  }
  offsetAt(position: Position): number {
    return this.document.offsetAt(position);
  }
  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
  textOf(range: Range): string {
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  get lineCount(): number {
    return this.document.lineCount;
  }
  lineText(line: number): string {
    const start = this.offsetAt({ line, character: 0 });
    const end = line + 1 < this.lineCount ? this.offsetAt({ line: line + 1, character: 0 }) : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Whether `position` lies in `range`, both ends included (a cursor just after a word still hovers it). */
export function rangeHolds(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}
