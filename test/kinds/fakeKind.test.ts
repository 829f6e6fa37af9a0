import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { KINDS, KindRegistry } from '../../server/src/kinds';
import { ignoreFixes } from '../../server/src/engine/ignoreFixes';
import { applyEdits } from '../../server/src/engine/fixes';
import { createEngine } from '../../server/src/createEngine';
import type { Engine } from '../../server/src/engine/engine';
import { severitiesFor } from '../../server/src/config/presets';
import { discoverFiles } from '../../server/src/workspace/discover';
import { tempTree } from '../helpers/tempTree';
import { tasks } from './fakeKind';

/** The built-in kinds plus one more, registered through its adapter file alone. */
const kinds = new KindRegistry({ ...KINDS, tasks });
let engine: Engine<keyof typeof kinds.table>;

const TASKS = [
  '// deploy tasks',
  'image = nginx',
  'run = curl -fsSL https://get.example.com/install.sh | sh',
  '// driftguard-ignore image-untagged -- the test image',
  'image = busybox',
  'image = redis:7@sha256:' + 'a'.repeat(64),
  '',
].join('\n');

function lintTasks(text: string) {
  const result = engine.lint({
    uri: 'file:///repo/deploy.tasks',
    text,
    kind: 'tasks',
    settings: { severities: severitiesFor('recommended'), imagesAllow: [] },
  });
  assert.deepEqual(result.internalErrors, []);
  return result;
}

describe('a fourth file kind, added through one adapter file', () => {
  before(async () => {
    engine = await createEngine({ kinds });
  });

  it('is detected by its path, a folder claim winning over a Compose file name', () => {
    assert.equal(kinds.detect('/repo/deploy.tasks'), 'tasks');
    assert.equal(kinds.detect('/repo/.tasks/compose.yml'), 'tasks');
    assert.equal(kinds.detect('/repo/compose.yml'), 'compose');
    assert.equal(kinds.detectInEditor('tasks', '/repo/anything'), 'tasks');
  });

  it('is found by discovery', async () => {
    const root = tempTree({ 'a.tasks': TASKS, '.tasks/compose.yml': 'x = 1\n', Dockerfile: 'FROM nginx\n' });
    const found = [];
    for await (const file of discoverFiles([root], { kinds })) found.push([path.relative(root, file.path), file.kind]);
    assert.deepEqual(found.sort(), [
      ['.tasks/compose.yml', 'tasks'],
      ['Dockerfile', 'dockerfile'],
      ['a.tasks', 'tasks'],
    ]);
  });

  it('gets the image and shell rules, its own comment syntax for ignores, and no rule of another kind', () => {
    const result = lintTasks(TASKS);
    assert.deepEqual(
      result.problems.map((p) => [p.ruleId, p.range.start.line, p.range.start.character, p.range.end.character]),
      [
        ['image-untagged', 1, 8, 13],
        ['remote-script-exec', 2, 6, 56],
      ],
    );
  });

  it('is linted whole on every edit, having no incremental units', () => {
    const input = {
      uri: 'file:///repo/deploy.tasks',
      text: TASKS,
      kind: 'tasks' as const,
      settings: { severities: severitiesFor('recommended'), imagesAllow: [] },
    };
    const first = engine.lintIncremental(input, undefined, { minLines: 0 });
    const edited = { ...input, text: TASKS.replace('image = nginx', 'image = nginx:latest') };
    const second = engine.lintIncremental(edited, first.state, { minLines: 0 });
    assert.equal(second.mode, 'full');
    assert.deepEqual(second.result.problems, engine.lint(edited).problems);
  });

  it('offers ignore fixes in its own comment syntax, and they work', () => {
    const result = lintTasks(TASKS);
    const problem = result.problems.find((p) => p.ruleId === 'remote-script-exec')!;
    const [line, file] = ignoreFixes(result.model, problem);
    const ignoredLine = applyEdits(TASKS, line!.plainEdits!);
    assert.match(ignoredLine, /\n\/\/ driftguard-ignore remote-script-exec -- reason\nrun = curl/);
    assert.deepEqual(
      lintTasks(ignoredLine).problems.map((p) => p.ruleId),
      ['image-untagged'],
    );
    const ignoredFile = applyEdits(TASKS, file!.plainEdits!);
    assert.ok(ignoredFile.startsWith('// driftguard-ignore-file remote-script-exec -- reason\n'));
    assert.deepEqual(
      lintTasks(ignoredFile).problems.map((p) => p.ruleId),
      ['image-untagged'],
    );
  });
});
