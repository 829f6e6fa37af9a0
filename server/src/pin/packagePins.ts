import type { TextEdit } from '../engine/types';
import { parseImageReference, ParsedImage } from '../model/imageRef';
import type { RegistryClient } from '../registry';
import { withoutRelease } from '../packages/alpine/apkVersion';
import {
  describeDistribution,
  Distribution,
  distributionFromConfig,
  distributionFromTag,
  ImageConfigFacts,
  shortDistribution,
} from '../packages/distro';
import { DEFAULT_MIRRORS, hostOf, MirrorKey, Mirrors } from '../packages/mirrors';
import type { FoundVersion, PackageVersions, VersionAnswer } from '../packages/versions';
import type { PackageTarget, StageBase } from './packageTargets';
import { describeFailure } from './resolve';

/** The platform pinned for when neither the FROM nor the user names one. */
export const DEFAULT_PLATFORM = 'linux/amd64';

/** What DriftGuard made of a stage's base image. */
export interface BaseFacts {
  reference: string;
  platform: string;
  distribution?: Distribution;
  /** `tag`: the tag names the release; `config`: read from the image's config today. */
  from?: 'tag' | 'config';
  /** The image's own Python, when its tag or config says (the official `python` images). */
  python?: PythonFacts;
  reason?: string;
}

/** The Python pip runs with in a build, and how DriftGuard knows. */
export interface PythonFacts {
  /** `3.12` or `3.12.4`. */
  version: string;
  /** `python:3.12-slim`, `python3.11 in the command`, `python3 of bookworm`. */
  from: string;
}

/** The outcome for one package: the text to insert, or why there is none. */
export interface PackagePin {
  target: PackageTarget;
  edit?: TextEdit;
  version?: string;
  /** `Pin curl to 7.88.1-10+deb12u12 (bookworm)`. */
  title?: string;
  /** Where the version was read, for hovers and the CLI: `bookworm-security on deb.debian.org`. */
  source?: string;
  /** Said next to the pin when the release was read from today's image rather than the tag. */
  drift?: string;
  reason?: string;
}

/**
 * Turns package targets into pins: decides each stage's distribution (from the tag, else from the
 * image config the registry serves for the platform built), then asks the archives and indices in
 * one batch per distribution. Network only through `versions` and `registry`; both are the user's.
 */
export class PackagePinner {
  private readonly bases = new Map<string, Promise<BaseFacts>>();
  private readonly pythons = new Map<string, Promise<PythonFacts | undefined>>();

  constructor(
    private readonly versions: PackageVersions,
    private readonly registry: RegistryClient | undefined,
    private readonly defaultPlatform = DEFAULT_PLATFORM,
  ) {}

  get mirrors(): Mirrors {
    return this.versions.mirrors;
  }

  /** The distribution of a stage's base image; cached per reference and platform. */
  base(base: StageBase, signal?: AbortSignal): Promise<BaseFacts> {
    const platform = base.platform ?? this.defaultPlatform;
    const key = `${base.reference}|${platform}`;
    let facts = this.bases.get(key);
    if (!facts) {
      facts = this.readBase(base.reference, platform, signal);
      this.bases.set(key, facts);
    }
    return facts;
  }

  private async readBase(reference: string, platform: string, signal?: AbortSignal): Promise<BaseFacts> {
    const image = parseImageReference(reference);
    if (!image) return { reference, platform, reason: `${reference} is not an image reference` };
    const tagPython = pythonFromTag(image);
    const python = tagPython ? { python: { version: tagPython, from: reference } } : {};
    const named = distributionFromTag(image);
    if (named) return { reference, platform, distribution: named, from: 'tag', ...python };
    if (!this.registry)
      return {
        reference,
        platform,
        ...python,
        reason: `the tag of ${reference} does not name a release, and registry lookups are off`,
      };
    try {
      const config = await this.registry.imageConfig(reference, platform, signal);
      const distribution = distributionFromConfig(config);
      const configPython = tagPython ? undefined : pythonFromConfig(config);
      const pythonFacts = configPython
        ? { python: { version: configPython, from: `${reference} (PYTHON_VERSION)` } }
        : python;
      if (!distribution)
        return {
          reference,
          platform,
          ...pythonFacts,
          reason: `${reference} is not built on Debian, Ubuntu or Alpine as far as its ${platform} image config tells`,
        };
      return { reference, platform, distribution, from: 'config', ...pythonFacts };
    } catch (error) {
      return {
        reference,
        platform,
        ...python,
        reason: `cannot read the image config of ${reference}: ${describeFailure(error)}`,
      };
    }
  }

