import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Range, Severity } from '../../engine/types';
import { docsUrl, RuleMeta } from '../../engine/rule';
import { FILE_KINDS } from '../../kinds';
import { RULES } from '../../rules';
import type { ScanOutcome } from '../scan';
import { FINGERPRINT_KEY, fingerprints } from './fingerprint';
import { loadRuleHelp } from './ruleHelp';
import { redactText } from '../../net/redact';
import { relativePosix } from '../../workspace/posixPath';

const LEVEL: Record<Severity, string> = { off: 'none', hint: 'note', info: 'note', warning: 'warning', error: 'error' };

/**
 * SARIF 2.1.0 for GitHub code scanning and other consumers: URIs relative to `SRCROOT` (the working
 * directory), 1-based regions in UTF-16 columns; each rule with its docs page as help, each result
 * with a fingerprint that survives lines moving (see fingerprint.ts).
 */
export function formatSarif(outcome: ScanOutcome, cwd: string, version: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const uri = (p: string) => relativePosix(cwd, p).split('/').map(encodeURIComponent).join('/');
  const region = (r: Range) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  const results = outcome.files.flatMap((file) => {
    const hashes = fingerprints(uri(file.path), file.text, file.problems);
    return file.problems.map((p, i) => ({
      ruleId: p.ruleId,
      ruleIndex: ruleIndex.get(p.ruleId) ?? -1,
      level: LEVEL[p.severity],
      message: { text: redactText(p.message) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uri(file.path), uriBaseId: 'SRCROOT' },
            region: region(p.range),
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: hashes[i]! },
      ...(p.fixes.length
        ? {
            fixes: p.fixes.map((fix) => ({
              description: { text: fix.title },
              artifactChanges: [
                {
                  artifactLocation: { uri: uri(file.path), uriBaseId: 'SRCROOT' },
                  replacements: (fix.plainEdits ?? fix.edits).map((e) => ({
                    deletedRegion: region(e.range),
                    insertedContent: { text: e.newText },
                  })),
                },
              ],
            })),
          }
        : {}),
    }));
  });
  const notifications = [
    ...outcome.files
      .filter((f) => f.skipped)
      .map((f) => ({
        level: 'note',
        message: { text: `skipped: ${f.skipped}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: uri(f.path), uriBaseId: 'SRCROOT' } } }],
      })),
    ...outcome.skipped.map((entry) => ({
      level: 'note',
      message: { text: `skipped: ${entry.reason}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(entry.path), uriBaseId: 'SRCROOT' } } }],
    })),
    ...outcome.configProblems.map((c) => ({
      level: 'error',
      message: { text: `config: ${c.message}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uri(c.path), uriBaseId: 'SRCROOT' },
            region: { startLine: c.line + 1, startColumn: c.character + 1 },
          },
        },
      ],
    })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'DriftGuard',
            informationUri: 'https://github.com/driftguard/driftguard',
            version,
            rules: RULES.map((r) => ruleDescriptor(r.meta)),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd + path.sep).toString() } },
        invocations: [
          { executionSuccessful: outcome.configProblems.length === 0, toolExecutionNotifications: notifications },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function ruleDescriptor(meta: RuleMeta) {
  const help = loadRuleHelp(meta.id);
  const url = docsUrl(meta.id);
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: meta.description },
    fullDescription: { text: help?.fullDescription || meta.description },
    helpUri: url,
    help: help
      ? { text: help.text, markdown: help.markdown }
      : { text: `${meta.description}\n\n${url}\n`, markdown: `${meta.description}\n\n[Documentation](${url})\n` },
    defaultConfiguration: {
      level: LEVEL[meta.severity.recommended],
      // Rules that need the network run only with the user's --online.
      enabled: meta.severity.recommended !== 'off' && !meta.network,
    },
    // a rule that names no kinds runs on every kind
    properties: { tags: [meta.category, ...(meta.kinds ?? FILE_KINDS.all.map((k) => k.id))] },
  };
}

/** `image-latest-tag` → `ImageLatestTag`: SARIF's `name` is an identifier-like form of the id. */
function ruleName(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
