import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codeOf, exactly, fileUri, open, quickFixes, waitFor, waitForDiagnostics, workspaceRoot, write } from './util';

// Registry-backed fixes in the real extension host, against the seeded registry test/editor/tiers.js
// starts (Debian `docker-registry` on loopback, test/helpers/registrySeed.ts's standard plan). Its host
// and digests arrive as DRIFTGUARD_TEST_REGISTRY (`127.0.0.1:PORT`) and DRIFTGUARD_TEST_DIGESTS (JSON);
// without them these tests fail, they never skip. Files are written into the workspace copy at run time.

interface PinImagesResult {
  filesChanged: number;
  pinned: Array<{ uri: string; line: number; reference: string; newText: string }>;
  failed: Array<{ uri: string; line: number; reference: string; reason: string }>;
  cancelled: boolean;
}

interface Digests {
  nginxMainline: string;
  nginxStable: string;
  nginxAlpine: string;
  alpine: string;
  busybox: string;
  solo: string;
}

const GENERIC_LATEST = 'Pin to the exact version and digest of latest (asks the registry)';
const GENERIC_DIGEST = 'Pin to digest (asks the registry)';

/** The single text edit of a one-file workspace edit, as `[uri, range text, newText]`. */
function onlyEdit(document: vscode.TextDocument, edit: vscode.WorkspaceEdit | undefined): [string, string, string] {
  assert.ok(edit, 'the action carries no edit');
  const entries = edit.entries();
  assert.equal(entries.length, 1, `edits in ${entries.length} files`);
  const [uri, edits] = entries[0]!;
  assert.equal(edits.length, 1, `${edits.length} text edits`);
  return [uri.toString(), document.getText(edits[0]!.range), edits[0]!.newText];
}

/** Counts `onDidChangeTextDocument` events with content changes per document while `run` runs. */
async function countEdits<T>(run: () => Thenable<T>): Promise<{ value: T; edits: Map<string, number> }> {
  const edits = new Map<string, number>();
  const sub = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.contentChanges.length > 0)
      edits.set(e.document.uri.toString(), (edits.get(e.document.uri.toString()) ?? 0) + 1);
  });
  try {
    return { value: await run(), edits };
  } finally {
    sub.dispose();
  }
}

/** Opens a document without showing it: no editor, so no light bulb asks for code actions before the test does. */
async function openHidden(rel: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(fileUri(rel));
}

