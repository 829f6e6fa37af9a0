import * as assert from 'node:assert/strict';
import { testEngine } from '../helpers/engine';
import { applyEdits } from '../../server/src/engine/fixes';
import { severitiesFor } from '../../server/src/config/presets';
import type { FileKind } from '../../server/src/engine/types';
import { RegistryClient } from '../../server/src/registry';
import { ActionRefService } from '../../server/src/actions/refService';
import { planDocumentPins, type DocumentPinPlan } from '../../server/src/pin/pinDocument';
import { useActionServer } from '../helpers/actionServer';

describe('pinning action refs (real git server)', function () {
  this.timeout(30_000);
  const git = useActionServer();
  const registry = new RegistryClient({ env: {} });
  after(() => registry.close());

  async function pin(text: string, kind: FileKind = 'workflow', service?: ActionRefService): Promise<DocumentPinPlan> {
    const actions = service ?? new ActionRefService({ serverUrl: git.server.url, http: { env: {} } });
    try {
      return await planDocumentPins(
        testEngine(),
        { uri: 'file:///w.yml', text, kind, settings: { severities: severitiesFor('recommended'), imagesAllow: [] } },
        { registry, actions },
      );
    } finally {
      if (!service) actions.close();
    }
  }

  /** Pins, checks the result re-parses with no action findings left, and that a second pin changes nothing. */
  async function pinned(text: string, kind: FileKind = 'workflow'): Promise<string> {
    const plan = await pin(text, kind);
    assert.deepEqual(plan.failed, []);
    const output = applyEdits(text, plan.edits);
    const relint = testEngine().lint({
      uri: 'file:///w.yml',
      text: output,
      kind,
      settings: { severities: severitiesFor('strict'), imagesAllow: [] },
    });
    assert.equal(relint.skipped, undefined, 'the pinned file still parses');
    assert.deepEqual(
      relint.problems.filter((p) => p.ruleId.startsWith('action-')).map((p) => p.message),
      [],
    );
    const again = await pin(output, kind);
    assert.deepEqual([again.edits, again.failed], [[], []], 'idempotent');
    return output;
  }

  it('pins tags, branches and tags of tags to their commits, commented with the most specific version', async () => {
    const c = git.checkout;
    const output = await pinned(
      [
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: acme/checkout@v2',
        '      - uses: acme/checkout@v1.0.0',
        '      - uses: acme/checkout@main',
        '      - uses: acme/checkout/sub/path@stable',
        '      - uses: acme/checkout@release/v2',
        '  call:',
        '    uses: acme/setup/.github/workflows/x.yml@v1.0.0',
        '',
      ].join('\n'),
    );
    assert.equal(
      output,
      [
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        `      - uses: acme/checkout@${c.commit('v2.0.0')} # v2.0.0`,
        `      - uses: acme/checkout@${c.commit('v1.0.0')} # v1.0.0`,
        `      - uses: acme/checkout@${c.commit('main')} # main`,
        `      - uses: acme/checkout/sub/path@${c.commit('v2.0.0')} # v2.0.0`,
        `      - uses: acme/checkout@${c.commit('v2.0.0')} # v2.0.0`,
        '  call:',
        `    uses: acme/setup/.github/workflows/x.yml@${git.setup.commit('v1.0.0')} # v1.0.0`,
        '',
      ].join('\n'),
    );
    // One listing per repository, however many refs of it the file names.
    assert.equal(git.server.requests.filter((r) => r.method === 'POST').length, 2);
  });

  it('keeps the rest of the line: quotes, a replaced version comment, another comment, flow style, CRLF', async () => {
    const c = git.checkout;
    const v2 = c.commit('v2.0.0');
    const output = await pinned(
      'jobs:\r\n  a:\r\n    steps:\r\n' +
        '      - uses: "acme/checkout@v2"   # v1.9.0\r\n' +
        "      - uses: 'acme/checkout@v2' # tag=v1\r\n" +
        '      - uses: acme/checkout@v2 # ratchet:acme/checkout@v2\r\n' +
        '      - uses: acme/checkout@v2 # needed for the cache key\r\n' +
        '      - { uses: acme/checkout@v2, with: { fetch-depth: 0 } }\r\n' +
        '      - { uses: acme/checkout@v2 } # tail\r\n',
    );
    assert.equal(
      output,
      'jobs:\r\n  a:\r\n    steps:\r\n' +
        `      - uses: "acme/checkout@${v2}"   # v2.0.0\r\n` +
        `      - uses: 'acme/checkout@${v2}' # v2.0.0\r\n` +
        `      - uses: acme/checkout@${v2} # v2.0.0\r\n` +
        `      - uses: acme/checkout@${v2} # v2.0.0 # needed for the cache key\r\n` +
        `      - { uses: acme/checkout@${v2}, with: { fetch-depth: 0 } } # v2.0.0\r\n` +
        `      - { uses: acme/checkout@${v2} } # v2.0.0 # tail\r\n`,
    );
  });

  it('pins the branch GitHub runs for a name both a branch and a tag, and a version-named branch', async () => {
    const c = git.checkout;
    const plan = await pin('jobs:\n  a:\n    steps:\n      - uses: acme/checkout@v1\n      - uses: acme/checkout@v3\n');
    assert.deepEqual(
      plan.pinned.map((p) => p.newText),
      [`acme/checkout@${c.commit('v1-maintenance')} # v1`, `acme/checkout@${c.commit('main')} # v3`],
    );
  });

  it('pins composite action steps, a value on the line after its key too', async () => {
    const v2 = git.checkout.commit('v2.0.0');
    const output = await pinned(
      'runs:\n  using: composite\n  steps:\n    - uses: acme/checkout@v2\n    - uses:\n        acme/checkout@v2\n',
      'action',
    );
    assert.equal(
      output,

      `runs:\n` +
        `  using: composite\n` +
        `  steps:\n` +
        `    - uses: acme/checkout@${v2} # v2.0.0\n` +
        `    - uses:\n` +
        `        acme/checkout@${v2} # v2.0.0\n`,
    );
  });

  it('says why a ref is not pinned, and pins the others', async () => {
    const plan = await pin(
      'jobs:\n' +
        '  a:\n' +
        '    steps:\n' +
        '      - uses: acme/checkout@nope\n' +
        '      - uses: acme/missing@v1\n' +
        '      - uses: "acme/checkout\\u0040v2"\n' +
        '      - uses: >-\n' +
        '          acme/checkout@v2\n' +
        '      - uses: acme/setup@v1.0.0\n',
    );
    assert.deepEqual(
      plan.failed.map((f) => [f.line, f.reason]),
      [
        [3, 'acme/checkout: no branch or tag named “nope”'],
        [
          4,
          `git server ${new URL(git.server.url).host}: acme/missing not found or not accessible ` +
            '(if it is private, set GITHUB_TOKEN or GH_TOKEN)',
        ],
        [5, 'the `uses:` value is not written as plain text (escapes or a block scalar): pin it by hand'],
        [6, 'the `uses:` value is not written as plain text (escapes or a block scalar): pin it by hand'],
      ],
    );
    assert.equal(plan.pinned.length, 1);
  });

  it('leaves ignored findings alone, and pins refs whose rules are off', async () => {
    const text =
      'jobs:\n' +
      '  a:\n' +
      '    steps:\n' +
      '      # driftguard-ignore action-tag-ref\n' +
      '      - uses: acme/checkout@v2\n' +
      '      - uses: acme/setup@main\n';
    const actions = new ActionRefService({ serverUrl: git.server.url, http: { env: {} } });
    try {
      const plan = await planDocumentPins(
        testEngine(),
        {
          uri: 'file:///w.yml',
          text,
          kind: 'workflow',
          settings: { severities: { 'action-branch-ref': 'off' }, imagesAllow: [] },
        },
        { registry, actions },
      );
      assert.deepEqual(
        plan.pinned.map((p) => p.line),
        [5],
      );
    } finally {
      actions.close();
    }
  });

  it('without a git server, action refs are reported as not pinned with the reason', async () => {
    const plan = await planDocumentPins(
      testEngine(),
      {
        uri: 'file:///w.yml',
        text: 'jobs:\n  a:\n    steps:\n      - uses: a/b@v1\n',
        kind: 'workflow',
        settings: { severities: {}, imagesAllow: [] },
      },
      { registry, actionsUnavailable: 'action lookups are off in an untrusted workspace' },
    );
    assert.deepEqual(plan.failed, [
      { reference: 'a/b@v1', line: 3, reason: 'action lookups are off in an untrusted workspace' },
    ]);
  });
});
