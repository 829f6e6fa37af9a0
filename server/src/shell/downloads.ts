import type { Range } from '../engine/types';
import type { ShellAnalysis, ShellCommand, ShellRedirect } from './types';
import type { ShellWord } from './words';
import { commandName } from './words';
import { firstOperand, hasOption, optionValue } from './options';
import { SHELLS } from './programs';
import { isStdoutDownload } from './remoteExec';

/** A file fetched from the network and then put to use without a checksum or signature check. */
export interface UnverifiedDownload {
  download: ShellCommand;
  /** The downloaded file as the script names it (`/tmp/x.tgz`), or undefined when piped. */
  file?: string;
  /** The word naming the file, when the download command writes it (for the fix). */
  fileWord?: ShellWord;
  /** A `> file` redirection that writes the download, when that is how it is saved. */
  redirect?: ShellRedirect;
  /** The command that uses the content: extracts, installs, runs or makes it executable. */
  use: ShellCommand;
  /** What `use` does with it, for messages: "extracts", "installs", "runs", "makes executable". */
  verb: UseVerb;
}

export type UseVerb = 'extracts' | 'installs' | 'runs' | 'makes executable';

const URL = /^(?:https?|ftp):\/\//i;
const CHECKSUM_TOOLS = /^(?:(?:sha(?:1|224|256|384|512)|md5|b2|b3|xxh(?:32|64|128)?)sum|shasum|cksum|rhash)$/;
const SIGNATURE_TOOLS = new Set(['gpgv', 'gpgv2', 'cosign', 'minisign', 'signify', 'sq', 'slsa-verifier']);

/**
 * Downloads saved to a file (`curl -o`, `curl -O`, `curl … > f`, `wget`, `wget -O f`) or piped
 * (`curl … | tar x`) whose content is then extracted, installed, run or made executable, with no
 * checksum or signature check anywhere after the download in the same document. Any later check
 * counts, whatever file it names: a check the scan cannot tie to the download is still the
 * author's intent to verify, and a wrong warning costs more than a missed one.
 */
export function unverifiedDownloads(analysis: ShellAnalysis): UnverifiedDownload[] {
  const commands = [...analysis.commands].sort((a, b) => compare(a.range, b.range));
  const found: UnverifiedDownload[] = [];
  const verifiedAfter = commands.map(() => false);
  for (let i = commands.length - 1, seen = false; i >= 0; i--) {
    verifiedAfter[i] = seen;
    seen ||= isVerification(commands[i]!);
  }
  commands.forEach((download, i) => {
    const name = commandName(download.argv[0]);
    if ((name !== 'curl' && name !== 'wget') || verifiedAfter[i] || isVerification(download)) return;
    const url = download.argv.slice(1).find((w) => w.literal && URL.test(w.value)) ?? nonLiteralUrl(download);
    if (!url) return;
    const toStdout = isStdoutDownload(download);
    if (toStdout && download.pipeline) {
      const next = download.pipeline[download.pipeline.indexOf(download) + 1];
      const verb = next && pipedUse(next);
      if (next && verb) found.push({ download, use: next, verb });
      return;
    }
    const next = commands.find((c) => before(download.range.end, c.range.start));
    const saved = toStdout ? redirectedFile(download, analysis.redirects, next) : savedFile(download, url);
    if (!saved) return;
    let files = [saved.file];
    for (const later of commands.slice(i + 1)) {
      const verb = fileUse(later, files);
      if (verb) {
        found.push({ download, file: saved.file, use: later, verb, ...saved.where });
        return;
      }
      files = renamed(later, files) ?? files;
    }
  });
  return found;
}

