import * as assert from 'node:assert/strict';
import { testEngine } from '../helpers/engine';
import { SourcedVariablesReader } from '../../server/src/workspace/sourcedVariables';

/** The files a script sources, as `from:path@line:character-character`. */
function sourced(text: string): string[] {
  const sourcing = testEngine().sourcing({ path: '/repo/ops/main.sh', kind: 'shell', text })!;
  return sourcing.files.map(
    (f) => `${f.from}:${f.path}@${f.range.start.line}:${f.range.start.character}-${f.range.end.character}`,
  );
}

describe('files a script sources (shell analyser)', () => {
  const table: Array<{ name: string; code: string; files: string[] }> = [
    {
      name: 'plain relative paths, `.` and `source`, with a redirection or arguments',
      code: '. ./env.sh\nsource lib/common.sh arg\n. ../shared.sh 2>/dev/null\n',
      files: ['cwd:env.sh@0:2-10', 'cwd:lib/common.sh@1:7-20', 'cwd:../shared.sh@2:2-14'],
    },
    {
      name: "the script's folder: dirname of $0 (quoted or not), ${0%/*}, cd … && pwd, readlink -f",
      code:
        'source "$(dirname "$0")/lib.sh"\n. $(dirname $0)/a.sh\n. "${0%/*}/b.sh"\n' +
        '. "$(cd "$(dirname "$0")/.." && pwd)/c.sh"\n. "$(dirname "$(readlink -f "$0")")/d.sh"\n',
      files: [
        'script:lib.sh@0:7-31',
        'script:a.sh@1:2-20',
        'script:b.sh@2:2-16',
        'script:../c.sh@3:2-42',
        'script:d.sh@4:2-41',
      ],
    },
    {
      name: "the sourcing file's own folder (BASH_SOURCE), directly or through a variable set at the top",
      code:
        '. "${BASH_SOURCE%/*}/a.sh"\nDIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"\nsource "$DIR/b.sh"\n' +
        'ROOT=$(dirname "$0")\n. "${ROOT}/lib/c.sh"\n',
      files: ['file:a.sh@0:2-26', 'file:b.sh@2:7-18', 'script:lib/c.sh@4:2-20'],
    },
    {
      name: 'guarded by the existence of the file: a top-level `&&` list or an `if` without `else`',
      code:
        '[ -f ./.env ] && . ./.env\nset -a && source ./vars.sh && set +a\n' +
        'if [ -f "$(dirname "$0")/local.sh" ]; then\n  # local overrides\n  . "$(dirname "$0")/local.sh"\nfi\n',
      files: ['cwd:.env@0:19-25', 'cwd:vars.sh@1:17-26', 'script:local.sh@4:4-30'],
    },
    {
      name: 'never: in a heredoc, a string, a comment, a function, a loop, another condition, a subshell',
      code:
        'cat <<EOF\n. ./heredoc.sh\nEOF\necho ". ./string.sh"\n# . ./comment.sh\nload() { . ./function.sh; }\n' +
        'for f in a; do . ./loop.sh; done\nif [ "$X" = 1 ]; then . ./cond.sh; fi\n' +
        'if [ -f a.sh ]; then . ./b.sh; fi\nif [ -f a.sh ]; then . a.sh; else . c.sh; fi\n( . ./sub.sh )\n',
      files: [],
    },
    {
      name: 'never: absolute paths, other expansions, globs, a variable not holding the folder',
      code:
        '. /etc/profile\nsource ~/.bashrc\n. "$HOME/.env"\n. ./conf.d/*.sh\n. "$LIB/x.sh"\n' +
        'DIR=/opt/app\n. "$DIR/y.sh"\nD=$(dirname "$0")\nD=other\n. "$D/z.sh"\n',
      files: [],
    },
  ];
  for (const c of table) it(c.name, () => assert.deepEqual(sourced(c.code), c.files));

  it('gives the top-level variables and helpers, not those of functions or conditions', () => {
    const sourcing = testEngine().sourcing({
      path: '/repo/env.sh',
      kind: 'shell',
      text:
        'DOCKER=docker\nexport CONF=/etc/app.conf\nrun() { "$@"; }\nsetup() { KUBECTL=kubectl; }\n' +
        'if true; then PIP=pip; fi\n',
    })!;
    assert.deepEqual(sourcing.variables, {
      commands: [
        ['DOCKER', ['docker']],
        ['CONF', ['/etc/app.conf']],
      ],
      paths: [['CONF', '/etc/app.conf']],
      runners: ['run'],
    });
  });

  it('parses a script for its sourced files only when a `source` line may name one a host can look up', () => {
    const might = [
      '. ./env.sh\n',
      'set -e; source lib.sh\n',
      'if x; then . "$(dirname "$0")/a.sh"; fi\n',
      '. "${BASH_SOURCE%/*}/a.sh"\n',
      'DIR=$(pwd)\n. "$DIR/a.sh"\n',
    ];
    const never = [
      '. /etc/os-release\nsource ~/.bashrc\nsource <(kubectl completion bash)\n. "$HOME/.env"\n',
      'find . -name x\n# source the file\necho "run . ./x"\n',
    ];
    assert.deepEqual(
      might.map((t) => SourcedVariablesReader.mightSource(t)),
      might.map(() => true),
    );
    assert.deepEqual(
      never.map((t) => SourcedVariablesReader.mightSource(t)),
      never.map(() => false),
    );
  });
});