  /**
   * The Python a pip install runs with: the one the command names, else the base image's own (the
   * official `python` images: tag or `PYTHON_VERSION`), else the distribution's `python3`.
   * Undefined when none is known: Requires-Python is then not checked.
   */
  python(target: PackageTarget, signal?: AbortSignal): Promise<PythonFacts | undefined> {
    if (target.python) return Promise.resolve({ version: target.python, from: `python${target.python}` });
    if (!target.base) return Promise.resolve(undefined);
    const base = target.base;
    const key = `${base.reference}|${base.platform ?? this.defaultPlatform}`;
    let found = this.pythons.get(key);
    if (found === undefined) {
      found = this.base(base, signal).then(async (facts) => {
        if (facts.python) return facts.python;
        if (!facts.distribution) return undefined;
        try {
          const answers = await this.versions.osVersions(facts.distribution, facts.platform, ['python3'], signal);
          const answer = answers.get('python3');
          const version = answer && 'version' in answer ? pythonOfPackage(answer.version) : undefined;
          return version ? { version, from: `python3 of ${shortDistribution(facts.distribution)}` } : undefined;
        } catch {
          // Not cached when the caller gave up: the next lookup asks again.
          if (signal?.aborted) this.pythons.delete(key);
          return undefined;
        }
      });
      this.pythons.set(key, found);
    }
    return found;
  }

  /** Pins for `targets`, in their order. Never throws: failures become reasons. */
  async resolve(targets: readonly PackageTarget[], signal?: AbortSignal): Promise<PackagePin[]> {
    const pins = targets.map((target): PackagePin => ({ target }));
    const osGroups = new Map<string, { base: BaseFacts; pins: PackagePin[] }>();
    const others: Array<Promise<void>> = [];
    for (const pin of pins) {
      const { target } = pin;
      if (target.blocked) pin.reason = target.blocked;
      else if (!target.ecosystem) pin.reason = `${target.family} packages are not pinned automatically`;
      else if (target.ecosystem !== 'os') others.push(this.resolveIndexed(pin, signal));
      else if (!target.base) pin.reason = 'the base image of this build is not known here';
      else {
        const base = await this.base(target.base, signal);
        const mismatch = base.distribution && familyMismatch(target, base.distribution);
        if (base.reason || !base.distribution) pin.reason = base.reason ?? 'unknown base image';
        else if (mismatch) pin.reason = mismatch;
        else {
          const key = `${base.reference}|${base.platform}`;
          const group = osGroups.get(key) ?? { base, pins: [] };
          group.pins.push(pin);
          osGroups.set(key, group);
        }
      }
    }
    await Promise.all([
      ...others,
      ...[...osGroups.values()].map(async ({ base, pins: group }) => {
        let answers: Map<string, VersionAnswer>;
        try {
          answers = await this.versions.osVersions(
            base.distribution!,
            base.platform,
            group.map((p) => p.target.name),
            signal,
          );
        } catch (error) {
          for (const pin of group) pin.reason = describeFailure(error);
          return;
        }
        for (const pin of group) {
          const answer = answers.get(pin.target.name);
          if (!answer || 'reason' in answer) pin.reason = answer?.reason ?? 'not found';
          else this.fill(pin, answer, base);
        }
      }),
    ]);
    return pins;
  }

