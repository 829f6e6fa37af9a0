import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type {
  CodeAction,
  Diagnostic,
  Hover,
  MarkupContent,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/engine/fixes';
import {
  CLIENT_COMMANDS,
  FileStatusRequest,
  ForgetLookupFailuresRequest,
  RegistryStatusNotification,
  RegistryStatusParams,
  ScanWorkspaceRequest,
} from '../../server/src/lsp/protocol';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { tempTree } from '../helpers/tempTree';

const WORKSPACE_EDITS = { workspace: { configuration: true, workspaceEdit: { documentChanges: true } } };
const CREATES_FILES = {
  workspace: { configuration: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
};

/** Opens a Dockerfile or Compose file as it is on disk and waits for its first diagnostics. */
const open = (client: LspTestClient, file: string): Promise<Diagnostic[]> =>
  client.openFileAndWait(file, path.basename(file).startsWith('compose') ? 'dockercompose' : 'dockerfile');

async function quickFixes(client: LspTestClient, file: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return client.codeActions(uriOf(file), diagnostic.range, [diagnostic], ['quickfix']);
}

/** The edits of a workspace edit for one file. */
function editsFor(edit: WorkspaceEdit, uri: string): TextDocumentEdit['edits'] {
  const change = edit.documentChanges?.find((c) => 'textDocument' in c && c.textDocument.uri === uri);
  return (change as TextDocumentEdit | undefined)?.edits ?? [];
}

/** The plain text edits of a workspace edit for one file. */
function textEditsFor(edit: WorkspaceEdit, uri: string): TextEdit[] {
  return editsFor(edit, uri).filter((e): e is TextEdit => 'newText' in e);
}

describe('editor features of the language server', function () {
  this.timeout(20000);
  let client: LspTestClient | undefined;
  stopClientsAfterEach();

  it('driftguard.preset applies where no .driftguard.yaml says extends; fileStatus says which and why', async () => {
    const root = tempTree({
      'a/Dockerfile': 'FROM nginx:1.25\n',
      'b/.driftguard.yaml': 'extends: recommended\nrules:\n  package-upgrade: off\n',
      'b/Dockerfile': 'FROM nginx:1.25\n',
    });
    client = LspTestClient.inProcess();
    client.configuration = { enable: true, rules: {}, preset: 'strict' };
    await client.initialize(uriOf(root), WORKSPACE_EDITS);
    const severity = (ds: Diagnostic[]) => ds.find((d) => d.code === 'image-unpinned-digest')?.severity;
    assert.equal(severity(await open(client, path.join(root, 'a/Dockerfile'))), 2, 'strict: warning');
    assert.equal(severity(await open(client, path.join(root, 'b/Dockerfile'))), 3, 'recommended: information');
    const a = await client.connection.sendRequest(FileStatusRequest, { uri: uriOf(path.join(root, 'a/Dockerfile')) });
    assert.deepEqual([a.linted, a.preset, a.presetSource, a.configPath], [true, 'strict', 'setting', undefined]);
    const b = await client.connection.sendRequest(FileStatusRequest, { uri: uriOf(path.join(root, 'b/Dockerfile')) });
    assert.deepEqual(
      [b.linted, b.preset, b.presetSource, b.configPath],
      [true, 'recommended', 'config', path.join(root, 'b/.driftguard.yaml')],
    );
    assert.ok(b.rulesOff.includes('package-upgrade'));
  });

  it('Disable <rule> in this workspace: edits the .driftguard.yaml that applies, or creates one', async () => {
    const root = tempTree({
      'a/Dockerfile': 'FROM nginx:1.25\n',
      'b/.driftguard.yaml': '# ours\nrules:\n  image-untagged: error\n',
      'b/Dockerfile': 'FROM nginx:1.25\n',
    });
    client = LspTestClient.inProcess();
    await client.initialize(uriOf(root), CREATES_FILES);
    const title = 'Disable image-unpinned-digest in this workspace (.driftguard.yaml)';
    const config = path.join(root, 'b/.driftguard.yaml');
    const bFile = path.join(root, 'b/Dockerfile');
    const inB = (await open(client, bFile)).find((d) => d.code === 'image-unpinned-digest')!;
    const editB = (await quickFixes(client, bFile, inB)).find((a) => a.title === title)?.edit;
    assert.ok(editB, 'offered where a config applies');
    assert.equal(
      applyEdits(fs.readFileSync(config, 'utf8'), textEditsFor(editB, uriOf(config))),
      '# ours\nrules:\n  image-untagged: error\n  image-unpinned-digest: off\n',
    );
    const aFile = path.join(root, 'a/Dockerfile');
    const inA = (await open(client, aFile)).find((d) => d.code === 'image-unpinned-digest')!;
    const editA = (await quickFixes(client, aFile, inA)).find((a) => a.title === title)?.edit;
    const created = uriOf(path.join(root, '.driftguard.yaml'));
    assert.deepEqual(editA?.documentChanges?.[0], { kind: 'create', uri: created, options: { ignoreIfExists: true } });
    assert.equal(applyEdits('', textEditsFor(editA, created)), 'rules:\n  image-unpinned-digest: off\n');
  });

  it('Show documentation for <rule>: once per rule, only for a client that runs the command', async () => {
    const root = tempTree({ Dockerfile: 'FROM nginx:1.25\nFROM redis:7\n' });
    const file = path.join(root, 'Dockerfile');
    const docsTitles = async (commands?: string[]) => {
      client = LspTestClient.inProcess();
      await client.initialize(uriOf(root), WORKSPACE_EDITS, commands ? { commands } : undefined);
      const diagnostics = await open(client, file);
      const actions = await client.codeActions(
        uriOf(file),
        { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
        diagnostics,
        ['quickfix'],
      );
      await client.stop();
      return actions.filter((a) => a.command?.command === CLIENT_COMMANDS.openDocs).map((a) => a.command!.arguments);
    };
    assert.deepEqual(await docsTitles([CLIENT_COMMANDS.openDocs]), [['rules/image-unpinned-digest']]);
    assert.deepEqual(await docsTitles(), []);
  });

  it('the ignore fix leaves a -- reason tab stop for a client that takes LSP 3.18 snippet edits', async () => {
    const root = tempTree({ Dockerfile: 'FROM nginx\n' });
    const file = path.join(root, 'Dockerfile');
    client = LspTestClient.inProcess();
    await client.initialize(uriOf(root), {
      workspace: { configuration: true, workspaceEdit: { documentChanges: true, snippetEditSupport: true } },
    });
    const untagged = (await open(client, file)).find((d) => d.code === 'image-untagged')!;
    const ignore = (await quickFixes(client, file, untagged)).find((a) =>
      a.title.startsWith('Ignore image-untagged on'),
    );
    assert.deepEqual(editsFor(ignore!.edit!, uriOf(file)), [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        snippet: { kind: 'snippet', value: '# driftguard-ignore image-untagged -- ${1:reason}\n' },
      },
    ]);
  });

  it('counts open files in the scan summary, and re-lints scanned files when .driftguard.yaml changes', async () => {
    const root = tempTree({
      'open/Dockerfile': 'FROM nginx\n',
      'closed/Dockerfile': 'FROM redis\n',
    });
    client = LspTestClient.inProcess();
    await client.initialize(uriOf(root), WORKSPACE_EDITS, { watchesFiles: true });
    const openFindings = (await open(client, path.join(root, 'open/Dockerfile'))).length;
    const closed = uriOf(path.join(root, 'closed/Dockerfile'));
    const result = await client.connection.sendRequest(ScanWorkspaceRequest, {});
    const closedFindings = (await client.waitForPublish(closed, 1)).length;
    assert.ok(openFindings > 0 && closedFindings > 0);
    assert.deepEqual(
      [result.filesScanned, result.filesWithFindings, result.findings],
      [2, 2, openFindings + closedFindings],
    );
    assert.ok(
      client.logs.some((l) => /^scan: 2 files in [\d.]+ s, \d+ findings in 2 files$/.test(l)),
      client.logs.join('\n'),
    );
    const config = path.join(root, '.driftguard.yaml');
    fs.writeFileSync(config, 'rules:\n  image-untagged: off\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(config), type: 1 }],
    });
    const after = await client.waitForPublish(closed, 2);
    assert.ok(!after.some((d) => d.code === 'image-untagged'), 'the closed file was linted again with the new config');
  });

  describe('a registry that cannot be reached', () => {
    let registry: net.Server;
    let connections = 0;
    let host = '';
    before(async () => {
      registry = net.createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
      host = `127.0.0.1:${(registry.address() as net.AddressInfo).port}`;
    });
    after(() => registry.close());

    it('keeps the pin as a retry, shows the failure in hovers without asking, looks up again when told', async () => {
      const root = tempTree({ Dockerfile: `FROM ${host}/library/nginx:latest\nFROM ${host}/library/redis:latest\n` });
      const file = path.join(root, 'Dockerfile');
      client = LspTestClient.inProcess();
      await client.initialize(uriOf(root), WORKSPACE_EDITS, { commands: Object.values(CLIENT_COMMANDS) });
      const statuses: RegistryStatusParams[] = [];
      client.connection.onNotification(RegistryStatusNotification, (s: RegistryStatusParams) => void statuses.push(s));
      const diagnostics = await open(client, file);
      const hover = async (line: number) => {
        const h = await client!.connection.sendRequest<Hover>('textDocument/hover', {
          textDocument: { uri: uriOf(file) },
          position: { line, character: 8 },
        });
        return (h.contents as MarkupContent).value;
      };
      const first = await hover(0);
      assert.match(first, /registry lookup failed: registry unreachable/);
      assert.match(first, /\[Look up again\]\(command:driftguard\.lookUpAgain\)/);
      assert.equal(statuses.at(-1)?.reachable, false);
      const seen = connections;
      assert.ok(seen > 0);
      assert.match(await hover(1), /registry lookup failed/);
      assert.equal(connections, seen, 'the second hover asked the registry that was just unreachable');

      const latest = diagnostics.find((d) => d.code === 'image-latest-tag' && d.range.start.line === 0)!;
      const retry = (await quickFixes(client, file, latest)).find((a) => a.data && !a.disabled);
      assert.ok(retry, 'a pin action stays listed and enabled');
      assert.match(retry.title, /try again \(last lookup failed: registry unreachable/);
      const resolved = await client.connection.sendRequest<CodeAction>('codeAction/resolve', retry);
      assert.match(resolved.disabled?.reason ?? '', /registry unreachable/);
      assert.ok(connections > seen, 'picking the retry asked the registry again');

      const beforeForget = connections;
      await client.connection.sendRequest(ForgetLookupFailuresRequest, {});
      await hover(1);
      assert.ok(connections > beforeForget, 'after look up again, the hover asks the registry');
      assert.ok(client.logs.some((l) => l.includes(`registry lookup failed for ${host}/library/`)));
    });
  });
});
