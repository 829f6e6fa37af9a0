import * as path from 'node:path';
import type { ScanOutcome } from '../scan';
import { redactText } from '../../net/redact';
import { relativePosix } from '../../workspace/posixPath';

/**
 * Machine-readable output. Positions are 0-based (LSP style) under `range`, plus 1-based
 * `line`/`column` for people and tools that expect them.
 */
export function formatJson(outcome: ScanOutcome, cwd: string): string {
  return (
    JSON.stringify(
      {
        files: outcome.files.map((f) => ({
          path: relativePosix(cwd, f.path),
          kind: f.kind,
          ...(f.skipped ? { skipped: f.skipped } : {}),
          problems: f.problems.map((p) => ({
            ruleId: p.ruleId,
            severity: p.severity,
            message: redactText(p.message),
            line: p.range.start.line + 1,
            column: p.range.start.character + 1,
            range: p.range,
            fixes: p.fixes.map((fix) => ({ title: fix.title, edits: fix.plainEdits ?? fix.edits })),
          })),
          ...(f.internalErrors.length ? { internalErrors: f.internalErrors } : {}),
        })),
        configProblems: outcome.configProblems.map((c) => ({ ...c, path: path.relative(cwd, c.path) })),
        skipped: outcome.skipped.map((s) => ({
          path: relativePosix(cwd, s.path),
          reason: s.reason,
        })),
      },
      null,
      2,
    ) + '\n'
  );
}
