import * as assert from 'node:assert/strict';
import type { DocumentModel } from '../../server/src/engine/documentModel';
import type { FileKind } from '../../server/src/engine/types';
import * as path from 'node:path';
import { emptyScriptIndex, runsAtContainerStart } from '../../server/src/workspace/buildScriptIndex';
import { testEngine } from '../helpers/engine';

function model(kind: FileKind, text: string, shellContext?: 'build' | 'live'): DocumentModel {
  return testEngine().model({
    uri: 'file:///t',
    text,
    kind,
    settings: { severities: {}, imagesAllow: [] },
    ...(shellContext ? { shellContext } : {}),
  });
}

function commands(kind: FileKind, text: string): string[] {
  const m = model(kind, text);
  return m.shell.commands.map((c) => `${c.place}:${c.argv.map((w) => w.value).join(' ')}@${m.source.textOf(c.range)}`);
}

/** What the tests' engine says a Dockerfile copies in and runs, by use. */
const scriptUses = (text: string) => testEngine().scriptUses({ path: '/Dockerfile', kind: 'dockerfile', text });
const buildScriptPaths = (text: string) => scriptUses(text).build;
const entrypointScriptPaths = (text: string) => scriptUses(text).entrypoint;
const startupScriptSources = (text: string) => scriptUses(text).startup;
const imageScriptSources = (text: string) => scriptUses(text).image;
const builderScriptSources = (text: string) => scriptUses(text).builder;

describe('shell analyser', () => {
  it('parses once per document (memoised)', () => {
    const m = model('shell', 'apt-get update\n');
    assert.equal(m.shell, m.shell);
  });

  it('joins Dockerfile continuations, drops comment lines and maps words back', () => {
    const m = model('dockerfile', 'FROM debian\nRUN apt-get install \\\n  # note\n  -y \\\n  cu\\\nrl');
    const command = m.shell.commands[0]!;
    assert.deepEqual(
      command.argv.map((w) => w.value),
      ['apt-get', 'install', '-y', 'curl'],
    );
    assert.equal(m.source.textOf(command.argv[3]!.range), 'cu\\\nrl');
  });

  it('keeps escaped quotes of exec-form JSON and Compose $$ as the program receives them', () => {
    assert.deepEqual(
      commands('dockerfile', 'FROM a\nCMD ["sh", "-c", "echo \\"hi\\" $$"]').map((c) => c.split('@')[0]),
      ['container-start:sh -c echo "hi" $$', 'container-start:echo hi $$'],
    );
    assert.deepEqual(
      commands('compose', 'services:\n  a:\n    command: echo $$HOME\n').map((c) => c.split('@')[0]),
      ['container-start:echo $HOME'],
    );
  });

  it("parses what eval runs, unless it is another command's output", () => {
    assert.deepEqual(commands('shell', 'eval "apt-get install -y $PKG"\n'), [
      'host:eval apt-get install -y $PKG@eval "apt-get install -y $PKG"',
      'host:apt-get install -y $PKG@apt-get install -y $PKG',
    ]);
    assert.deepEqual(
      commands('shell', 'eval sudo apt-get upgrade\n').map((c) => c.split('@')[0]),
      ['host:eval sudo apt-get upgrade', 'host:apt-get upgrade'],
    );
    assert.deepEqual(
      commands('shell', 'eval "$(ssh-agent -s)"\n').map((c) => c.split('@')[0]),
      ['host:eval $(ssh-agent -s)', 'host:ssh-agent -s'],
    );
  });

  it('follows nested payloads with their place', () => {
    const places = commands('shell', 'ssh -i k h \'docker exec c sh -c "kubectl exec p -- apk add x"\'\n').map(
      (c) => c.split('@')[0],
    );
    assert.deepEqual(places, [
      'host:ssh -i k h docker exec c sh -c "kubectl exec p -- apk add x"',
      'remote-host:docker exec c sh -c kubectl exec p -- apk add x',
      'container:sh -c kubectl exec p -- apk add x',
      'container:kubectl exec p -- apk add x',
      'container:apk add x',
    ]);
  });

  it('skips Windows stages and backtick-escaped files', () => {
    assert.deepEqual(
      commands('dockerfile', '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN apt-get install x'),
      [],
    );
    assert.deepEqual(
      commands('dockerfile', 'FROM debian\nSHELL ["pwsh", "-c"]\nRUN Install-Module x\nFROM debian\nRUN apk add y').map(
        (c) => c.split('@')[0],
      ),
      ['image:apk add y'],
    );
  });

  it('runs only the heredoc of `RUN <<EOF`, but whole text for `RUN cmd <<EOF`', () => {
    assert.deepEqual(
      commands('dockerfile', 'FROM a\nRUN <<EOF\napk add x\nEOF\nRUN python3 <<EOF\nimport os\nEOF').map(
        (c) => c.split('@')[0],
      ),
      ['image:apk add x', 'image:python3'],
    );
  });
});

