import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../helpers/pinCli';
import { tempTree } from '../helpers/tempTree';
import { useSeededRegistry } from '../helpers/registryFixture';

describe('driftguard pin (real registry)', function () {
  this.timeout(30000);
  const seeded = useSeededRegistry();

  it('pins untagged/latest to the exact version, tags to tag@digest, in Dockerfile and Compose, once', async () => {
    const host = seeded.registry.host;
    const nginx = seeded.plan.nginxMainline.index.digest;
    const alpine = seeded.plan.alpine.digest;
    const solo = seeded.plan.solo.digest;
    const root = tempTree({
      Dockerfile:
        `# syntax=${host}/library/busybox\nARG BASE=${host}/library/alpine:3.19\n` +
        `FROM --platform=linux/amd64 ${host}/library/nginx AS web\nFROM $BASE\n` +
        `COPY --from=${host}/library/nginx:latest /a /b\n`,
      'compose.yaml':
        `services:\n  a:\n    image: "${host}/library/solo:latest"  # keep me\n  b:\n` +
        `    image: '${host}/library/alpine:3.19'\n`,
    });
    const first = await cli(['pin', '.'], root);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(
      fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'),
      `# syntax=${host}/library/busybox:1.36.1@${seeded.plan.busybox.digest}\n` +
        `ARG BASE=${host}/library/alpine:3.19@${alpine}\n` +
        `FROM --platform=linux/amd64 ${host}/library/nginx:1.25.3@${nginx} AS web\nFROM $BASE\n` +
        `COPY --from=${host}/library/nginx:1.25.3@${nginx} /a /b\n`,
    );
    assert.equal(
      fs.readFileSync(path.join(root, 'compose.yaml'), 'utf8'),
      `services:\n  a:\n    image: "${host}/library/solo:latest@${solo}"  # keep me\n  b:\n` +
        `    image: '${host}/library/alpine:3.19@${alpine}'\n`,
    );
    assert.match(first.stdout, /pinned 6 references in 2 files/);
    assert.match(first.stdout, new RegExp(`Dockerfile:3: ${host.replace(/\./g, '\\.')}/library/nginx → `));
    const second = await cli(['pin', '.'], root);
    assert.equal(second.code, 0);
    assert.match(second.stdout, /pinned 0 references in 0 files/);
  });

  it('pins floating tags like latest: nginx:alpine to the alpine version, nginx:mainline to a plain one', async () => {
    const host = seeded.registry.host;
    const root = tempTree({ Dockerfile: `FROM ${host}/library/nginx:alpine\nFROM ${host}/library/nginx:mainline\n` });
    const r = await cli(['pin', '.'], root);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(
      fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'),
      `FROM ${host}/library/nginx:1.25.3-alpine@${seeded.plan.nginxAlpine.digest}\n` +
        `FROM ${host}/library/nginx:1.25.3@${seeded.plan.nginxMainline.index.digest}\n`,
    );
  });

  it("--platform pins that platform's manifest; --dry-run writes nothing", async () => {
    const host = seeded.registry.host;
    const text = `FROM ${host}/library/nginx:1.24\n`;
    const root = tempTree({ Dockerfile: text });
    const dry = await cli(['pin', '--dry-run', '--platform', 'linux/arm64/v8', 'Dockerfile'], root);
    assert.equal(dry.code, 0);
    assert.equal(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'), text);
    const arm = seeded.plan.nginxStable.images.find((i) => i.platform.architecture === 'arm64')!.digest;
    assert.match(dry.stdout, new RegExp(`would pin 1 reference in 1 file`));
    assert.ok(dry.stdout.includes(`@${arm}`), dry.stdout);
    await cli(['pin', '--platform', 'linux/arm64/v8', 'Dockerfile'], root);
    assert.equal(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'), `FROM ${host}/library/nginx:1.24@${arm}\n`);
  });

  it('exits 1 and leaves the file intact when a reference cannot be resolved', async () => {
    const host = seeded.registry.host;
    const text = `FROM ${host}/library/alpine:3.19\nFROM ${host}/library/missing:1\n`;
    const root = tempTree({ Dockerfile: text });
    const r = await cli(['pin', '.'], root);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Dockerfile:2: .*library\/missing:1: not pinned: .*404|not found/i);
    assert.equal(
      fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'),
      `FROM ${host}/library/alpine:3.19@${seeded.plan.alpine.digest}\nFROM ${host}/library/missing:1\n`,
    );
    assert.deepEqual(
      fs.readdirSync(root).filter((f) => f.includes('.tmp')),
      [],
    );
  });

  it('an unreachable registry is reported with the reason', async () => {
    const root = tempTree({ Dockerfile: 'FROM 127.0.0.1:9/app:1\n' });
    const r = await cli(['pin', '--timeout', '2000', '.'], root);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /not pinned: .*(unreachable|ECONNREFUSED)/);
  });
});
