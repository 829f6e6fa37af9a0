import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Alias } from 'yaml';
import type { LintResult } from '../../server/src/engine/lint';
import type { LintInput } from '../../server/src/engine/settings';
import { severitiesFor } from '../../server/src/config/presets';
import type { YamlFile } from '../../server/src/model/yamlFile';
import { initEngine } from '../fuzz/harness';
import { testEngine } from '../helpers/engine';
import { chainedAnchors, mergeFanout, sharedAnchor, YAML_SHAPES, YamlKind } from '../helpers/hostileYaml';
import { LspTestClient, SERVER_MAIN, uriOf } from '../helpers/lspClient';
import { REPO_ROOT } from '../helpers/repo';
import { tempTree } from '../helpers/tempTree';

const CLI = path.join(REPO_ROOT, 'out', 'server', 'src', 'cli', 'main.js');
const KINDS: YamlKind[] = ['compose', 'workflow', 'gitlab-ci'];
const BUDGET_SPENT = /^merge keys \(<<\) and aliases expand beyond the lookup budget: more than \d+ nodes visited/;

function inputOf(kind: YamlKind, text: string): LintInput {
  return {
    uri: uriOf(path.join('/project', YAML_SHAPES[kind].file)),
    text,
    kind,
    settings: { severities: severitiesFor('recommended'), imagesAllow: [] },
  };
}

function lintYaml(kind: YamlKind, text: string): LintResult {
  return testEngine().lint(inputOf(kind, text));
}

/** The file's merge and alias lookups (every YAML kind's model keeps them in `yaml`). */
function yamlOf(result: LintResult): YamlFile {
  return (result.model.parsed as { yaml: YamlFile }).yaml;
}

/** Calls of the yaml package's `Alias.resolve` (a walk of the whole document each) while `run` runs. */
function aliasWalks(run: () => void): number {
  const original = Object.getOwnPropertyDescriptor(Alias.prototype, 'resolve')!;
  let calls = 0;
  Alias.prototype.resolve = function (this: Alias, ...args: Parameters<Alias['resolve']>) {
    calls++;
    return original.value.apply(this, args);
  };
  try {
    run();
  } finally {
    Object.defineProperty(Alias.prototype, 'resolve', original);
  }
  return calls;
}

describe('YAML merge keys in hostile files', function () {
  this.timeout(60000);
  before(() => initEngine());

  for (const kind of KINDS) {
    it(`${kind}: anchors merging the previous one six times over ten levels are read once each`, () => {
      const ten = lintYaml(kind, mergeFanout(kind, 10, 6));
      const fifteen = lintYaml(kind, mergeFanout(kind, 15, 6));
      for (const result of [ten, fifteen]) {
        assert.equal(result.skipped, undefined);
        assert.deepEqual(
          result.problems.map((p) => [p.ruleId, p.range.start.line]),
          [['image-untagged', YAML_SHAPES[kind].header.split('\n').length - 1]],
        );
      }
      // Memoised merges: five more levels cost five levels' worth of visits, not 6^5 times as many.
      const perLevel = (yamlOf(fifteen).visited - yamlOf(ten).visited) / 5;
      assert.ok(perLevel > 0 && perLevel <= 40, `${perLevel} visits per level`);
      assert.ok(yamlOf(ten).visited <= 4 * yamlOf(ten).nodes, `${yamlOf(ten).visited} visits`);
    });

    it(`${kind}: 3,000 entries sharing one anchor cost a few visits each, and no alias walks the document`, () => {
      let small: LintResult | undefined;
      let large: LintResult | undefined;
      const walks = aliasWalks(() => {
        small = lintYaml(kind, sharedAnchor(kind, 3000));
        large = lintYaml(kind, sharedAnchor(kind, 6000));
      });
      assert.equal(walks, 0);
      for (const result of [small!, large!]) {
        assert.equal(result.skipped, undefined);
        assert.deepEqual(
          result.problems.map((p) => p.ruleId),
          ['image-untagged'],
        );
      }
      const perEntry = yamlOf(small!).visited / 3000;
      assert.ok(perEntry <= 30, `${perEntry} visits per entry`);
      // Linear: twice the entries, twice the visits.
      const growth = yamlOf(large!).visited / yamlOf(small!).visited;
      assert.ok(growth > 1.8 && growth < 2.2, `visits grew ${growth}×`);
    });

    it(`${kind}: merges that expand quadratically are skipped with the reason once the budget is spent`, () => {
      const text = chainedAnchors(kind, 600);
      const result = lintYaml(kind, text);
      assert.match(result.skipped ?? '', BUDGET_SPENT);
      assert.deepEqual(result.problems, []);
      const model = testEngine().model(inputOf(kind, text));
      assert.equal(model.kind.skipReason!(model.parsed), result.skipped);
      const yaml = (model.parsed as { yaml: YamlFile }).yaml;
      // Stopped at the budget (the last step spends at most one anchor's entries, 600).
      assert.ok(yaml.visited > yaml.budget && yaml.visited <= yaml.budget + 600, `${yaml.visited} visits`);
      // The same shape a quarter the size stays within it and is analysed.
      assert.equal(lintYaml(kind, chainedAnchors(kind, 150)).skipped, undefined);
    });
  }

  it('the CLI lists the skipped file with its reason in text, JSON and SARIF, and analyses the others', () => {
    const root = tempTree({ 'bomb/compose.yaml': chainedAnchors('compose'), 'app/Dockerfile': 'FROM alpine\n' });
    const cli = (format: string) =>
      spawnSync(process.execPath, [CLI, '--format', format, '.'], { cwd: root, encoding: 'utf8' });
    const text = cli('text');
    assert.equal(text.status, 1, text.stderr);
    assert.match(text.stdout, /bomb\/compose\.yaml\n {2}skipped: merge keys \(<<\) and aliases expand beyond/);
    assert.match(text.stdout, /app\/Dockerfile\n {2}1:6/);
    const json = JSON.parse(cli('json').stdout) as { files: Array<{ path: string; skipped?: string }> };
    assert.match(json.files.find((f) => f.path === 'bomb/compose.yaml')?.skipped ?? '', BUDGET_SPENT);
    const sarif = JSON.parse(cli('sarif').stdout) as {
      runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }> }>;
    };
    const notices = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text);
    assert.ok(
      notices.some((n) => /^skipped: merge keys \(<<\)/.test(n)),
      notices.join('\n'),
    );
  });

  it('the server says on the first line why it did not analyse the file, and keeps answering', async () => {
    const root = tempTree({});
    const client = new LspTestClient(SERVER_MAIN);
    try {
      await client.initialize(uriOf(root));
      const bomb = uriOf(path.join(root, 'compose.yaml'));
      const [notice, ...others] = await client.openAndWait(bomb, 'dockercompose', chainedAnchors('compose'));
      assert.deepEqual(others, []);
      assert.equal(notice!.severity, 3);
      assert.equal(notice!.code, 'not-analysed');
      assert.equal(notice!.range.start.line, 0);
      assert.match(
        notice!.message as string,
        /^DriftGuard did not analyse this file: merge keys \(<<\) and aliases expand/,
      );
      const fanout = uriOf(path.join(root, 'fanout', 'compose.yaml'));
      assert.deepEqual(
        (await client.openAndWait(fanout, 'dockercompose', mergeFanout('compose'))).map((d) => d.code),
        ['image-untagged'],
      );
    } finally {
      await client.stop();
    }
  });
});