describe('buildScriptPaths', () => {
  const paths = (text: string) => buildScriptPaths(text);
  it('finds scripts copied and then run', () => {
    assert.deepEqual(paths('FROM a\nCOPY setup.sh /tmp/\nRUN /tmp/setup.sh'), ['setup.sh']);
    assert.deepEqual(
      paths('FROM a\nWORKDIR /app\nCOPY ./scripts ./scripts\nRUN bash scripts/install.sh && . scripts/env.sh'),
      ['scripts/env.sh', 'scripts/install.sh'],
    );
    assert.deepEqual(paths('FROM a\nCOPY build/entry.sh /entry.sh\nRUN chmod +x /entry.sh && /entry.sh --init'), [
      'build/entry.sh',
    ]);
    assert.deepEqual(paths('FROM a\nCOPY *.sh /opt/\nRUN ["/opt/a.sh"]'), ['a.sh']);
  });
  it('ignores scripts that are only ENTRYPOINT or come from an image; lists those of a named context as such', () => {
    assert.deepEqual(paths('FROM a\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]'), []);
    assert.deepEqual(paths('FROM a\nCOPY --from=docker.io/library/b:1 /x.sh /x.sh\nRUN /x.sh'), []);
    // `b` is a named build context or an image: hosts resolve the path only where a build names a folder `b`.
    assert.deepEqual(paths('FROM a\nCOPY --from=b /x.sh /x.sh\nRUN /x.sh'), ['context://b/x.sh']);
  });
});

describe('scripts through stages', () => {
  it('a stage built FROM another carries its copies; a RUN sees only what was copied before it', () => {
    assert.deepEqual(buildScriptPaths('FROM a AS base\nADD x.sh /tmp/\nFROM base\nRUN /tmp/x.sh'), ['x.sh']);
    assert.deepEqual(buildScriptPaths('FROM a\nRUN /tmp/x.sh\nCOPY x.sh /tmp/'), []);
    assert.deepEqual(
      buildScriptPaths(
        'FROM a\nENV HOME=/home/git \\\n  BUILD_DIR="${HOME}/build"\nCOPY assets/build/ ${BUILD_DIR}/\n' +
          'RUN bash ${BUILD_DIR}/install.sh',
      ),
      ['assets/build/install.sh'],
    );
    assert.deepEqual(
      buildScriptPaths('FROM a\nCOPY tools/ $TOOLS/\nRUN $TOOLS/setup.sh'),
      ['tools/setup.sh'],
      'an unknown variable names the same folder in both places',
    );
    assert.deepEqual(buildScriptPaths('FROM a AS one\nCOPY x.sh /tmp/\nFROM a\nRUN /tmp/x.sh'), []);
  });
  it('follows mv/cp in RUN (with cd) and COPY --from of a stage, --parents included', () => {
    assert.deepEqual(
      entrypointScriptPaths(
        'FROM a AS b\nCOPY . /src\nRUN cd /src && cp docker/entry.sh /out/start.sh\nFROM a\n' +
          'COPY --from=b /out/ /usr/local/bin/\nENTRYPOINT ["start.sh"]',
      ),
      ['docker/entry.sh'],
    );
    assert.deepEqual(
      entrypointScriptPaths(
        'FROM a AS b\nWORKDIR /w\nCOPY run.sh .\nRUN mv run.sh /app/bin/\nFROM a\n' +
          'COPY --from=b --parents /app/./bin/ /\nHEALTHCHECK CMD /bin/run.sh',
      ),
      ['run.sh'],
    );
  });
  it('sees through init wrappers and privilege droppers in ENTRYPOINT and CMD', () => {
    assert.deepEqual(
      entrypointScriptPaths(
        'FROM a\nCOPY a.sh b.sh c.sh d.sh /s/\nCMD ["/sbin/tini", "-g", "--", "/s/a.sh"]\n' +
          'CMD dumb-init --rewrite 15:2 /s/b.sh\nCMD su-exec app:app /s/c.sh\n' +
          'CMD ["chpst", "-u", "app", "runuser", "-u", "app", "--", "/s/d.sh"]',
      ),
      ['a.sh', 'b.sh', 'c.sh', 'd.sh'],
    );
  });
  it('lists what shipped images contain and what only builder stages get', () => {
    const text =
      'FROM a AS build\nCOPY tools/ /tools/\nCOPY . /src\nRUN mv /src/etc/app.sh /out/app.sh\nFROM a\n' +
      'COPY rootfs /\nCOPY --from=build /out/ /usr/bin/\nCOPY . /app';
    assert.deepEqual(imageScriptSources(text), ['etc/app.sh', 'rootfs']);
    assert.deepEqual(builderScriptSources(text), ['tools']);
  });
});

