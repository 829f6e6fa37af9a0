import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { turningBlockingDisk } from '../../server/src/lsp/scanDisk';
import { BLOCKING_DISK } from '../../server/src/workspace/discover';
import { tempTree } from '../helpers/tempTree';

describe('Scan Workspace discovery disk', () => {
  it('reads as the CLI reads, and turns the event loop every so many operations', async () => {
    const root = tempTree({ 'a/Dockerfile': 'FROM scratch\n', 'b.sh': 'echo hi\n' });
    const disk = turningBlockingDisk(2);
    let turned = false;
    setImmediate(() => (turned = true));
    const names = (await disk.readdir(root)).map((e) => e.name).sort();
    assert.equal(turned, false, 'no turn before the second operation');
    assert.deepEqual(names, (await BLOCKING_DISK.readdir(root)).map((e) => e.name).sort());
    const head = await disk.readHead(path.join(root, 'b.sh'), 4);
    assert.equal(turned, true, 'the second operation turns the loop');
    assert.equal(head.toString(), 'echo');
  });
});
