import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { Problem, ReportedSeverity } from '../../server/src/engine/types';
import { MAX_PUBLISHED, NOT_SHOWN, publishedDiagnostics } from '../../server/src/lsp/diagnostics';
import { LspTestClient, SERVER_MAIN, uriOf } from '../helpers/lspClient';
import { tempTree } from '../helpers/tempTree';

function problem(line: number, severity: ReportedSeverity): Problem {
  const range = { start: { line, character: 0 }, end: { line, character: 1 } };
  return { ruleId: 'package-unpinned', severity, message: `at ${line}`, messageId: 'm', range, fixes: [] };
}

/** Resolves once `has()` holds, checking again as messages arrive (no deadline of its own: mocha's). */
async function until(has: () => boolean): Promise<void> {
  while (!has()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('large documents in the language server', function () {
  this.timeout(300000);

  it('publishes at most 1,000 findings, the most severe first, and one notice of how many more', () => {
    const problems = Array.from({ length: 2500 }, (_, i) => problem(i, i % 100 === 99 ? 'error' : 'info'));
    const published = publishedDiagnostics({ problems });
    assert.equal(published.length, MAX_PUBLISHED + 1);
    const [notice, ...shown] = published;
    assert.equal(notice!.code, NOT_SHOWN);
    assert.equal(notice!.severity, 3);
    assert.deepEqual(notice!.range.start, { line: 0, character: 0 });
    assert.equal(
      notice!.message,
      '1,500 more findings in this file not shown: the editor lists 1,000 per file, the most severe first ' +
        '(25 error, 2,475 info in all); the driftguard CLI lists them all.',
    );
    // Every error, then the first infos, in document order.
    assert.equal(shown.filter((d) => d.severity === 1).length, 25);
    const lines = shown.map((d) => d.range.start.line);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
    assert.equal(shown.filter((d) => d.severity === 3).at(-1)!.range.start.line, 983);
    assert.equal(publishedDiagnostics({ problems: problems.slice(0, MAX_PUBLISHED) }).length, MAX_PUBLISHED);
  });

  it('answers requests while a 900 KB document is linted, then publishes its capped findings', async () => {
    const root = tempTree({ 'small/Dockerfile': 'FROM nginx\n' });
    const client = new LspTestClient(SERVER_MAIN);
    try {
      await client.initialize(uriOf(root), { window: { workDoneProgress: true } });
      const small = uriOf(path.join(root, 'small', 'Dockerfile'));
      const large = uriOf(path.join(root, 'large', 'Dockerfile'));
      await client.openAndWait(small, 'dockerfile', 'FROM nginx\n');
      // 33,000 unpinned installs (information), then one unverified download (a warning) at the end.
      const text =
        'FROM node:20\n' +
        'RUN apt-get install -y curl\n'.repeat(33000) +
        'RUN curl -fsSL https://get.example.com/i.sh | sh\n';
      assert.ok(text.length > 900 * 1024);
      await client.open(large, 'dockerfile', text);
      const progressKinds: string[] = [];
      client.connection.onUnhandledProgress((p) => progressKinds.push((p.value as { kind: string }).kind));
      const progress = (kind: string) => progressKinds.includes(kind);
      await until(() => progress('begin'));
      // The lint has begun: a request about another document is answered before it ends.
      const actions = await client.codeActions(
        small,
        { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } },
        [],
      );
      assert.ok(Array.isArray(actions) && actions.length > 0);
      assert.equal(client.publishCount(large), 0, 'the large document was published before the answer');
      const published: Diagnostic[] = await client.waitForPublish(large, 1, 280000);
      assert.ok(progress('end'));
      assert.equal(published.length, MAX_PUBLISHED + 1);
      assert.equal(published[0]!.code, NOT_SHOWN);
      assert.match(published[0]!.message as string, /^32,002 more findings in this file not shown/);
      assert.ok(published.some((d) => d.code === 'remote-script-exec' && d.range.start.line === 33001));
    } finally {
      await client.stop();
    }
  });
});
