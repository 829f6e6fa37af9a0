import { defineRule } from '../engine/rule';
import type { Fix, TextEdit } from '../engine/types';
import type { SourceText } from '../model/positions';
import { remoteExecutions, RemoteExecution } from '../shell/remoteExec';
import { placePhrase } from '../shell/describe';
import { commandName } from '../shell/words';

export default defineRule({
  meta: {
    id: 'remote-script-exec',
    category: 'unverified-download',
    description: 'Downloaded content is executed without verifying it (curl … | sh, bash <(curl …)).',
    severity: { recommended: 'warning', strict: 'error' },
    fixable: true,
    messages: {
      unverified:
        '“{{runner}}” runs what “{{download}}” downloads, unverified, {{where}}: whatever the server returns that ' +
        'day runs, and a changed or compromised file goes unnoticed. Download to a file, check its sha256, then ' +
        'run it.',
    },
  },
  check(context) {
    const source = context.model.source;
    for (const execution of remoteExecutions(context.model.shell)) {
      const fix = verifyFix(execution, source);
      context.report({
        range: execution.range,
        messageId: 'unverified',
        data: {
          runner: commandName(execution.runner.argv[0]) ?? execution.runner.argv[0]!.value,
          download: commandName(execution.download.argv[0])!,
          where: execution.runner.context === 'build' ? 'during the image build' : placePhrase(execution.runner.place),
        },
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
});

/**
 * Rewrites to download → `sha256sum -c` → run. The checksum is a placeholder the user fills; an
 * unfilled placeholder fails `sha256sum -c`, so the rewritten script never runs unverified content.
 * Offered only for code written directly in the document (not inside quotes or JSON).
 */
function verifyFix(execution: RemoteExecution, source: SourceText): Fix | undefined {
  const { download, runner } = execution;
  if (!runner.snippet.editable || runner.snippet.depth > 0 || download.snippet !== runner.snippet) return undefined;
  const file = `/tmp/${scriptName(execution)}`;
  const downloadText = source.textOf(download.range);
  const prefix = (checksum: string) => `${downloadText} > ${file} && echo "${checksum}  ${file}" | sha256sum -c - && `;
  let build: (checksum: string, escape: (s: string) => string) => TextEdit[];
  if (execution.form === 'pipe') {
    if (runner.pipeline!.length !== 2) return undefined;
    const between = source.text.slice(source.offsetAt(download.range.end), source.offsetAt(runner.range.start));
    if (!/^(?:\s|\\\r?\n)*\|(?:\s|\\\r?\n)*$/.test(between)) return undefined;
    const run = runnerText(execution, source, file);
    if (run === undefined) return undefined;
    build = (checksum, escape) => [
      { range: execution.range, newText: escape(prefix('\u0000')).replace('\u0000', checksum) + escape(run) },
    ];
  } else if (execution.form === 'process' && execution.substitutionWord) {
    const word = execution.substitutionWord;
    build = (checksum, escape) => [
      {
        range: { start: runner.range.start, end: runner.range.start },
        newText: escape(prefix('\u0000')).replace('\u0000', checksum),
      },
      { range: word.range, newText: escape(file) },
    ];
  } else return undefined;
  return {
    title: 'Download to a file and verify its sha256 before running it',
    edits: build('${1:sha256}', escapeSnippet),
    snippet: true,
    plainEdits: build('<sha256>', (s) => s),
  };
}

/** The runner reading the file instead of stdin: `sudo bash -s -- -y` → `sudo bash /tmp/x.sh -y`. */
function runnerText(execution: RemoteExecution, source: SourceText, file: string): string | undefined {
  const { runner } = execution;
  const program = runner.argv[0]!;
  const head = source.text.slice(source.offsetAt(runner.range.start), source.offsetAt(program.range.end));
  const options: string[] = [];
  const operands: string[] = [];
  let ended = false;
  for (const word of runner.argv.slice(1)) {
    const written = source.textOf(word.range);
    if (written.includes('\n')) return undefined;
    if (ended) {
      operands.push(written);
      continue;
    }
    if (word.value === '--' || word.value === '-') {
      ended = true;
      continue;
    }
    if (word.value === '-s') continue;
    if (/^-[a-zA-Z]+$/.test(word.value) && word.value.includes('s')) {
      options.push(word.value.replace('s', ''));
      continue;
    }
    if (word.value.startsWith('-')) options.push(written);
    else {
      ended = true;
      operands.push(written);
    }
  }
  return [head, ...options, file, ...operands].join(' ');
}

function scriptName(execution: RemoteExecution): string {
  const url = execution.download.argv.slice(1).find((w) => w.literal && /^(?:https?|ftp):\/\//.test(w.value))?.value;
  const last = url?.split(/[?#]/)[0]!.split('/').filter(Boolean).pop();
  return last && /^[\w.-]+$/.test(last) && !/^(?:https?|ftp):$/.test(last) && url!.split('/').length > 3
    ? last
    : 'install.sh';
}

/** LSP snippet syntax reserves `$`, `}` and `\`. */
function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}
