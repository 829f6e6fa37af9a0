import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument, YAMLMap } from 'yaml';
import type { Preset, Range, Severity } from '../engine/types';
import { RULE_IDS } from '../rules';
import { didYouMean } from '../text/suggest';
import { PRESETS, SEVERITIES } from './presets';

/** The contents of `.driftguard.yaml` after validation; invalid entries are dropped. */
export interface DriftGuardConfig {
  extends?: Preset;
  rules: Record<string, Severity>;
  /** Globs (relative to the config file's folder) of files never analysed. */
  ignore: string[];
  /** `images.allow`: references matching one of these patterns are never flagged. */
  imagesAllow: string[];
  /** Globs of shell scripts that run during an image build (build context). */
  buildScripts: string[];
}

/** A problem in a config file, with its exact range in that file. */
export interface ConfigProblem {
  message: string;
  range: Range;
}

/** The sections of `.driftguard.yaml`. */
export const TOP_LEVEL_KEYS: readonly string[] = ['extends', 'rules', 'ignore', 'images', 'buildScripts'];

export function emptyConfig(): DriftGuardConfig {
  return { rules: {}, ignore: [], imagesAllow: [], buildScripts: [] };
}

/** Parses and validates a config file's text. Never throws; problems carry ranges. */
export function parseConfig(text: string): { config: DriftGuardConfig; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const config = emptyConfig();
  const problems: ConfigProblem[] = [];
  const range = (node: Node | null | undefined, fallback = 0): Range => {
    const [s, e] = node?.range ?? [fallback, fallback];
    const a = lineCounter.linePos(s);
    const b = lineCounter.linePos(e);
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  };
  for (const error of doc.errors) {
    const a = lineCounter.linePos(error.pos[0]);
    const b = lineCounter.linePos(error.pos[1]);
    problems.push({
      message: `invalid YAML: ${error.message.split('\n')[0]}`,
      range: { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } },
    });
  }
  if (problems.length > 0) return { config, problems };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { config, problems };
  if (!isMap(root))
    return {
      config,
      problems: [
        {
          message: 'the config must be a mapping (extends, rules, ignore, images, buildScripts)',
          range: range(root),
        },
      ],
    };
  const stringList = (node: unknown, key: string): string[] => {
    if (!isSeq(node)) {
      problems.push({ message: `${key} must be a list of strings`, range: range(node as Node) });
      return [];
    }
    const values: string[] = [];
    for (const item of node.items) {
      if (isScalar(item) && typeof item.value === 'string' && item.value !== '') values.push(item.value);
      else problems.push({ message: `${key} entries must be non-empty strings`, range: range(item as Node) });
    }
    return values;
  };
  for (const pair of (root as YAMLMap).items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    switch (key) {
      case 'extends':
        if (isScalar(value) && PRESETS.includes(value.value as Preset)) config.extends = value.value as Preset;
        else
          problems.push({
            message:
              `extends must be one of: ${PRESETS.join(', ')}` +
              (isScalar(value) ? didYouMean(String(value.value), PRESETS) : ''),
            range: range(value ?? (pair.key as Node)),
          });
        break;
      case 'rules':
        if (!isMap(value)) {
          problems.push({
            message: 'rules must map rule ids to severities (off, hint, info, warning, error)',
            range: range(value ?? (pair.key as Node)),
          });
          break;
        }
        for (const rulePair of value.items) {
          const id = isScalar(rulePair.key) ? String(rulePair.key.value) : '';
          const sev = rulePair.value as Node | null;
          if (!RULE_IDS.has(id)) {
            problems.push({
              message: `unknown rule id “${id}”${didYouMean(id, RULE_IDS)}`,
              range: range(rulePair.key as Node),
            });
            continue;
          }
          if (isScalar(sev) && SEVERITIES.includes(sev.value as Severity)) config.rules[id] = sev.value as Severity;
          else
            problems.push({
              message:
                `severity of ${id} must be one of: ${SEVERITIES.join(', ')}` +
                (isScalar(sev) ? didYouMean(String(sev.value), SEVERITIES) : ''),
              range: range(sev ?? (rulePair.key as Node)),
            });
        }
        break;
      case 'ignore':
        config.ignore = stringList(value, 'ignore');
        break;
      case 'buildScripts':
        config.buildScripts = stringList(value, 'buildScripts');
        break;
      case 'images':
        if (!isMap(value)) {
          problems.push({
            message: 'images must be a mapping with allow: [patterns]',
            range: range(value ?? (pair.key as Node)),
          });
          break;
        }
        for (const imagePair of value.items) {
          const k = isScalar(imagePair.key) ? String(imagePair.key.value) : '';
          if (k === 'allow') config.imagesAllow = stringList(imagePair.value, 'images.allow');
          else
            problems.push({
              message: `unknown key “images.${k}” (expected allow)${didYouMean(k, ['allow'])}`,
              range: range(imagePair.key as Node),
            });
        }
        break;
      case 'online':
      case 'registry':
      case 'mirrors':
      case 'packages':
      case 'github':
      case 'proxy':
        problems.push({
          message:
            `${key} cannot be set in a config file: only the user enables or points network access ` +
            '(CLI flags, user settings; see docs/security.md)',
          range: range(pair.key as Node),
        });
        break;
      default:
        problems.push({
          message: `unknown key “${key}” (expected ${TOP_LEVEL_KEYS.join(', ')})${didYouMean(key, TOP_LEVEL_KEYS)}`,
          range: range(pair.key as Node),
        });
    }
  }
  return { config, problems };
}
