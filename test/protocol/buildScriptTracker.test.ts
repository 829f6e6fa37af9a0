import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { testEngine } from '../helpers/engine';
import { BuildScriptTracker } from '../../server/src/lsp/buildScriptTracker';
import { copyCandidates } from '../../server/src/workspace/scriptCopies';
import { tempTree } from '../helpers/tempTree';

const root = path.resolve('/ws');
/** Records a Dockerfile's scripts in the tracker, as the server does when one is edited or scanned. */
const update = (tracker: BuildScriptTracker, dockerfile: string, text: string) =>
  tracker.update(testEngine(), { path: dockerfile, kind: 'dockerfile' }, text);
const scriptsOf = (tracker: BuildScriptTracker) => {
  const index = tracker.scripts();
  return {
    build: [...index.build].sort(),
    entrypoint: [...index.entrypoint].sort(),
    ...(index.startup.size > 0 ? { startup: [...index.startup].sort() } : {}),
  };
};

describe('build-script tracker', () => {
  it('merges the scripts every Dockerfile runs and forgets them when a Dockerfile stops running them', () => {
    const tracker = new BuildScriptTracker();
    const a = path.join(root, 'a', 'Dockerfile');
    const b = path.join(root, 'b', 'Dockerfile');
    update(
      tracker,
      a,
      'FROM alpine:3\nCOPY setup.sh /setup.sh\nRUN /setup.sh\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
    );
    update(tracker, b, 'FROM alpine:3\nCOPY setup.sh /setup.sh\nRUN sh /setup.sh\n');
    const both = {
      build: [path.join(root, 'a', 'setup.sh'), path.join(root, 'b', 'setup.sh')],
      entrypoint: [path.join(root, 'a', 'start.sh')],
    };
    assert.deepEqual(scriptsOf(tracker), both);
    update(
      tracker,
      a,
      'FROM alpine:3\nCOPY setup.sh /setup.sh\nRUN /setup.sh\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
    );
    assert.deepEqual(scriptsOf(tracker), both, 'an unchanged Dockerfile');
    update(tracker, a, 'FROM alpine:3\nRUN echo none\n');
    assert.deepEqual(scriptsOf(tracker), { build: [path.join(root, 'b', 'setup.sh')], entrypoint: [] });
    update(tracker, b, 'FROM alpine:3\n');
    assert.deepEqual(scriptsOf(tracker), { build: [], entrypoint: [] });
    update(tracker, b, 'FROM alpine:3\nCOPY other.sh /other.sh\nRUN /other.sh\n');
    assert.deepEqual(scriptsOf(tracker), { build: [path.join(root, 'b', 'other.sh')], entrypoint: [] });
  });

  it('tracks what Dockerfiles copy into start-up folders', () => {
    const tracker = new BuildScriptTracker();
    const a = path.join(root, 'a', 'Dockerfile');
    update(tracker, a, 'FROM alpine:3\nCOPY service /etc/service\n');
    assert.deepEqual(scriptsOf(tracker), { build: [], entrypoint: [], startup: [path.join(root, 'a', 'service')] });
    update(tracker, a, 'FROM alpine:3\nCOPY service /opt/service\n');
    assert.deepEqual(scriptsOf(tracker), { build: [], entrypoint: [] });
  });

  it('indexes a byte-for-byte copy of a container script (a template beside each Dockerfile) as one', async () => {
    const entrypoint = `#!/bin/sh\n${'# renders the settings\n'.repeat(20)}exec "$@"\n`;
    const folder = tempTree({
      'docker-entrypoint.sh': entrypoint,
      'other.sh': entrypoint.replace('exec', 'exec nice'),
      'v1/Dockerfile': 'FROM alpine:3\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
      'v1/entrypoint.sh': entrypoint,
    });
    const tracker = new BuildScriptTracker();
    await tracker.index(testEngine(), [folder]);
    assert.deepEqual(scriptsOf(tracker).entrypoint, [
      path.join(folder, 'docker-entrypoint.sh'),
      path.join(folder, 'v1', 'entrypoint.sh'),
    ]);
  });
  it('indexes a template a generator copies to where a Dockerfile runs it, the copy not in view', async () => {
    const folder = tempTree({
      'update.sh': '#!/bin/sh\nfor v in 1 2; do cp docker-entrypoint.sh "$v/entrypoint.sh"; done\n',
      'docker-entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
      'v1/Dockerfile': 'FROM alpine:3\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
    });
    const tracker = new BuildScriptTracker();
    await tracker.index(testEngine(), [folder]);
    assert.deepEqual(scriptsOf(tracker).entrypoint, [
      path.join(folder, 'docker-entrypoint.sh'),
      path.join(folder, 'v1', 'entrypoint.sh'),
    ]);
  });

  it('indexes scripts another script runs in a throwaway container as ephemeral', async () => {
    const folder = tempTree({
      'build.sh': '#!/bin/sh\ndocker run --rm -v "$(pwd)":/src -w /src debian:12 ./tools/deps.sh\n',
      'tools/deps.sh': '#!/bin/sh\napt-get install -y gcc\n',
      'tools/other.sh': '#!/bin/sh\napt-get install -y gcc\n',
    });
    const tracker = new BuildScriptTracker();
    await tracker.index(testEngine(), [folder]);
    assert.deepEqual([...tracker.scripts().ephemeral], [path.join(folder, 'tools', 'deps.sh')]);
  });

  it('indexes the build contexts and named contexts Compose, bake files and scripts define', async () => {
    const folder = tempTree({
      'compose.yaml':
        'services:\n  app:\n    build:\n      context: src\n      dockerfile: ../docker/app/Dockerfile\n' +
        '      additional_contexts:\n        base: service:base\n',
      'docker/app/Dockerfile': 'FROM base\nCOPY setup.sh /setup.sh\nRUN /setup.sh\n',
      'src/setup.sh': '#!/bin/sh\napt-get install -y gcc\n',
      'docker-bake.hcl': 'target "web" {\n  context = "web"\n  contexts = {\n    conf = "./conf"\n  }\n}\n',
      'web/Dockerfile': 'FROM nginx:1\nCOPY --from=conf start.sh /start.sh\nCMD ["/start.sh"]\n',
      'conf/start.sh': '#!/bin/sh\napt-get install -y curl\n',
      'tools/images.sh': '#!/bin/sh\ndocker build -f images/Dockerfile.tools hack\n',
      'images/Dockerfile.tools': 'FROM debian:12\nCOPY deps.sh /deps.sh\nRUN /deps.sh\n',
      'hack/deps.sh': '#!/bin/sh\napt-get install -y make\n',
    });
    const tracker = new BuildScriptTracker();
    await tracker.index(testEngine(), [folder]);
    assert.deepEqual(scriptsOf(tracker), {
      build: [path.join(folder, 'hack', 'deps.sh'), path.join(folder, 'src', 'setup.sh')],
      entrypoint: [path.join(folder, 'conf', 'start.sh')],
    });
    assert.deepEqual(tracker.namedContextsOf(path.join(folder, 'docker', 'app', 'Dockerfile')), ['base']);
    assert.deepEqual(tracker.namedContextsOf(path.join(folder, 'web', 'Dockerfile')), ['conf']);
    assert.deepEqual(tracker.namedContextsOf(path.join(folder, 'images', 'Dockerfile.tools')), []);
    // The stage a build script runs in, read when asked (the index keeps no Dockerfile's stages).
    assert.equal(tracker.runnerOf(path.join(folder, 'hack', 'deps.sh')).stage?.base?.reference, 'debian:12');
    assert.match(tracker.runnerOf(path.join(folder, 'conf', 'start.sh')).osReason ?? '', /no Dockerfile here runs/);
  });

  it('keeps only the scripts another one equals byte for byte, for the copies it places', () => {
    const long = `#!/bin/sh\n${'# renders the settings\n'.repeat(20)}exec "$@"\n`;
    const scripts = [
      { path: '/ws/docker-entrypoint.sh', text: long },
      { path: '/ws/v1/entrypoint.sh', text: long },
      { path: '/ws/other.sh', text: `${long}# changed\n` },
      { path: '/ws/a.sh', text: 'exec "$@"\n' },
      { path: '/ws/b.sh', text: 'exec "$@"\n' },
    ];
    assert.deepEqual(
      copyCandidates(scripts).map((s) => s.path),
      ['/ws/docker-entrypoint.sh', '/ws/v1/entrypoint.sh'],
    );
  });

  it('leaves an open Dockerfile to its editor: the index neither reads it from disk nor parses it again', async () => {
    const folder = tempTree({
      Dockerfile: 'FROM alpine:3\nRUN echo none\n',
      'setup.sh': '#!/bin/sh\napt-get install -y gcc\n',
      'other/Dockerfile': 'FROM alpine:3\nCOPY start.sh /start.sh\nCMD ["/start.sh"]\n',
    });
    const dockerfile = path.join(folder, 'Dockerfile');
    const tracker = new BuildScriptTracker();
    // The editor's text (unsaved), recorded by its lint before the index runs.
    update(tracker, dockerfile, 'FROM alpine:3\nCOPY setup.sh /setup.sh\nRUN /setup.sh\n');
    await tracker.index(testEngine(), [folder], { isOpen: (p) => p === dockerfile });
    assert.deepEqual(scriptsOf(tracker), {
      build: [path.join(folder, 'setup.sh')],
      entrypoint: [path.join(folder, 'other', 'start.sh')],
    });
  });
});
