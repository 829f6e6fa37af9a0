import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { initAnalyzers } from '../../server/src/analyzers';
import { BuildScriptTracker } from '../../server/src/lsp/buildScriptTracker';

const root = path.resolve('/ws');
const dockerfileAt = (p: string) => ({ path: p, kind: 'dockerfile' as const });
const scriptsOf = (tracker: BuildScriptTracker) => {
  const index = tracker.scripts();
  return {
    build: [...index.build].sort(),
    entrypoint: [...index.entrypoint].sort(),
    ...(index.startup.size > 0 ? { startup: [...index.startup].sort() } : {}),
  };
};

describe('build-script tracker', () => {
  before(() => initAnalyzers());

  it('merges the scripts every Dockerfile runs and forgets them when a Dockerfile stops running them', () => {
    const tracker = new BuildScriptTracker();
    const a = path.join(root, 'a', 'Dockerfile');
    const b = path.join(root, 'b', 'Dockerfile');
    tracker.update(
      dockerfileAt(a),
      'FROM alpine:3\nCOPY setup.sh /setup.sh\nRUN /setup.sh\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
    );
    tracker.update(dockerfileAt(b), 'FROM alpine:3\nCOPY setup.sh /setup.sh\nRUN sh /setup.sh\n');
    const both = {
      build: [path.join(root, 'a', 'setup.sh'), path.join(root, 'b', 'setup.sh')],
      entrypoint: [path.join(root, 'a', 'start.sh')],
    };
    assert.deepEqual(scriptsOf(tracker), both);
    tracker.update(
      dockerfileAt(a),
      'FROM alpine:3\nCOPY setup.sh /setup.sh\nRUN /setup.sh\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n',
    );
    assert.deepEqual(scriptsOf(tracker), both, 'an unchanged Dockerfile');
    tracker.update(dockerfileAt(a), 'FROM alpine:3\nRUN echo none\n');
    assert.deepEqual(scriptsOf(tracker), { build: [path.join(root, 'b', 'setup.sh')], entrypoint: [] });
    tracker.update(dockerfileAt(b), 'FROM alpine:3\n');
    assert.deepEqual(scriptsOf(tracker), { build: [], entrypoint: [] });
    tracker.update(dockerfileAt(b), 'FROM alpine:3\nCOPY other.sh /other.sh\nRUN /other.sh\n');
    assert.deepEqual(scriptsOf(tracker), { build: [path.join(root, 'b', 'other.sh')], entrypoint: [] });
  });

  it('tracks what Dockerfiles copy into start-up folders', () => {
    const tracker = new BuildScriptTracker();
    const a = path.join(root, 'a', 'Dockerfile');
    tracker.update(dockerfileAt(a), 'FROM alpine:3\nCOPY service /etc/service\n');
    assert.deepEqual(scriptsOf(tracker), { build: [], entrypoint: [], startup: [path.join(root, 'a', 'service')] });
    tracker.update(dockerfileAt(a), 'FROM alpine:3\nCOPY service /opt/service\n');
    assert.deepEqual(scriptsOf(tracker), { build: [], entrypoint: [] });
  });
});
