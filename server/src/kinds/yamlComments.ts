import type { Document } from 'yaml';
import type { SourceText } from '../model/positions';
import { yamlMultilineScalarSpans, yamlNodeExtentsByLine } from '../model/yamlLayout';
import type { CommentSyntax } from './kind';
import { afterShebang, tokenCommentLines } from './lines';

/** What the YAML comment syntax needs of a kind's model. */
export interface YamlText {
  document: Document.Parsed;
  source: SourceText;
  errors: readonly string[];
}

/**
 * `#` comments of a YAML file kind: `#` lines inside block scalars are content, not comments; an
 * own-line ignore comment covers the next node (a pair or sequence item, with everything under it).
 */
export function yamlComments<M>(yaml: (model: M) => YamlText): CommentSyntax<M> {
  return {
    token: '#',
    commentLines: (model) => {
      const y = yaml(model);
      return tokenCommentLines(
        y.source,
        '#',
        y.errors.length === 0 ? yamlMultilineScalarSpans(y.document, y.source) : [],
      );
    },
    ignoreTarget: (model, _document, line) => {
      const y = yaml(model);
      return [line, yamlNodeExtentsByLine(y.document, y.source).get(line) ?? line];
    },
    statementStart: (_model, _document, line) => line,
    fileIgnoreLine: (model) => afterShebang(yaml(model).source),
  };
}
