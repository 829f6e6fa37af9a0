import { inspect } from 'node:util';
import {
  type Connection,
  createConnection,
  type MessageReader,
  ProposedFeatures,
  type RemoteConsole,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { publishEncoder } from './publishEncoder';

/**
 * The server's connection on the transport the command line names, as vscode-languageserver reads
 * it: `--node-ipc` (VS Code), `--stdio` (Neovim, Helix, Emacs…), `--socket=PORT` or `--pipe=NAME`.
 *
 * Over stdio the server writes through its own writer, for `publishEncoder` (the library takes an
 * encoder only on a writer it is given), and does the rest of what the library does for `--stdio`:
 * stdin is still given as a stream, so the library still ends the process when it closes, and the
 * console goes to the client's log instead of stdout. Node IPC serializes each message itself
 * (`process.send`), and sockets and pipes are left as the library makes them.
 */
export function connectionFromCommandLine(argv: readonly string[] = process.argv.slice(2)): Connection {
  if (transportArgument(argv) !== '--stdio') return createConnection(ProposedFeatures.all);
  const writer = new StreamMessageWriter(process.stdout, { contentTypeEncoder: publishEncoder() });
  // A stream where a reader is typed: the library reads it with its own reader and exits when it ends.
  const connection = createConnection(ProposedFeatures.all, process.stdin as unknown as MessageReader, writer);
  consoleToClient(connection.console);
  return connection;
}

/** The first transport argument, which is the one the library picks. */
function transportArgument(argv: readonly string[]): string | undefined {
  return argv.find((a) => ['--node-ipc', '--stdio', '--socket', '--pipe'].includes(a.split('=')[0]!));
}

/** The library's console for stdio servers: what would corrupt the protocol on stdout is logged instead. */
function consoleToClient(remote: RemoteConsole): void {
  const text = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = console.debug = (...args: unknown[]) => remote.log(text(args));
  console.info = (...args: unknown[]) => remote.info(text(args));
  console.warn = (...args: unknown[]) => remote.warn(text(args));
  console.error = (...args: unknown[]) => remote.error(text(args));
  console.dir = (arg: unknown, options?: object) => remote.log(inspect(arg, options));
  console.trace = (...args: unknown[]) =>
    remote.log(`Trace${args.length > 0 ? `: ${text(args)}` : ''}\n${new Error().stack!.replace(/(.+\n){2}/, '')}`);
}
