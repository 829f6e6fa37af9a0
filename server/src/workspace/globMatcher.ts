import picomatch from 'picomatch';

/**
 * `picomatch(glob, { dot: true })` for a glob a host keeps compiled, holding only its regular
 * expression. picomatch's matcher also holds the glob's parse state (its tokens): 5.8 KB per glob
 * against 1.4 KB here, and a Scan Workspace of the corpus keeps thousands (the build contexts' copied
 * paths and the script index's entries: 4.1 MB at its peak). Same answers: it is picomatch's own
 * test on the regular expression picomatch builds for the glob, with the platform picomatch takes
 * when `windows` is not given (as its `index.js` does).
 */
export function globMatcher(glob: string): (input: string) => boolean {
  const options = { dot: true, windows: process.platform === 'win32' };
  const regex = picomatch.makeRe(glob, options);
  return (input) => picomatch.test(input, regex, options, { glob, posix: options.windows }).isMatch;
}
