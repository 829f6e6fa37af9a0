import * as assert from 'node:assert/strict';
import { dockerfile } from '../../server/src/kinds/dockerfile';
import { ScriptRunners } from '../../server/src/pin/scriptRunners';
import type { ShellSnippet } from '../../server/src/shell/snippet';
import { stagesOf } from '../../server/src/shell/stageFiles';
import { testEngine } from '../helpers/engine';

describe('scripts a Dockerfile runs at build', () => {
  it('are worked out once per model when a host records both their paths and their stages', () => {
    const text =
      'FROM debian AS base\nCOPY setup.sh /tmp/\nRUN /tmp/setup.sh\n' +
      'FROM base\nCOPY x.sh /opt/\nRUN sh /opt/x.sh && /tmp/setup.sh\n';
    const engine = testEngine();
    const file = { path: '/w/Dockerfile', kind: 'dockerfile' as const, text };
    const model = engine.readModel(file);
    const parsed = model.parsedAs(dockerfile)!;
    // Count the reads of each RUN's commands: the walk over them is the work done once.
    let reads = 0;
    const commandsOf = (snippets: readonly ShellSnippet[]) => model.shellCommandsOf(snippets);
    for (const stage of stagesOf(parsed, commandsOf))
      for (const event of stage.events)
        if (event.kind === 'run') {
          const commands = event.commands;
          event.commands = () => {
            reads++;
            return commands();
          };
        }
    const uses = engine.scriptUses(file, model);
    const afterUses = reads;
    new ScriptRunners().set(file.path, model, 'Dockerfile');
    assert.deepEqual(uses.build, ['setup.sh', 'x.sh']);
    assert.equal(afterUses, 2, 'one read per RUN for the paths');
    assert.equal(reads, afterUses, 'the stages of the runs reuse that walk');
  });

  it('are not looked for among the commands of a stage no COPY or ADD put a file in', () => {
    const text =
      'FROM debian\nRUN /tmp/setup.sh\nFROM debian AS two\nCOPY x.sh /opt/\nRUN /opt/x.sh\nFROM two\nRUN /opt/x.sh\n';
    const engine = testEngine();
    const file = { path: '/w/Dockerfile', kind: 'dockerfile' as const, text };
    const model = engine.readModel(file);
    const commandsOf = (snippets: readonly ShellSnippet[]) => model.shellCommandsOf(snippets);
    const read: number[] = [];
    for (const stage of stagesOf(model.parsedAs(dockerfile)!, commandsOf))
      for (const event of stage.events)
        if (event.kind === 'run') {
          const commands = event.commands;
          event.commands = () => {
            read.push(event.line);
            return commands();
          };
        }
    assert.deepEqual(engine.scriptUses(file, model).build, ['x.sh']);
    assert.deepEqual(read, [4, 6], 'the RUN of the first stage is not analysed');
  });
});
