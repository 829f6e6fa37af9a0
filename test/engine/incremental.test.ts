import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { IncrementalState, IncrementalOptions, LintMode } from '../../server/src/engine/incremental';
import { testEngine } from '../helpers/engine';
import { severitiesFor } from '../../server/src/config/presets';
import type { FileKind } from '../../server/src/engine/types';
import type { LintInput } from '../../server/src/engine/settings';
import { corpusFiles, prng, sample } from '../fuzz/corpus';

const settings = { severities: severitiesFor('strict'), imagesAllow: [] };
const lint = (input: LintInput) => testEngine().lint(input);
const lintIncremental = (input: LintInput, previous?: IncrementalState, options?: IncrementalOptions) =>
  testEngine().lintIncremental(input, previous, options);
const inputOf = (kind: FileKind, text: string, extra: Partial<LintInput> = {}): LintInput => ({
  uri: 'file:///w/doc',
  text,
  kind,
  settings,
  ...extra,
});

/** Lints `before`, then `after` incrementally; asserts the result equals a full lint and returns the mode. */
function editAndCompare(kind: FileKind, before: string, after: string, extra: Partial<LintInput> = {}): LintMode {
  const { state } = lintIncremental(inputOf(kind, before, extra), undefined, { minLines: 0 });
  return compareNext(kind, after, state, extra).mode;
}

function compareNext(
  kind: FileKind,
  text: string,
  previous: IncrementalState,
  extra: Partial<LintInput> = {},
  minLines = 0,
): { mode: LintMode; state: IncrementalState } {
  const input = inputOf(kind, text, extra);
  const incremental = lintIncremental(input, previous, { minLines });
  const full = lint(input);
  assert.deepEqual(
    incremental.result.problems,
    full.problems,
    `${kind} ${incremental.mode} lint differs from a full lint after the edit:\n${text}`,
  );
  assert.equal(incremental.result.skipped, full.skipped);
  return incremental;
}

/** The unit split of a full lint: an incremental lint must leave the same split (and variables) behind. */
const unitsOf = (state: IncrementalState) =>
  state.units?.map((u) => [u.start, u.anchorStart, u.end, u.context, !!u.frozen, JSON.stringify(u.variables ?? [])]);

/**
 * Types `steps` one after the other into `text` (each a [search, replacement] on the text so far),
 * comparing every lint with a full one, and the unit split after each partial lint; returns the modes.
 */
function typeInto(kind: FileKind, text: string, steps: ReadonlyArray<readonly [string, string]>, extra = {}) {
  let { state } = lintIncremental(inputOf(kind, text, extra), undefined, { minLines: 0 });
  const modes: LintMode[] = [];
  for (const [from, to] of steps) {
    assert.ok(text.includes(from), `${from} is in the text`);
    text = text.replace(from, to);
    const next = compareNext(kind, text, state, extra);
    if (next.mode === 'partial')
      assert.deepEqual(
        unitsOf(next.state),
        unitsOf(lintIncremental(inputOf(kind, text, extra), undefined, { minLines: 0 }).state),
        `unit split after ${from} → ${to}`,
      );
    modes.push(next.mode);
    state = next.state;
  }
  return modes;
}

/** A script using command and path variables assigned before, inside and after the statements edited. */
const VARIABLES = [
  '#!/bin/sh',
  'CONF=/etc/docker/daemon.json',
  'dc="docker compose"',
  'docker_path=$(command -v docker)',
  'run() { echo "+ $*"; "$@"; }',
  'if [ -n "$CI" ]; then',
  '  TARGET=/etc/app/app.conf',
  'fi',
  'echo start',
  'cat daemon.json > "$CONF"',
  '$dc exec web apk add curl',
  'echo middle',
  'run cp app.conf "$TARGET"',
  '$docker_path commit web app:debug',
  'echo "$LATER" > /tmp/out',
  'cp x "$LATER"',
  'LATER=/etc/later.conf',
  'echo end',
  '',
].join('\n');

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'ARG BASE=debian:12',
  'FROM ${BASE} AS build',
  '# build tools',
  'RUN apt-get update && apt-get install -y curl',
  '',
  'RUN curl -fsSL https://get.example.com | sh',
  'FROM nginx:1.25 AS web',
  'COPY --from=build /out /usr/share/nginx/html',
  'RUN pip install flask',
  'CMD ["nginx", "-g", "daemon off;"]',
  '',
].join('\n');

