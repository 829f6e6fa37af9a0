import { comparePep440, isFinal, normalizeProjectName, parsePep440, Pep440Version } from './pep440';
import { requiresPythonAdmits } from './requiresPython';

/** One distribution file of a project page, as the index lists it. */
export interface IndexFile {
  filename: string;
  yanked: boolean;
  requiresPython?: string;
}

/** Accept header pip sends: the JSON simple API (PEP 691) first, HTML (PEP 503) as fallback. */
export const SIMPLE_ACCEPT =
  'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

/** Files of a project page, whichever format the index answered in (by its Content-Type). */
export function parseProjectPage(body: string, contentType: string | undefined): IndexFile[] {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/vnd.pypi.simple.v1+json' || type === 'application/json') return parseJsonPage(body);
  return parseHtmlPage(body);
}

/** PEP 691 JSON: `files[]` with `filename`, `yanked` (false, true or a reason), `requires-python`. */
export function parseJsonPage(body: string): IndexFile[] {
  const json = JSON.parse(body) as { files?: unknown };
  if (!json || !Array.isArray(json.files)) throw new Error('project page without a files list');
  const files: IndexFile[] = [];
  for (const raw of json.files as Array<Record<string, unknown>>) {
    if (!raw || typeof raw.filename !== 'string') continue;
    const yanked = raw.yanked !== undefined && raw.yanked !== false;
    const file: IndexFile = { filename: raw.filename, yanked };
    if (typeof raw['requires-python'] === 'string') file.requiresPython = raw['requires-python'];
    files.push(file);
  }
  return files;
}

/** PEP 503 HTML: one anchor per file; `data-yanked` present means yanked (PEP 592). */
export function parseHtmlPage(body: string): IndexFile[] {
  const files: IndexFile[] = [];
  for (const m of body.matchAll(/<a\s([^>]*)>([^<]*)<\/a\s*>/gi)) {
    const attributes = m[1]!;
    const filename = decodeEntities(m[2]!.trim());
    if (!filename) continue;
    const file: IndexFile = { filename, yanked: /(?:^|\s)data-yanked(?:\s*=|\s|$)/i.test(attributes) };
    const requires = /data-requires-python\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(attributes);
    if (requires) file.requiresPython = decodeEntities(requires[1] ?? requires[2] ?? '');
    files.push(file);
  }
  return files;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[lower] ?? whole;
  });
}

/** The version a distribution file holds: wheels by their name's second field, sdists after the project name. */
export function fileVersion(filename: string, project: string): string | undefined {
  if (filename.endsWith('.whl')) return filename.split('-')[1];
  const base = filename.replace(/\.(?:tar\.gz|tar\.bz2|tar\.xz|tgz|zip|tar)$/i, '');
  if (base === filename) return undefined;
  const wanted = normalizeProjectName(project);
  for (let dash = base.indexOf('-'); dash > 0; dash = base.indexOf('-', dash + 1))
    if (normalizeProjectName(base.slice(0, dash)) === wanted) return base.slice(dash + 1);
  return undefined;
}

/** What pip would take from a project page, and the newer release it passed over for the Python. */
export interface PipChoice {
  version: Pep440Version;
  /** The newest release all of whose files need another Python, when newer than `version`. */
  needsOtherPython?: { version: string; requiresPython: string };
}

/**
 * What `pip install name` takes today: the highest final release (no pre/dev part) that has at
 * least one file not yanked and, when `python` (`3.12`, `3.12.4`) is given, whose Requires-Python
 * admits it. Undefined when the page lists none.
 */
export function newestRelease(files: readonly IndexFile[], project: string, python?: string): PipChoice | undefined {
  const byVersion = new Map<
    string,
    { version: Pep440Version; available: boolean; admitted: boolean; needs?: string }
  >();
  for (const file of files) {
    const text = fileVersion(file.filename, project);
    const version = text && parsePep440(text);
    if (!version || !isFinal(version)) continue;
    const key = canonical(version);
    const entry = byVersion.get(key) ?? { version, available: false, admitted: false };
    if (!file.yanked) {
      entry.available = true;
      const admits = !python || !file.requiresPython || requiresPythonAdmits(file.requiresPython, python);
      if (admits) entry.admitted = true;
      else entry.needs ??= file.requiresPython;
    }
    byVersion.set(key, entry);
  }
  let best: Pep440Version | undefined;
  let passedOver: { version: Pep440Version; requiresPython: string } | undefined;
  for (const { version, available, admitted, needs } of byVersion.values()) {
    if (!available) continue;
    if (admitted) {
      if (!best || comparePep440(version, best) > 0) best = version;
    } else if (needs && (!passedOver || comparePep440(version, passedOver.version) > 0))
      passedOver = { version, requiresPython: needs };
  }
  if (!best) return undefined;
  return passedOver && comparePep440(passedOver.version, best) > 0
    ? {
        version: best,
        needsOtherPython: { version: passedOver.version.text, requiresPython: passedOver.requiresPython },
      }
    : { version: best };
}

function canonical(v: Pep440Version): string {
  return `${v.epoch}!${v.release.join('.').replace(/(?:\.0)+$/, '')}.post${v.post ?? ''}+${v.local ?? ''}`;
}
