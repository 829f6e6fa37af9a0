import type { DocumentModel } from '../engine/documentModel';
import type { ImageReference } from '../model/imageRef';
import { imageName, parseImageReference } from '../model/imageRef';
import type { SourceText } from '../model/positions';
import type { ShellCommand } from './types';
import type { ShellWord } from './words';
import { dockerSubcommand, kubectlSubcommand } from './programs';
import { firstOperand } from './options';

/**
 * docker run/create/pull options that take no value; every other option consumes the next word unless written `--x=v`.
 */
const BOOLEAN_LONG = new Set([
  '--detach',
  '--interactive',
  '--tty',
  '--rm',
  '--privileged',
  '--init',
  '--publish-all',
  '--read-only',
  '--no-healthcheck',
  '--oom-kill-disable',
  '--sig-proxy',
  '--disable-content-trust',
  '--quiet',
  '--all-tags',
  '--help',
  '--replace',
  '--pull-always',
]);

/**
 * An option written as one word whose value holds an expansion (`--volume=$PWD:/src`, `-v=$(pwd):/src`,
 * `-v$PWD:/src`): the option's name is literal, so the word is one option whatever the value expands to.
 */
const ONE_WORD_OPTION = /^(?:--[A-Za-z][\w-]*=|-[A-Za-z](?=.))/;

/**
 * The image operand of `docker run|create|pull [options] IMAGE`, options from `from` on. A word that
 * starts with an expansion (`$OPTS`) may be options or the image: it ends the options.
 */
export function imageOperand(argv: readonly ShellWord[], from: number): ShellWord | undefined {
  let i = from;
  while (i < argv.length) {
    const value = argv[i]!.value;
    if (!value.startsWith('-') || value === '-') break;
    if (!argv[i]!.literal) {
      if (!ONE_WORD_OPTION.test(value)) break;
      i++;
      continue;
    }
    if (value === '--') {
      i++;
      break;
    }
    if (value.startsWith('--')) i += value.includes('=') || BOOLEAN_LONG.has(value) ? 1 : 2;
    else i += /^-[ditPqa]+$/.test(value) || value.length > 2 ? 1 : 2;
  }
  return argv[i];
}

/**
 * A reference for `value[start, end)` of a word. Part ranges and the edit target are set only when
 * the characters are contiguous in the document (no escapes or joined lines in between).
 */
function reference(
  word: ShellWord,
  start: number,
  end: number,
  command: ShellCommand,
  source: SourceText,
): ImageReference | undefined {
  const text = word.value.slice(start, end);
  if (!word.literal || text.includes('$')) return undefined;
  const image = parseImageReference(text);
  if (!image) return undefined;
  const offsets = word.offsets.slice(start, end + 1);
  const contiguous = offsets.every((o, i) => i === 0 || o === offsets[0]! + i);
  const s = offsets[0]!;
  const range = contiguous ? source.rangeOf(s, s + text.length) : word.range;
  const ref: ImageReference = {
    source: 'shell-command',
    written: text,
    range,
    resolved: text,
    image,
    viaVariable: false,
    executionContext: command.context,
  };
  if (contiguous) {
    ref.nameRange = source.rangeOf(s, s + image.nameEnd);
    if (image.tagStart !== undefined)
      ref.tagRange = source.rangeOf(s + image.tagStart, s + image.tagStart + image.tag!.length);
    if (image.digestStart !== undefined) ref.digestRange = source.rangeOf(s + image.digestStart, s + text.length);
    ref.editTarget = { range, text };
  }
  return ref;
}

/**
 * Images pulled by shell commands: `docker|podman run|create|pull <image>`, `kubectl run --image=`, `kubectl set image
 * … c=<image>`.
 */
export function shellImageReferences(model: DocumentModel): ImageReference[] {
  const refs: ImageReference[] = [];
  const commands = model.shell.commands;
  const local = locallyMadeImages(commands);
  for (const name of model.input.partial?.imagesMadeElsewhere ?? []) local.add(name);
  for (const command of commands) {
    const argv = command.argv;
    const docker = dockerSubcommand(argv);
    if (docker && ['run', 'create', 'pull'].includes(docker.name)) {
      const word = imageOperand(argv, docker.index + 1);
      const ref = word && reference(word, 0, word.value.length, command, model.source);
      if (ref && !local.has(imageName(ref.image)) && !local.has(ref.resolved)) refs.push(ref);
      continue;
    }
    const kubectl = kubectlSubcommand(argv);
    if (kubectl?.name === 'run') {
      for (let i = kubectl.index + 1; i < argv.length; i++) {
        const word = argv[i]!;
        if (word.value === '--') break;
        const ref = word.value.startsWith('--image=')
          ? reference(word, 8, word.value.length, command, model.source)
          : word.value === '--image' && argv[i + 1]
            ? reference(argv[i + 1]!, 0, argv[i + 1]!.value.length, command, model.source)
            : undefined;
        if (ref) refs.push(ref);
      }
    } else if (kubectl?.name === 'set' && argv[kubectl.index + 1]?.value === 'image') {
      for (
        let i = firstOperand(argv, kubectl.index + 2, {
          shortValued: 'flco',
          longValued: ['--filename', '--selector', '--output', '--field-manager'],
        });
        i < argv.length;
        i++
      ) {
        const word = argv[i]!;
        const eq = /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?|\*)=/.exec(word.value);
        if (!eq) continue;
        const ref = reference(word, eq[0].length, word.value.length, command, model.source);
        if (ref) refs.push(ref);
      }
    }
  }
  return refs;
}

/**
 * Images the same document builds, tags or commits (`docker build -t app:test`, `docker tag a b`,
 * `docker commit c b`): running them later pulls nothing, so they are not references to pin.
 */
function locallyMadeImages(commands: readonly ShellCommand[]): Set<string> {
  const names = new Set<string>();
  for (const command of commands) addImagesMadeBy(command, names);
  return names;
}

/** The images one command builds, tags or commits (see `locallyMadeImages`): names as written and image names. */
export function imagesMadeBy(command: ShellCommand): string[] {
  const names = new Set<string>();
  addImagesMadeBy(command, names);
  return [...names];
}

function addImagesMadeBy(command: ShellCommand, names: Set<string>): void {
  const add = (value: string | undefined) => {
    const image = value && !value.includes('$') ? parseImageReference(value) : undefined;
    if (image) {
      names.add(value!);
      names.add(imageName(image));
    }
  };
  const sub = dockerSubcommand(command.argv);
  if (!sub) return;
  const argv = command.argv;
  const name = sub.name === 'buildx' ? argv[sub.index + 1]?.value : sub.name;
  if (name === 'build') {
    argv.forEach((w, i) => {
      if (w.value === '-t' || w.value === '--tag') add(argv[i + 1]?.value);
      else if (w.value.startsWith('--tag=')) add(w.value.slice(6));
    });
  } else if (name === 'tag' || name === 'commit') {
    const first = firstOperand(argv, sub.index + 1, {
      shortValued: 'acm',
      longValued: ['--author', '--change', '--message'],
    });
    add(argv[firstOperand(argv, first + 1, {})]?.value);
  }
}
