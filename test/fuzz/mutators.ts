import type { FileKind } from '../../server/src/engine/types';

/** One corpus mutation: bytes in, bytes out (bytes, so invalid UTF-8 and NULs can be made). */
export interface Mutator {
  name: string;
  apply(bytes: Buffer, random: () => number, donor: () => Buffer, kind: FileKind): Buffer;
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;
const between = (min: number, max: number, random: () => number): number =>
  min + Math.floor(random() * (max - min + 1));

function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) starts.push(i + 1);
  return starts;
}

function insertAt(bytes: Buffer, offset: number, insert: Buffer | string): Buffer {
  const add = typeof insert === 'string' ? Buffer.from(insert, 'utf8') : insert;
  return Buffer.concat([bytes.subarray(0, offset), add, bytes.subarray(offset)]);
}

/** A random offset at the start of a line (inserting whole lines keeps the rest of the file intact). */
function lineOffset(bytes: Buffer, random: () => number): number {
  return pick(lineStarts(bytes), random);
}

const LONG_LINE_UNITS = [
  'a',
  ' ',
  '\\ ',
  '$',
  '${',
  '"',
  "'",
  '#',
  '{{',
  'x: ',
  '- ',
  '&a ',
  '*a ',
  'RUN ',
  '| ',
  '\t',
  '$(',
  '`',
  '\\',
  ':latest ',
  'curl | sh; ',
];
const TEMPLATES = [
  '{{ .Values.image }}',
  '{{- if .Values.enabled }}',
  '{{ end }}',
  '{% raw %}',
  '{% for x in y %}',
  '{{ range .Items }}{{ . }}{{ end }}',
  '${{ secrets.TOKEN }}',
  '{{`{{`}}',
];
const UNTERMINATED = [
  '"',
  "'",
  '`',
  '$(',
  '${',
  '<<EOF',
  '<<-"EOF"',
  "<<'END'",
  'RUN <<EOF',
  '[',
  '{',
  '"${',
  '$((',
  'case x in',
  'if true; then',
  '\\',
];
const INVALID_UTF8 = [
  [0xc3, 0x28],
  [0x80],
  [0xff],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
];

