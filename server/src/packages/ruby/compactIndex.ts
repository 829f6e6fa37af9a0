/**
 * RubyGems' compact index (`/info/<gem>`, what Bundler and gem read): after a `---` line, one line
 * per published version, `VERSION[-PLATFORM] deps|requirements`. The newest version gem installs
 * by default is the highest release (no letters: `1.0.0.rc1` is a prerelease) published for the
 * `ruby` platform or a Linux one.
 */
export function newestGemVersion(body: string): string | undefined {
  let best: string | undefined;
  for (const line of body.split('\n')) {
    if (line === '---' || !line.trim()) continue;
    const token = line.split(' ', 1)[0]!;
    const m = /^(\d[\w.]*?)(?:-(.+))?$/.exec(token);
    if (!m) continue;
    const [, version, platform] = m;
    if (/[a-z]/i.test(version!)) continue;
    if (platform && !/linux/.test(platform)) continue;
    if (!best || compareGemVersions(version!, best) > 0) best = version;
  }
  return best;
}

/** Gem::Version ordering for releases: numeric segments, missing ones count as 0. */
export function compareGemVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}
