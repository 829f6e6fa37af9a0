import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspTestClient, SERVER_BUNDLE, uriOf } from '../helpers/lspClient';
import { corpusFiles, prng } from './corpus';
import { mutate } from './mutators';
import { FUZZ_PATHS } from './harness';
import { FILE_KINDS } from '../../server/src/kinds';

export interface ServerFuzzStats {
  documents: number;
  edits: number;
  codeActionRequests: number;
  failures: string[];
}

/**
 * Opens `count` mutated corpus files in the real server (dist/server.js over stdio), makes a few
 * random one-character edits to each and asks for quick fixes and fix-all over the whole document.
 * Fails on: no diagnostics for a version, a logged internal error, a failed request, the process dying.
 */
export async function fuzzServer(seed: number, count: number): Promise<ServerFuzzStats> {
  const files = await corpusFiles();
  const random = prng(seed);
  const stats: ServerFuzzStats = { documents: 0, edits: 0, codeActionRequests: 0, failures: [] };
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-fuzz-'));
  const client = new LspTestClient(SERVER_BUNDLE);
  const exited: string[] = [];
  (client as unknown as { process: { on(e: string, f: (code: number | null) => void): void } }).process.on(
    'exit',
    (code) => exited.push(`server exited with ${code}`),
  );
  try {
    await client.initialize(uriOf(workspace));
    const donor = () => fs.readFileSync(files[Math.floor(random() * files.length)]!.path);
    for (let i = 0; i < count && exited.length === 0; i++) {
      const file = files[Math.floor(random() * files.length)]!;
      const { bytes, applied } = mutate(fs.readFileSync(file.path), file.kind, random, donor);
      // An editor hands the server text, never bytes: invalid UTF-8 arrives as U+FFFD.
      let text = bytes.toString('utf8');
      if (text.length > 3 * 1024 * 1024) text = text.slice(0, 3 * 1024 * 1024);
      const uri = uriOf(path.join(workspace, String(i), FUZZ_PATHS[file.kind]));
      const label = `#${i} ${path.relative(workspace, file.path)} [${applied.join('+')}]`;
      const logsBefore = client.logs.length;
      try {
        await client.openAndWait(uri, FILE_KINDS.languageId(file.kind), text, { timeoutMs: 30000 });
        stats.documents++;
        let version = 1;
        const lines = text.split('\n');
        for (let e = 0; e < 3; e++) {
          const line = Math.floor(random() * lines.length);
          const character = Math.floor(random() * ((lines[line]?.length ?? 0) + 1));
          const at = { line, character };
          const change =
            random() < 0.5
              ? { range: { start: at, end: at }, text: '"\'$'[Math.floor(random() * 3)]! }
              : { range: { start: { line, character: 0 }, end: at }, text: '' };
          version++;
          await client.change(uri, version, change);
          await client.waitForPublish(uri, version, 30000);
          stats.edits++;
        }
        const whole = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
        await client.codeActions(uri, whole, []);
        await client.codeActions(uri, whole, [], ['source.fixAll.driftguard']);
        stats.codeActionRequests += 2;
        await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      } catch (error) {
        stats.failures.push(`${label}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
      for (const log of client.logs.slice(logsBefore)) {
        if (/internal error|unhandled|Request .* failed|TypeError|RangeError/i.test(log))
          stats.failures.push(`${label}: ${log.split('\n')[0]}`);
      }
    }
  } finally {
    stats.failures.push(...exited);
    await client.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  return stats;
}