function compare(a: Range, b: Range): number {
  return a.start.line - b.start.line || a.start.character - b.start.character;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** A URL built from variables (`"$BASE/app.tgz"`, `https://x/${V}/app.tgz`): still a download. */
function nonLiteralUrl(download: ShellCommand): ShellWord | undefined {
  return download.argv.slice(1).find((w) => !w.literal && /^(?:https?|ftp):\/\/|^\$\{?\w*URL\}?/i.test(w.value));
}

/** Checks content: a checksum tool, a signature check, or a package manager checking a signature. */
function isVerification(command: ShellCommand): boolean {
  const name = commandName(command.argv[0]);
  if (name === undefined) return false;
  if (CHECKSUM_TOOLS.test(name) || SIGNATURE_TOOLS.has(name)) return true;
  const argv = command.argv;
  if (name === 'gpg' || name === 'gpg2') return hasOption(argv, ['--verify', '--verify-files']);
  if (name === 'openssl') return ['dgst', 'sha256', 'sha512', 'sha1', 'md5'].includes(argv[1]?.value ?? '');
  if (name === 'rpm') return hasOption(argv, ['-K', '--checksig']);
  return name === 'dpkg-sig' || name === 'debsig-verify' || (name === 'gh' && argv[1]?.value === 'attestation');
}

interface Saved {
  file: string;
  where: { fileWord?: ShellWord; redirect?: ShellRedirect };
}

/** `curl url > f`: the redirection between the download and the next command. */
function redirectedFile(
  download: ShellCommand,
  redirects: readonly ShellRedirect[],
  next: ShellCommand | undefined,
): Saved | undefined {
  const redirect = redirects.find(
    (r) => before(download.range.end, r.range.start) && (!next || !before(next.range.start, r.range.start)),
  );
  return redirect ? { file: redirect.target.value, where: { redirect } } : undefined;
}

/** The file a download writes itself: `-o f`, `-O` (the URL's last segment), `wget [-P dir] url`. */
function savedFile(download: ShellCommand, url: ShellWord): Saved | undefined {
  const argv = download.argv;
  const name = commandName(argv[0]);
  const fromUrl = () => {
    const segment = url.value.split(/[?#]/)[0]!.split('/').pop();
    return segment && url.value.split('/').length > 3 ? segment : undefined;
  };
  if (name === 'curl') {
    const output = optionValue(argv, ['-o', '--output']) ?? shortClusterValue(argv, 'o');
    if (output !== undefined) return written(output);
    if (hasOption(argv, ['-O', '--remote-name'])) {
      const file = fromUrl();
      const dir = optionValue(argv, ['--output-dir']);
      const prefix = dir === undefined ? '' : `${typeof dir === 'string' ? dir : dir.value}/`;
      return file ? { file: prefix + file, where: {} } : undefined;
    }
    return undefined;
  }
  const output = optionValue(argv, ['-O', '--output-document']) ?? shortClusterValue(argv, 'O');
  if (output !== undefined) {
    const value = typeof output === 'string' ? output : output.value;
    return value === '-' ? undefined : written(output);
  }
  const file = fromUrl();
  const dir = optionValue(argv, ['-P', '--directory-prefix']);
  const prefix = dir === undefined ? '' : `${typeof dir === 'string' ? dir : dir.value}/`;
  return file ? { file: prefix + file, where: {} } : undefined;
}

function written(output: ShellWord | string): Saved {
  return typeof output === 'string' ? { file: output, where: {} } : { file: output.value, where: { fileWord: output } };
}

/** `-fsSLo file` / `-qO file`: the letter ends a cluster of short options and takes the next word. */
function shortClusterValue(argv: readonly ShellWord[], letter: string): ShellWord | undefined {
  for (let i = 1; i < argv.length - 1; i++) {
    const value = argv[i]!.value;
    if (argv[i]!.literal && /^-[a-zA-Z]{2,}$/.test(value) && value.endsWith(letter)) return argv[i + 1];
  }
  return undefined;
}

/**
 * Whether a word names the file: the same text, or the same final segment of a path or file name
 * (`app.tgz` after `cd /tmp` names `/tmp/app.tgz`; a bare `jq` is a package, not `/usr/bin/jq`).
 */
function names(word: ShellWord, file: string): boolean {
  const value = word.value.replace(/^\.\//, '');
  const target = file.replace(/^\.\//, '');
  if (value === target) return true;
  const base = (p: string) => p.split('/').pop() ?? p;
  return base(target).length >= 3 && base(value) === base(target) && /[./]/.test(value) && /[./]/.test(target);
}

/** What a later command does with the downloaded file (known by any of its names), if it uses it. */
function fileUse(command: ShellCommand, files: readonly string[]): UseVerb | undefined {
  const argv = command.argv;
  const name = commandName(argv[0]);
  if (name === undefined) return undefined;
  const named = (word: ShellWord) => files.some((file) => names(word, file));
  if (named(argv[0]!) && argv[0]!.value.includes('/')) return 'runs';
  const operands = argv.slice(1);
  if (!operands.some(named)) return undefined;
  if (name === 'tar' || name === 'bsdtar') return extracts(argv) ? 'extracts' : undefined;
  if (name === 'unzip' || name === '7z' || name === '7za' || name === 'cpio') return 'extracts';
  if (name === 'dpkg') return hasOption(argv, ['-i', '--install', '--unpack']) ? 'installs' : undefined;
  if (name === 'rpm') return hasOption(argv, ['-i', '-U', '-F', '--install', '--upgrade']) ? 'installs' : undefined;
  if (['apt', 'apt-get', 'dnf', 'yum', 'microdnf', 'zypper', 'apk', 'gdebi'].includes(name)) return 'installs';
  if (name === 'chmod') return operands.some((w) => setsExecutable(w.value)) ? 'makes executable' : undefined;
  if (name === 'install') return 'installs';
  if (SHELLS.has(name) || name === 'source' || name === '.' || /^(?:python[\d.]*|perl|ruby|node|php|java)$/.test(name))
    return 'runs';
  return undefined;
}

/** `+x`, `u+rx`, `a=rwx`, `755`, `0750`: a mode that lets someone execute the file. */
function setsExecutable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) return [...mode.slice(-3)].some((digit) => Number(digit) % 2 === 1);
  return /^[ugoa]*[+=][rwxXst]*x/.test(mode);
}

function extracts(argv: readonly ShellWord[]): boolean {
  const first = argv[1]?.value ?? '';
  return (/^[a-zA-Z]+$/.test(first) && first.includes('x')) || hasOption(argv, ['-x', '--extract', '--get']);
}

/** What the next command of a pipeline does with a download on its standard input. */
function pipedUse(command: ShellCommand): UseVerb | undefined {
  const name = commandName(command.argv[0]);
  if (name === 'tar' || name === 'bsdtar') return extracts(command.argv) ? 'extracts' : undefined;
  if (name === 'funzip' || name === 'cpio') return 'extracts';
  return undefined;
}

/**
 * `mv file dest` / `cp file dest`: the names the file is known by afterwards (`dest`, or
 * `dest/file` when `dest` is a folder, which the scan cannot always tell).
 */
function renamed(command: ShellCommand, files: readonly string[]): string[] | undefined {
  const name = commandName(command.argv[0]);
  if (name !== 'mv' && name !== 'cp') return undefined;
  const argv = command.argv;
  const operands = argv.slice(firstOperand(argv, 1, { shortValued: 'tS' }));
  const source = operands[0];
  if (operands.length !== 2 || !source || !files.some((file) => names(source, file))) return undefined;
  const dest = operands[1]!.value.replace(/\/$/, '');
  return [...files, dest, `${dest}/${source.value.split('/').pop() ?? source.value}`];
}
