import * as fs from 'node:fs';
import * as path from 'node:path';
import { docsUrl } from '../../engine/rule';
import { packageRoot } from '../../version';

/** A rule's help for reports (SARIF `help` and `fullDescription`), taken from its docs page. */
export interface RuleHelp {
  /** The page in Markdown, without its `# id` title; links absolute, so they work where it is shown. */
  markdown: string;
  /** The same page as plain text. */
  text: string;
  /** The page's lead sentence and the first paragraph of its "Why" section, as plain text. */
  fullDescription: string;
}

/**
 * Reads docs/rules/<id>.md shipped beside the package (the repository, the npm package and the
 * VSIX all carry it). Undefined when the page is not there: reports then fall back to the rule's
 * one-line description and its documentation link.
 */
export function loadRuleHelp(ruleId: string, docsDir = defaultDocsDir()): RuleHelp | undefined {
  if (docsDir === undefined || !/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  let page: string;
  try {
    page = fs.readFileSync(path.join(docsDir, `${ruleId}.md`), 'utf8');
  } catch {
    return undefined;
  }
  return ruleHelpFromMarkdown(ruleId, page);
}

function defaultDocsDir(): string | undefined {
  const root = packageRoot();
  return root === undefined ? undefined : path.join(root, 'docs', 'rules');
}

export function ruleHelpFromMarkdown(ruleId: string, page: string): RuleHelp {
  const lines = page.replace(/\r\n?/g, '\n').split('\n');
  if (/^#\s/.test(lines[0] ?? '')) lines.shift();
  const markdown = absoluteLinks(lines.join('\n').trim(), docsUrl(ruleId)) + '\n';
  const lead = firstParagraph(lines, 0);
  const whyAt = lines.findIndex((l) => /^##\s+why\b/i.test(l));
  const why = whyAt >= 0 ? firstParagraph(lines, whyAt + 1) : undefined;
  const fullDescription = [lead, why]
    .filter((b): b is string => b !== undefined)
    .map((b) => plainText(b).replace(/\s+/g, ' ').trim())
    .join(' ');
  return { markdown, text: plainText(markdown), fullDescription };
}

/** The first run of prose lines from `from` on (not a heading, table or code), up to a blank line. */
function firstParagraph(lines: readonly string[], from: number): string | undefined {
  let i = from;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const taken: string[] = [];
  for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
    if (/^\s*(#|\||```|~~~)/.test(lines[i]!)) break;
    taken.push(lines[i]!);
  }
  return taken.length > 0 ? taken.join('\n') : undefined;
}

/** Relative links of a docs page (`image-untagged.md`, `../registry.md#auth`, `#fix`) made absolute. */
function absoluteLinks(markdown: string, pageUrl: string): string {
  return markdown.replace(/(\]\()([^)\s]+)(\))/g, (whole, open: string, href: string, close: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return whole;
    try {
      return `${open}${new URL(href, pageUrl).toString()}${close}`;
    } catch {
      return whole;
    }
  });
}

/** Markdown as plain text: no markers, code kept verbatim (fenced blocks indented), links as `text (url)`. */
export function plainText(markdown: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      out.push(`    ${line}`);
      continue;
    }
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) continue; // table rule
    if (/^\s*\|/.test(line)) {
      const cells = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((c) => inline(c.trim()))
        .filter(Boolean);
      if (cells.length > 0) out.push(cells.length === 2 ? `${cells[0]}: ${cells[1]}` : cells.join(', '));
      continue;
    }
    out.push(inline(line.replace(/^#{1,6}\s+/, '')));
  }
  return out.join('\n').trim() + '\n';
}

function inline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, (_, label: string, href: string) =>
      label && label !== href ? `${label} (${href})` : href,
    )
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/__(.+?)__/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\([\\`*_|#[\]()<>-])/g, '$1');
}