describe('incremental lint', () => {
  it('re-lints only the edited instruction of a Dockerfile, with the same problems as a full lint', () => {
    assert.equal(
      editAndCompare('dockerfile', DOCKERFILE, DOCKERFILE.replace('pip install flask', 'pip install flask==3.0.0')),
      'partial',
    );
    assert.equal(
      editAndCompare('dockerfile', DOCKERFILE, DOCKERFILE.replace('# build tools', '# build tools and more')),
      'partial',
    );
  });

  it('moves the problems after a new line down, fixes and data included', () => {
    const after = DOCKERFILE.replace('RUN pip install flask', 'RUN echo one\nRUN echo two\nRUN pip install flask');
    assert.equal(editAndCompare('dockerfile', DOCKERFILE, after), 'partial');
    const removed = DOCKERFILE.replace('\nRUN curl -fsSL https://get.example.com | sh', '');
    assert.equal(editAndCompare('dockerfile', DOCKERFILE, removed), 'partial');
  });

  it('lints in full when a piece others depend on changes: directives, global ARGs, FROM, SHELL', () => {
    for (const [from, to] of [
      ['debian:12', 'debian:latest'],
      ['nginx:1.25', 'nginx'],
      ['AS build', 'AS builder'],
      ['# syntax=docker/dockerfile:1', '# escape=`'],
    ]) {
      const edited = DOCKERFILE.replace(from!, to!);
      assert.equal(editAndCompare('dockerfile', DOCKERFILE, edited), 'full', `${from} → ${to}`);
    }
    assert.equal(
      editAndCompare('dockerfile', DOCKERFILE, DOCKERFILE.replace('RUN pip install flask', 'FROM redis')),
      'full',
    );
    assert.equal(
      editAndCompare('dockerfile', DOCKERFILE, DOCKERFILE.replace('RUN pip install flask', 'SHELL ["pwsh", "-c"]')),
      'full',
    );
  });

  it('lints in full when an ignore comment, a heredoc or a trailing continuation is typed', () => {
    assert.equal(
      editAndCompare(
        'dockerfile',
        DOCKERFILE,
        DOCKERFILE.replace('# build tools', '# driftguard-ignore package-unpinned'),
      ),
      'full',
    );
    assert.equal(
      editAndCompare(
        'dockerfile',
        DOCKERFILE,
        DOCKERFILE.replace('RUN pip install flask', 'RUN <<EOF\npip install flask\nEOF'),
      ),
      'full',
    );
    assert.equal(
      editAndCompare('dockerfile', DOCKERFILE, DOCKERFILE.replace('RUN pip install flask', 'RUN pip install flask \\')),
      'full',
    );
  });

  it('keeps a file-wide ignore comment in force for the re-linted piece', () => {
    const text = `# driftguard-ignore-file package-unpinned\n${DOCKERFILE.split('\n').slice(1).join('\n')}`;
    assert.equal(
      editAndCompare('dockerfile', text, text.replace('pip install flask', 'pip install flask requests')),
      'partial',
    );
  });

  it('resolves `--from` stages against every earlier stage', () => {
    const text = `${DOCKERFILE}FROM alpine:3.19\nRUN echo hi\n`;
    assert.equal(
      editAndCompare(
        'dockerfile',
        text,
        text.replace('RUN echo hi', 'COPY --from=0 /a /b\nCOPY --from=build /a /b\nCOPY --from=node:20 /a /b'),
      ),
      'partial',
    );
  });

  it('shell: sees images the script builds anywhere in it, and statements a stray backslash joins', () => {
    const script = '#!/bin/sh\ndocker run app:dev\necho ok\nuptime\ndocker build -t app:dev .\n';
    assert.equal(
      editAndCompare('shell', script, script.replace('docker run app:dev', 'docker run app:dev --rm')),
      'partial',
    );
    assert.equal(editAndCompare('shell', script, script.replace('docker run app:dev', 'docker run nginx')), 'partial');
    // tree-sitter-bash reads a line starting with `\` as part of the statement before it.
    assert.equal(editAndCompare('shell', script, script.replace('uptime', '\\uptime')), 'full');
    assert.equal(editAndCompare('shell', script, script.replace('echo ok', 'echo "ok')), 'full');
  });

  it('shell: re-lints a statement that makes images alone while the images it makes stay the same', () => {
    const script = [
      '#!/bin/sh',
      'docker run app:dev',
      'echo ok',
      'docker build -t app:dev .',
      'docker tag app:dev registry.example.com/app:1',
      'uptime',
      'docker run registry.example.com/app:1 && docker run redis',
      '',
    ].join('\n');
    for (const [from, to] of [
      ['docker build -t app:dev .', 'docker build --pull -t app:dev .'],
      ['docker build -t app:dev .', 'docker build -t app:dev -f Dockerfile.dev .'],
      ['docker run app:dev', 'docker run app:next'],
      ['uptime', 'docker run app:dev --rm'],
      ['docker run redis', 'docker run redis:7'],
    ])
      assert.equal(editAndCompare('shell', script, script.replace(from!, to!)), 'partial', `${from} → ${to}`);
    for (const [from, to] of [
      ['docker build -t app:dev .', 'docker build -t app:next .'],
      ['docker build -t app:dev .', 'echo no build'],
      ['docker tag app:dev registry.example.com/app:1', 'docker tag app:dev registry.example.com/app:2'],
      ['uptime', 'docker commit web redis'],
    ])
      assert.equal(editAndCompare('shell', script, script.replace(from!, to!)), 'full', `${from} → ${to}`);
  });

  it('compose: re-lints the edited service; files with anchors are linted in full', () => {
    const compose =
      'name: demo\nservices:\n  web:\n    image: nginx:1.25\n    command: sh -c "apt-get install -y curl"\n  db:\n' +
      '    image: postgres\nvolumes:\n  data: {}\n';
    assert.equal(
      editAndCompare('compose', compose, compose.replace('image: postgres', 'image: postgres:16')),
      'partial',
    );
    assert.equal(
      editAndCompare('compose', compose, compose.replace('  db:\n', '  cache:\n    image: redis:latest\n  db:\n')),
      'partial',
    );
    assert.equal(editAndCompare('compose', compose, compose.replace('  db:', 'db:')), 'full');
    assert.equal(
      editAndCompare(
        'compose',
        compose,
        compose.replace('volumes:\n  data: {}', 'volumes:\n  data: { driver: local }'),
      ),
      'full',
    );
    const anchored = compose.replace('  web:', '  web: &web').replace('  db:\n', '  db:\n    <<: *web\n');
    assert.equal(
      editAndCompare('compose', anchored, anchored.replace('image: postgres', 'image: postgres:16')),
      'full',
    );
  });

  it('shell: re-lints a region alone with the variables assigned before it, wherever they are', () => {
    // Uses of variables assigned before the region (at the top, in a function, in an `if`) and of
    // one assigned only after it.
    for (const [from, to] of [
      ['cat daemon.json > "$CONF"', 'cat daemon.json >> "$CONF"'],
      ['$dc exec web apk add curl', '$dc exec web apk add curl jq'],
      ['run cp app.conf "$TARGET"', 'run cp other.conf "$TARGET"'],
      ['$docker_path commit web app:debug', '$docker_path commit -m wip web app:debug'],
      ['cp x "$LATER"', 'cp y "$LATER"'],
      ['echo middle', 'echo middle\ncat x > "$CONF"\nrun apk add git'],
    ])
      assert.equal(editAndCompare('shell', VARIABLES, VARIABLES.replace(from!, to!)), 'partial', `${from} → ${to}`);
  });

  it('shell: an edit that changes what a statement assigns is linted in full; one that keeps it, alone', () => {
    for (const [from, to] of [
      ['CONF=/etc/docker/daemon.json', 'CONF=./daemon.json'],
      ['dc="docker compose"', 'dc="echo docker compose"'],
      ['docker_path=$(command -v docker)', 'docker_path=true'],
      ['run() { echo "+ $*"; "$@"; }', 'run() { echo "+ $*"; }'],
      ['  TARGET=/etc/app/app.conf', '  TARGET=$HOME/app.conf'],
      ['LATER=/etc/later.conf', 'LATER=/etc/other.conf'],
      ['echo middle', 'CONF=$HOME/daemon.json'],
      ['echo middle', 'dc=podman'],
    ])
      assert.equal(editAndCompare('shell', VARIABLES, VARIABLES.replace(from!, to!)), 'full', `${from} → ${to}`);
    for (const [from, to] of [
      ['CONF=/etc/docker/daemon.json', 'CONF=/etc/docker/daemon.json # the daemon'],
      ['run() { echo "+ $*"; "$@"; }', 'run() { echo "+ $*" >&2; "$@"; }'],
      ['  TARGET=/etc/app/app.conf', '  TARGET=/etc/app/app.conf\n  echo "$TARGET"'],
    ])
      assert.equal(editAndCompare('shell', VARIABLES, VARIABLES.replace(from!, to!)), 'partial', `${from} → ${to}`);
  });

  it('shell: a variable set to an unknown value later stays unknown in a region re-linted alone', () => {
    const script = VARIABLES.replace('echo start', 'CONF=$HOME/daemon.json\necho start');
    assert.equal(editAndCompare('shell', script, script.replace('cat daemon.json >', 'cat other.json >')), 'partial');
    const unset = VARIABLES.replace('echo start', 'dc=$(pick_engine)\necho start');
    assert.equal(editAndCompare('shell', unset, unset.replace('apk add curl', 'apk add jq')), 'partial');
  });

  it('shell: typing an assignment and its uses matches a full lint at every keystroke', () => {
    const keys = (at: string, typed: string): Array<[string, string]> =>
      [...typed].map((_, i) => [`${at}${typed.slice(0, i)}¦`, `${at}${typed.slice(0, i + 1)}¦`]);
    const script = VARIABLES.replace('echo middle', 'X=¦');
    const modes = typeInto('shell', script, [
      ...keys('X=', '/etc/x.conf'),
      ['¦', ''],
      ['echo end', 'echo end\nY¦'],
      ...keys('Y', ' > "$X" # done'),
      ['¦', ''],
    ]);
    assert.ok(modes.includes('partial') && modes.includes('full'), modes.join(' '));
  });

  it('shell: a change to the variables of a file the script sources is linted in full', () => {
    const sourced = (path: string): Partial<LintInput> => ({
      sourcedVariables: { commands: [['dcx', ['docker', 'exec']]], paths: [['SRC', path]], runners: ['sudo_run'] },
    });
    const script = VARIABLES.replace('echo middle', 'echo middle > "$SRC"\n$dcx web apk add vim\nsudo_run apk add git');
    const before = sourced('/etc/sourced.conf');
    const { state } = lintIncremental(inputOf('shell', script, before), undefined, { minLines: 0 });
    const edited = script.replace('echo end', 'echo the end');
    assert.equal(compareNext('shell', edited, state, before).mode, 'partial');
    assert.equal(compareNext('shell', edited, state, sourced('./local.conf')).mode, 'full');
  });

  it('lints in full when settings or the shell context change', () => {
    const { state } = lintIncremental(inputOf('shell', 'apt-get install -y curl\necho\n'), undefined, { minLines: 0 });
    const input = { ...inputOf('shell', 'apt-get install -y curl\necho hi\n'), shellContext: 'build' as const };
    assert.equal(lintIncremental(input, state, { minLines: 0 }).mode, 'full');
    const strictless = {
      ...inputOf('shell', 'apt-get install -y curl\necho hi\n'),
      settings: { severities: severitiesFor('recommended'), imagesAllow: [] },
    };
    assert.equal(lintIncremental(strictless, state, { minLines: 0 }).mode, 'full');
  });

  it('matches a full lint with the same unit split over random edits of corpus files (fixed seed)', async function () {
    this.timeout(120000);
    const random = prng(20261127);
    const files = sample(await corpusFiles(), 60, random);
    const snippets = [
      'a',
      ' ',
      '\\',
      '"',
      "'",
      '#',
      ':',
      '\n',
      '-',
      '$',
      '{',
      '}',
      '|',
      ';',
      '\t',
      '  ',
      '\nRUN apt-get install -y curl\n',
      '    image: nginx\n',
      'docker run redis\n',
      '<<EOF\n',
    ];
    const counts = { partial: 0, full: 0 };
    for (const file of files) {
      let text = fs.readFileSync(file.path, 'utf8');
      let { state } = lintIncremental(inputOf(file.kind, text), undefined, { minLines: 0 });
      for (let edit = 0; edit < 15; edit++) {
        const at = Math.floor(random() * (text.length + 1));
        const choice = random();
        if (choice < 0.6) text = text.slice(0, at) + snippets[Math.floor(random() * snippets.length)] + text.slice(at);
        else if (choice < 0.85) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else {
          const lines = text.split('\n');
          lines.splice(Math.floor(random() * lines.length), 0, lines[Math.floor(random() * lines.length)]!);
          text = lines.join('\n');
        }
        const next = compareNext(file.kind, text, state);
        counts[next.mode]++;
        if (next.mode === 'partial')
          assert.deepEqual(
            unitsOf(next.state),
            unitsOf(lintIncremental(inputOf(file.kind, text), undefined, { minLines: 0 }).state),
            `unit split after an edit of ${file.path}`,
          );
        state = next.state;
      }
    }
    assert.ok(counts.partial > counts.full / 4, `partial lints were exercised: ${JSON.stringify(counts)}`);
  });

  it('re-lints a 3,000-line document partially while typing (default threshold)', async function () {
    this.timeout(60000);
    const files = (await corpusFiles()).filter((f) => f.kind === 'dockerfile').slice(0, 120);
    let text = files.map((f) => fs.readFileSync(f.path, 'utf8').replace(/\r\n/g, '\n')).join('\n');
    text = text.split('\n').slice(0, 3000).join('\n');
    const middle = text.indexOf('\nRUN ', text.length / 2) + 1;
    let { state } = lintIncremental(inputOf('dockerfile', text));
    let partial = 0;
    for (const typed of ['x', 'y', ' ', 'z']) {
      text = text.slice(0, middle + 4) + typed + text.slice(middle + 4);
      const next = compareNext('dockerfile', text, state, {}, 200);
      if (next.mode === 'partial') partial++;
      state = next.state;
    }
    assert.equal(partial, 4);
  });
});