describe('DriftGuard registry-backed fixes in VS Code (seeded registry on loopback)', function () {
  this.timeout(60000);
  const host = process.env.DRIFTGUARD_TEST_REGISTRY ?? '';
  let digests: Digests;

  before(() => {
    assert.ok(
      /^127\.0\.0\.1:\d+$/.test(host),
      'DRIFTGUARD_TEST_REGISTRY (127.0.0.1:PORT of a seeded registry) is not set: run these tests through ' +
        'test/editor/tiers.js, ' +
        'or start `node test/editor/lib/seededRegistry.js` and pass its host and digests with --env',
    );
    digests = JSON.parse(process.env.DRIFTGUARD_TEST_DIGESTS ?? '{}') as Digests;
    for (const k of ['nginxMainline', 'nginxStable', 'nginxAlpine', 'alpine', 'busybox', 'solo'] as const) {
      assert.match(digests[k] ?? '', /^sha256:[0-9a-f]{64}$/, `DRIFTGUARD_TEST_DIGESTS lacks ${k}`);
    }
  });

  describe('quick fixes, resolved lazily', () => {
    it('`nginx:latest` → "Pin to 1.25.3 (same image as latest)": exact edit, applied, the finding goes', async () => {
      const ref = `${host}/library/nginx`;
      const uri = await write('pin/Dockerfile', `FROM ${ref}:latest AS web\nRUN echo pinned\n`);
      const document = await openHidden('pin/Dockerfile');
      const col = 5 + `${ref}:`.length;
      const [d] = await waitForDiagnostics(
        uri,
        'image-latest-tag on `latest`',
        exactly([`image-latest-tag@0:${col}-0:${col + 6} Warning`]),
      );
      assert.equal(document.getText(d!.range), 'latest');

      // The first listing: the generic title without an edit, resolved in the same call (itemResolveCount).
      const actions = await quickFixes(uri, d!.range, 20);
      const first = actions.find((a) => a.title.startsWith('Pin'));
      assert.equal(first?.title, GENERIC_LATEST, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.equal(first.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.equal(first.isPreferred, true);
      const expected: [string, string, string] = [
        uri.toString(),
        `${ref}:latest`,
        `${ref}:1.25.3@${digests.nginxMainline}`,
      ];
      assert.deepEqual(onlyEdit(document, first.edit), expected);

      // The lookup is cached now: listed with the exact title and its edit, nothing left to resolve.
      const again = (await quickFixes(uri, d!.range)).find((a) => a.title.startsWith('Pin'));
      assert.equal(again?.title, 'Pin to 1.25.3 (same image as latest)');
      assert.deepEqual(onlyEdit(document, again.edit), expected);

      const editor = await open('pin/Dockerfile');
      assert.equal(await vscode.workspace.applyEdit(first.edit!), true, 'applyEdit refused the edit');
      assert.equal(editor.document.getText(), `FROM ${ref}:1.25.3@${digests.nginxMainline} AS web\nRUN echo pinned\n`);
      await waitForDiagnostics(uri, 'no image finding after pinning', exactly([]));
      assert.equal(await editor.document.save(), true);
      assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), editor.document.getText());
    });

    it('`alpine:3.19` → "Pin 3.19 to its digest": the tag stays, the digest is added, `AS base` kept', async () => {
      const ref = `${host}/library/alpine:3.19`;
      const uri = await write('pin/alpine.Dockerfile', `FROM ${ref} AS base\n`);
      const document = await openHidden('pin/alpine.Dockerfile');
      const col = 5 + `${host}/library/alpine:`.length;
      const [d] = await waitForDiagnostics(
        uri,
        'image-unpinned-digest on `3.19`',
        exactly([`image-unpinned-digest@0:${col}-0:${col + 4} Information`]),
      );
      assert.equal(document.getText(d!.range), '3.19');
      const actions = await quickFixes(uri, d!.range, 20);
      const pin = actions.find((a) => a.title.startsWith('Pin'));
      assert.equal(pin?.title, GENERIC_DIGEST, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
      assert.deepEqual(onlyEdit(document, pin.edit), [uri.toString(), ref, `${ref}@${digests.alpine}`]);
      assert.equal(
        (await quickFixes(uri, d!.range)).find((a) => a.title.startsWith('Pin'))?.title,
        'Pin 3.19 to its digest',
        'the exact title once cached',
      );
      const editor = await open('pin/alpine.Dockerfile');
      assert.equal(await vscode.workspace.applyEdit(pin.edit!), true);
      assert.equal(editor.document.getText(), `FROM ${ref}@${digests.alpine} AS base\n`);
      await waitForDiagnostics(uri, 'no finding once pinned', exactly([]));
      assert.equal(await editor.document.save(), true);
    });

    // VS Code's executeCodeActionProvider returns only enabled actions, and keeps only the edit (and
    // command) of a resolved one; the reason reaches the user as a warning (client middleware) when the
    // lazily listed action is picked, and in the title of the retry action once the failure is cached.
    it('an image the registry does not have: picked, it says why; listed again, it offers to try again', async () => {
      const uri = await write('pin/missing.Dockerfile', `FROM ${host}/library/missing:2\n`);
      const document = await openHidden('pin/missing.Dockerfile');
      const [d] = await waitForDiagnostics(
        uri,
        'image-unpinned-digest',
        (ds) => ds.length === 1 && codeOf(ds[0]!) === 'image-unpinned-digest',
      );
      const warnings: string[] = [];
      const window = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
      const original = window.showWarningMessage;
      window.showWarningMessage = (...args: unknown[]) => {
        warnings.push(String(args[0]));
        return original.apply(vscode.window, args);
      };
      try {
        const actions = await quickFixes(uri, d!.range, 20);
        const listed = actions.find((a) => a.title.startsWith('Pin'));
        assert.equal(listed?.title, GENERIC_DIGEST, `offered: ${JSON.stringify(actions.map((a) => a.title))}`);
        assert.equal(listed.edit, undefined, 'a pin of an image the registry does not have carries an edit');
        const warning = await waitFor(
          'the warning with the reason',
          () => warnings.find((w) => w.startsWith(`DriftGuard: ${GENERIC_DIGEST}: `)),
          10000,
          () => JSON.stringify(warnings),
        );
        assert.match(
          warning,
          new RegExp(`${host.replace(/\./g, '\\.')}/library/missing:2 not found on ${host.replace(/\./g, '\\.')}`),
        );
        console.log(`      warning: ${JSON.stringify(warning)}`);
      } finally {
        window.showWarningMessage = original;
      }
      // The menu keeps the pin (VS Code hides disabled actions): it says what failed and asks again when picked.
      const titles = (await quickFixes(uri, d!.range)).map((a) => a.title);
      const pins = titles.filter((t) => t.startsWith('Pin'));
      assert.equal(pins.length, 1, JSON.stringify(titles));
      assert.match(
        pins[0]!,
        /^Pin to digest \(asks the registry\) — try again \(last lookup failed: .*missing:2 not found/,
      );
      assert.ok(titles.includes('Ignore image-unpinned-digest on this line'), JSON.stringify(titles));
      assert.equal(document.isDirty, false);
    });
  });

  describe('hover', () => {
    it('on an image reference: digest, platforms, the tags sharing the digest, created date', async () => {
      const ref = `${host}/library/nginx:1.25`;
      const uri = await write('pin/hover/compose.yaml', `services:\n  web:\n    image: "${ref}"\n`);
      const editor = await open('pin/hover/compose.yaml');
      assert.equal(editor.document.languageId, 'dockercompose');
      await waitForDiagnostics(uri, 'image-unpinned-digest', (ds) =>
        ds.some((d) => codeOf(d) === 'image-unpinned-digest'),
      );
      const at = new vscode.Position(2, 12 + `${host}/library/ng`.length);
      const [hover, text] = await waitFor('a hover with the digest', async () => {
        const hovers =
          (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at)) ?? [];
        for (const h of hovers) {
          const value = h.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
          if (value.includes(digests.nginxMainline)) return [h, value] as const;
        }
        return undefined;
      });
      console.log(`      hover: ${JSON.stringify(text)}`);
      assert.match(text, new RegExp(`\\*\\*${ref.replace(/[.]/g, '\\.')}\\*\\*`), 'the reference as the heading');
      assert.match(text, new RegExp(`\\| digest \\| \`${digests.nginxMainline}\` \\|`));
      assert.match(text, /\| platforms \| linux\/amd64, linux\/arm64\/v8 \|/);
      for (const tag of ['1.25.3', '1', 'latest', 'mainline'])
        assert.ok(text.includes(`\`${host}/library/nginx:${tag}\``), `same image as nginx:${tag}`);
      assert.match(text, /\| created \| 2023-11-0\dT/);
      assert.ok(hover.range, 'the hover has a range');
      assert.equal(editor.document.getText(hover.range), ref);
    });
  });

  describe('DriftGuard: Pin All Images in File / in Workspace', () => {
    it('Pin All Images in File: every reference of the open file pinned in one edit, undone in one step', async () => {
      const original = [
        `FROM ${host}/library/nginx AS web`,
        `FROM ${host}/library/alpine:3.19`,
        'RUN echo building',
        `FROM ${host}/library/busybox:latest`,
        '',
      ].join('\n');
      const pinned = [
        `FROM ${host}/library/nginx:1.25.3@${digests.nginxMainline} AS web`,
        `FROM ${host}/library/alpine:3.19@${digests.alpine}`,
        'RUN echo building',
        `FROM ${host}/library/busybox:1.36.1@${digests.busybox}`,
        '',
      ].join('\n');
      const uri = await write('pin/all.Dockerfile', original);
      const editor = await open('pin/all.Dockerfile');
      await waitForDiagnostics(uri, 'three image findings', (ds) => ds.length === 3);
      const { value: result, edits } = await countEdits(() =>
        vscode.commands.executeCommand<PinImagesResult>('driftguard.pinImagesInFile', uri),
      );
      assert.ok(result, 'the command returned no result');
      assert.deepEqual(
        { filesChanged: result.filesChanged, failed: result.failed, cancelled: result.cancelled },
        { filesChanged: 1, failed: [], cancelled: false },
      );
      assert.deepEqual(
        result.pinned.map((p) => [p.line, p.newText]),
        [
          [0, `${host}/library/nginx:1.25.3@${digests.nginxMainline}`],
          [1, `${host}/library/alpine:3.19@${digests.alpine}`],
          [3, `${host}/library/busybox:1.36.1@${digests.busybox}`],
        ],
      );
      assert.equal(editor.document.getText(), pinned);
      assert.deepEqual([...edits], [[uri.toString(), 1]], 'one edit to the file');
      await waitForDiagnostics(uri, 'no findings once pinned', exactly([]));

      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('undo');
      assert.equal(editor.document.getText(), original, 'one undo restores the file');
      await vscode.commands.executeCommand('redo');
      assert.equal(editor.document.getText(), pinned);
      assert.equal(await editor.document.save(), true);
      assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), pinned);
    });

    describe('in the workspace', () => {
      const files = () => vscode.workspace.getConfiguration('files');
      after(async () => {
        await files().update('exclude', undefined, vscode.ConfigurationTarget.Global);
      });

      it('Pin All Images in Workspace: an edit per file, open or not; honours files.exclude', async () => {
        // Only workspace-pin/ takes part: everything else is hidden with files.exclude (the rest of the
        // fixture names Docker Hub images, which this offline run cannot reach).
        const root = workspaceRoot().fsPath;
        const exclude = Object.fromEntries(
          fs
            .readdirSync(root)
            .filter((n) => n !== 'workspace-pin')
            .map((n) => [n, true]),
        );
        await files().update('exclude', exclude, vscode.ConfigurationTarget.Global);
        const dockerfile = await write(
          'workspace-pin/Dockerfile',
          `FROM ${host}/library/nginx:1.25.3-alpine\nFROM ${host}/library/missing:2\n`,
        );
        const compose = await write(
          'workspace-pin/compose.yaml',
          [
            'services:',
            '  web:',
            `    image: '${host}/library/nginx:stable'`,
            '  edge:',
            `    image: ${host}/library/solo`,
            '',
          ].join('\n'),
        );
        const already = `FROM ${host}/library/alpine:3.19@${digests.alpine}\n`;
        const pinnedFile = await write('workspace-pin/pinned.Dockerfile', already);
        const editor = await open('workspace-pin/Dockerfile');
        await waitForDiagnostics(dockerfile, 'two image findings', (ds) => ds.length === 2);
        assert.ok(
          !vscode.workspace.textDocuments.some((d) => d.uri.toString() === compose.toString()),
          'compose.yaml is open',
        );

        const { value: result, edits } = await countEdits(() =>
          vscode.commands.executeCommand<PinImagesResult>('driftguard.pinImagesInWorkspace'),
        );
        assert.ok(result, 'the command returned no result');
        assert.equal(result.cancelled, false);
        assert.equal(result.filesChanged, 2);
        assert.deepEqual(
          result.failed.map((f) => [vscode.Uri.parse(f.uri).toString(), f.line, f.reference]),
          [[dockerfile.toString(), 1, `${host}/library/missing:2`]],
        );
        assert.deepEqual(
          result.pinned.map((p) => p.newText).sort(),
          [
            `${host}/library/nginx:1.25.3-alpine@${digests.nginxAlpine}`,
            // `stable` floats like latest: pinned to the exact version it is today (same digest)
            `${host}/library/nginx:1.24.0@${digests.nginxStable}`,
            `${host}/library/solo:latest@${digests.solo}`,
          ].sort(),
        );
        assert.deepEqual(
          [...edits].sort(),
          [
            [compose.toString(), 1],
            [dockerfile.toString(), 1],
          ].sort(),
          'one edit per file; none to the pinned file',
        );

        assert.equal(
          editor.document.getText(),
          `FROM ${host}/library/nginx:1.25.3-alpine@${digests.nginxAlpine}\nFROM ${host}/library/missing:2\n`,
        );
        const composeDoc = await vscode.workspace.openTextDocument(compose);
        const composePinned = [
          'services:',
          '  web:',
          `    image: '${host}/library/nginx:1.24.0@${digests.nginxStable}'`,
          '  edge:',
          `    image: ${host}/library/solo:latest@${digests.solo}`,
          '',
        ].join('\n');
        assert.equal(composeDoc.getText(), composePinned);
        // an unopened file is edited in memory (dirty, undoable), not written behind the user's back
        assert.equal(composeDoc.isDirty, true);
        assert.notEqual(
          fs.readFileSync(compose.fsPath, 'utf8'),
          composePinned,
          'compose.yaml was written before it was saved',
        );
        assert.equal(await composeDoc.save(), true);
        assert.equal(await editor.document.save(), true);
        assert.equal(fs.readFileSync(compose.fsPath, 'utf8'), composePinned);
        assert.equal(fs.readFileSync(dockerfile.fsPath, 'utf8'), editor.document.getText());
        assert.equal(fs.readFileSync(pinnedFile.fsPath, 'utf8'), already);
        const col = 5 + `${host}/library/missing:`.length;
        await waitForDiagnostics(
          dockerfile,
          'only the reference that failed',
          exactly([`image-unpinned-digest@1:${col}-1:${col + 1} Information`]),
        );
      });
    });
  });
});
