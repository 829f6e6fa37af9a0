import type { Range } from '../engine/types';
import type { ShellPlace } from './snippet';
import type { ShellWord } from './words';

/** Document range from the first to the last of some words of one command. */
export function spanOf(words: readonly ShellWord[]): Range {
  return { start: words[0]!.range.start, end: words[words.length - 1]!.range.end };
}

/** Words as a short command for messages: `apt-get install`. */
export function commandText(words: readonly ShellWord[]): string {
  return words.map((w) => w.value).join(' ');
}

/** Where a live change lands, for messages ("…into a running container"). */
export function placePhrase(place: ShellPlace, movement = false): string {
  switch (place) {
    case 'host':
      return 'on the host this script runs on';
    case 'remote-host':
      return 'on a remote host (over ssh)';
    case 'container':
      return movement ? 'into a running container' : 'in a running container';
    case 'container-start':
      return movement ? 'into the container at every start' : 'in the container at every start';
    case 'image':
      return 'while the image is built';
    case 'ephemeral':
      return 'on a throwaway machine (a CI runner or a temporary container)';
    case 'ci-runner':
      return 'on the CI runner';
    case 'dev-container':
      return 'in the dev container';
  }
}