  private async resolveIndexed(pin: PackagePin, signal?: AbortSignal): Promise<void> {
    const { target } = pin;
    const key: MirrorKey = target.ecosystem === 'pypi' ? 'pypi' : target.ecosystem === 'npm' ? 'npm' : 'rubygems';
    const index = this.mirrors[key];
    const foreign = (target.fileIndexes ?? []).find((url) => !sameIndex(url, index));
    if (foreign) {
      pin.reason =
        `this install uses ${redact(foreign)}, named in the file; DriftGuard reads only indexes you configure ` +
        `(--mirror ${key}=URL or the driftguard.packages.mirrors setting)`;
      return;
    }
    try {
      const python = key === 'pypi' ? await this.python(target, signal) : undefined;
      const found =
        key === 'pypi'
          ? await this.versions.pypi(index, target.name, signal, python?.version)
          : key === 'npm'
            ? await this.versions.npm(index, target.name, signal)
            : await this.versions.gem(index, target.name, signal);
      this.fill(pin, found);
      if (key === 'pypi') {
        const about = python
          ? `for Python ${python.version} of ${python.from}${found.note ? `; ${found.note}` : ''}`
          : 'Requires-Python not checked: the Python of this build is not known';
        pin.source = `${pin.source}, ${about}`;
        if (python) pin.title = pin.title!.replace(/\)$/, `, Python ${python.version})`);
      }
    } catch (error) {
      pin.reason = describeFailure(error);
    }
  }

  private fill(pin: PackagePin, found: FoundVersion, base?: BaseFacts): void {
    const { target } = pin;
    const suffix = versionSuffix(target, found.version);
    pin.version = suffix.slice(target.family === 'pip' ? 2 : 1);
    pin.edit = { range: { start: target.insertAt, end: target.insertAt }, newText: suffix };
    const where = base?.distribution ? shortDistribution(base.distribution) : found.source;
    const mirror = this.customMirror(found);
    pin.title = `Pin ${target.written} to ${pin.version} (${where}${mirror ? `, ${mirror}` : ''})`;
    pin.source = found.source === hostOf(found.url) ? found.source : `${found.source} on ${hostOf(found.url)}`;
    if (base?.from === 'config' && !parseImageReference(base.reference)?.digest)
      pin.drift =
        `${describeDistribution(base.distribution!)} was read from today's ${base.reference} (${base.platform}); ` +
        "its tag moves to newer releases over time, so pin the base image's digest too";
  }

  /** The mirror host a title names when it is not the official default. */
  private customMirror(found: FoundVersion): string | undefined {
    return (Object.values(DEFAULT_MIRRORS) as string[]).includes(found.url) ? undefined : hostOf(found.url);
  }
}

/** The Python of an official `python` image's tag: `python:3.12-slim` → `3.12`. */
export function pythonFromTag(image: ParsedImage): string | undefined {
  const official = image.repository === 'python' || image.repository === 'library/python';
  return official ? /^(\d+\.\d+(?:\.\d+)?)(?:$|-)/.exec(image.tag ?? '')?.[1] : undefined;
}

/** `PYTHON_VERSION` of an image config's environment (set by the official `python` images). */
export function pythonFromConfig(config: ImageConfigFacts): string | undefined {
  for (const entry of config.env) {
    const m = /^PYTHON_VERSION=(\d+\.\d+(?:\.\d+)?)/.exec(entry);
    if (m) return m[1];
  }
  return undefined;
}

/** The Python release of a distribution's python3 package: `3.11.2-1+b1` → `3.11.2`. */
function pythonOfPackage(version: string): string | undefined {
  return /^(?:\d+:)?(\d+\.\d+(?:\.\d+)?)/.exec(version)?.[1];
}

/** The text inserted after the name: each manager's own pin syntax. */
export function versionSuffix(target: Pick<PackageTarget, 'family'>, version: string): string {
  switch (target.family) {
    case 'apt':
      return `=${version}`;
    case 'apk':
      // Alpine keeps only the newest build of each version: a fuzzy pin survives the next -rN.
      return `~${withoutRelease(version)}`;
    case 'pip':
      return `==${version}`;
    case 'npm':
      return `@${version}`;
    case 'gem':
      return `:${version}`;
    default:
      return `=${version}`;
  }
}

function familyMismatch(target: PackageTarget, distribution: Distribution): string | undefined {
  const alpine = distribution.family === 'alpine';
  if (target.family === 'apt' && alpine)
    return `apt on ${describeDistribution(distribution)}: this install cannot work there`;
  if (target.family === 'apk' && !alpine)
    return `apk on ${describeDistribution(distribution)}: this install cannot work there`;
  return undefined;
}

function sameIndex(a: string, b: string): boolean {
  const norm = (u: string) => u.replace(/\/+$/, '').toLowerCase();
  return norm(a) === norm(b);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}