export const MUTATORS: readonly Mutator[] = [
  { name: 'truncate', apply: (b, r) => b.subarray(0, Math.floor(r() * b.length)) },
  {
    name: 'splice-lines',
    apply: (b, r, donor) => {
      const other = donor();
      const starts = lineStarts(other);
      const from = pick(starts, r);
      const to = Math.min(
        other.length,
        starts[Math.min(starts.length - 1, starts.indexOf(from) + between(1, 40, r))] ?? other.length,
      );
      return insertAt(b, lineOffset(b, r), other.subarray(from, Math.max(from, to)));
    },
  },
  {
    name: 'random-bytes',
    apply: (b, r) => {
      const n = between(1, 16, r);
      const bytes = Buffer.alloc(n);
      for (let i = 0; i < n; i++) bytes[i] = between(1, 255, r);
      return insertAt(b, Math.floor(r() * (b.length + 1)), bytes);
    },
  },
  { name: 'nul-byte', apply: (b, r) => insertAt(b, Math.floor(r() * (b.length + 1)), Buffer.from([0])) },
  {
    name: 'invalid-utf8',
    apply: (b, r) => insertAt(b, Math.floor(r() * (b.length + 1)), Buffer.from(pick(INVALID_UTF8, r))),
  },
  { name: 'crlf', apply: (b) => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1') },
  { name: 'cr-only', apply: (b) => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1') },
  { name: 'bom', apply: (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]) },
  {
    name: 'double-bom',
    apply: (b, r) =>
      insertAt(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]), lineOffset(b, r), Buffer.from([0xef, 0xbb, 0xbf])),
  },
  {
    name: 'tabs',
    apply: (b) =>
      Buffer.from(
        b.toString('latin1').replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)),
        'latin1',
      ),
  },
  {
    name: 'long-line',
    apply: (b, r) => {
      const unit = pick(LONG_LINE_UNITS, r);
      const prefix = pick(['', 'RUN ', 'FROM ', '  image: ', 'echo ', '# ', '    command: ', 'export X=', 'ENV A='], r);
      return insertAt(b, lineOffset(b, r), `${prefix}${unit.repeat(Math.ceil((1024 * 1024) / unit.length))}\n`);
    },
  },
  {
    name: 'deep-yaml',
    apply: (b, r) => {
      const depth = between(200, 3000, r);
      const style = between(0, 3, r);
      let text: string;
      if (style === 0) text = `x-deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
      else if (style === 1) text = `x-deep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
      else {
        const levels = Array.from({ length: Math.min(depth, 800) }, (_, i) =>
          style === 2 ? `${' '.repeat(i + 1)}- ` : `${' '.repeat(i + 1)}k${i}:`,
        );
        text = `x-deep:\n${levels.join('\n')}${style === 2 ? 'x' : ' v'}\n`;
      }
      return insertAt(b, lineOffset(b, r), text);
    },
  },
  {
    name: 'anchors',
    apply: (b, r) =>
      insertAt(
        b,
        lineOffset(b, r),
        `x-a: &a [${'*a, '.repeat(between(1, 50, r))}1]\nx-b: &b { <<: *b, image: "nginx" }\nx-c: *undefined\n`,
      ),
  },
  { name: 'unterminated', apply: (b, r) => insertAt(b, Math.floor(r() * (b.length + 1)), pick(UNTERMINATED, r)) },
  {
    name: 'unterminated-line',
    apply: (b, r) =>
      insertAt(
        b,
        lineOffset(b, r),
        `${pick(['RUN ', 'echo ', 'cat ', '  command: ', ''], r)}${pick(UNTERMINATED, r)}\n`,
      ),
  },
  { name: 'template', apply: (b, r) => insertAt(b, Math.floor(r() * (b.length + 1)), pick(TEMPLATES, r)) },
  { name: 'template-line', apply: (b, r) => insertAt(b, lineOffset(b, r), `${pick(TEMPLATES, r)}\n`) },
  {
    name: 'ignore-comments',
    apply: (b, r) =>
      insertAt(
        b,
        lineOffset(b, r),
        pick(
          ['# driftguard-ignore ', '# driftguard-ignore-file ', '# hadolint ignore=', '# hadolint global ignore='],
          r,
        ) +
          pick(['image-latest-tag', 'DL3006,DL3007', 'nope,', ',,,', '', ' -- why', 'package-unpinned -- x'], r) +
          '\n',
      ),
  },
  {
    name: 'directives',
    apply: (b, r) =>
      Buffer.concat([
        Buffer.from(pick(['# escape=`\n', '# syntax=docker/dockerfile:1\n', '# syntax=\n', '#escape=\\\n'], r)),
        b,
      ]),
  },
  { name: 'empty', apply: () => Buffer.alloc(0) },
  {
    name: 'whitespace-only',
    apply: (_b, r) => Buffer.from(pick([' ', '\n', '\r\n', '\t', ' \\\n'], r).repeat(between(1, 2000, r))),
  },
  { name: 'duplicate-file', apply: (b) => Buffer.concat([b, Buffer.from('\n'), b]) },
];

/** Applies 1–3 random mutators; returns the result and their names. */
export function mutate(
  bytes: Buffer,
  kind: FileKind,
  random: () => number,
  donor: () => Buffer,
): { bytes: Buffer; applied: string[] } {
  const applied: string[] = [];
  let current = bytes;
  const count = between(1, 3, random);
  for (let i = 0; i < count; i++) {
    const mutator = pick(MUTATORS, random);
    applied.push(mutator.name);
    current = mutator.apply(current, random, donor, kind);
  }
  return { bytes: current, applied };
}