describe('startupScriptSources', () => {
  const sources = (text: string) => startupScriptSources(text);
  it('lists what a COPY puts into the folders init systems run at container start', () => {
    assert.deepEqual(sources('FROM a\nCOPY service /etc/service'), ['service']);
    assert.deepEqual(sources('FROM a\nCOPY init.sh /docker-entrypoint-initdb.d/'), ['init.sh']);
    assert.deepEqual(sources('FROM a\nCOPY initdb/*.sh /docker-entrypoint-initdb.d/'), ['initdb/*.sh']);
    assert.deepEqual(sources('FROM a\nWORKDIR /etc\nCOPY nginx-run ./services.d/nginx/run'), ['nginx-run']);
    assert.deepEqual(sources('FROM a\nCOPY ./root/ /etc/'), [
      'root/cont-finish.d',
      'root/cont-init.d',
      'root/my_init.d',
      'root/runit/runsvdir',
      'root/s6-overlay/s6-rc.d',
      'root/s6-overlay/scripts',
      'root/service',
      'root/services.d',
      'root/sv',
    ]);
    assert.ok(sources('FROM a\nADD rootfs /').includes('rootfs/etc/cont-init.d'));
    assert.ok(sources('FROM a\nCOPY . /').includes('docker-entrypoint.d'));
  });
  it('ignores other destinations, images and globs that cannot reach a start-up folder', () => {
    assert.deepEqual(sources('FROM a\nCOPY service /opt/service\nCOPY etc/ /usr/etc/'), []);
    assert.deepEqual(sources('FROM a\nCOPY --from=build:1 /out /etc/service'), []);
    assert.deepEqual(sources('FROM a\nCOPY --from=build /out /etc/service'), ['context://build/out']);
    assert.deepEqual(sources('FROM a\nCOPY conf/*.conf /'), []);
  });
});

describe('runsAtContainerStart', () => {
  const root = path.resolve('/ws');
  const index = {
    ...emptyScriptIndex(),
    entrypoint: new Set([path.join(root, 'entry.sh')]),
    startup: new Set([path.join(root, 'service'), path.join(root, 'initdb', '*.sh')]),
  };
  it('matches ENTRYPOINT scripts, everything under a start-up folder, and globs', () => {
    assert.equal(runsAtContainerStart(index, path.join(root, 'entry.sh')), true);
    assert.equal(runsAtContainerStart(index, path.join(root, 'service', 'web', 'run')), true);
    assert.equal(runsAtContainerStart(index, path.join(root, 'initdb', '01.sh')), true);
    assert.equal(runsAtContainerStart(index, path.join(root, 'initdb', '01.sql')), false);
    assert.equal(runsAtContainerStart(index, path.join(root, 'services', 'run')), false);
  });
});

describe('shell image references', () => {
  const refs = (text: string) => {
    const m = model('shell', text);
    return m.imageReferences().map((r) => `${r.resolved}@${m.source.textOf(r.range)}:${r.executionContext}`);
  };
  it('docker run/create/pull, kubectl run --image and set image', () => {
    assert.deepEqual(
      refs(
        'docker run -d --rm -p 80:80 -e A=1 nginx:1.25 nginx -g x\npodman pull "alpine"\n' +
          'kubectl run web --image=nginx:1.27\nkubectl set image deploy/api api=ghcr.io/a/api:2 side=busybox\n',
      ),
      [
        'nginx:1.25@nginx:1.25:live',
        'alpine@alpine:live',
        'nginx:1.27@nginx:1.27:live',
        'ghcr.io/a/api:2@ghcr.io/a/api:2:live',
        'busybox@busybox:live',
      ],
    );
  });
  it('not images the document builds, tags or commits, nor variables', () => {
    assert.deepEqual(
      refs(
        'docker build -t app:test .\ndocker run app:test\ndocker commit c snap\ndocker run snap\ndocker run "$IMAGE"\n',
      ),
      [],
    );
  });
});
