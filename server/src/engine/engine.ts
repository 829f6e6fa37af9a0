import { pathToFileURL } from 'node:url';
import type { FileKind } from './types';
import type { LintInput } from './settings';
import type { Rule } from './rule';
import { DocumentModel } from './documentModel';
import { lintDocument, lintDocumentSteps, LintResult, LintSteps } from './lint';
import {
  IncrementalLint,
  IncrementalOptions,
  IncrementalState,
  lintIncremental,
  lintIncrementalSteps,
} from './incremental';
import type { KindRegistry } from '../kinds';
import type { ShellAnalyzer } from '../shell/analyse';
import type { BashParser } from '../shell/parser';
import type { ScriptUse } from '../workspace/buildScriptIndex';
import type { BuildDefinition } from '../model/buildDefinition';
import type { Sourcing } from '../shell/sourcing';

/** A file as read from disk, for `Engine.readModel`. */
export interface ReadableFile<K extends string = FileKind> {
  path: string;
  kind: K;
  text: string;
  /** Compose: the `.env` beside it (null or absent: none). */
  dotenv?: string | null;
}

/** Gives the read-only model of a file (`Engine.readModel`, or a host's models shared by its passes). */
export interface ModelSource<K extends string = FileKind> {
  readModel(file: ReadableFile<K>): DocumentModel;
}

/** What an engine is made of; the composition root (createEngine.ts) assembles them. */
export interface EngineParts<K extends string = FileKind> {
  rules: readonly Rule[];
  kinds: KindRegistry<K>;
  shell: ShellAnalyzer;
}

/**
 * The pure engine: text + settings in, problems out; no file system, connection or network. One per
 * host (and per worker thread): it holds the rules, the file kinds and the shell analyser (with the
 * host's snippet cache).
 */
export class Engine<K extends string = FileKind> implements ModelSource<K> {
  readonly rules: readonly Rule[];
  readonly kinds: KindRegistry<K>;
  /** The rule ids ignore comments may name. */
  readonly ruleIds: ReadonlySet<string>;
  private readonly shell: ShellAnalyzer;

  constructor(parts: EngineParts<K>) {
    this.rules = parts.rules;
    this.kinds = parts.kinds;
    this.shell = parts.shell;
    this.ruleIds = new Set(parts.rules.map((rule) => rule.meta.id));
  }

  /** The parser of the engine's shell analyser (a host may hold its trees across passes: `BashParser.holdTrees`). */
  get shellParser(): BashParser {
    return this.shell.parser;
  }

  /** The same engine with other rules (a rule under test among stand-ins). */
  withRules(rules: readonly Rule[]): Engine<K> {
    return new Engine({ rules, kinds: this.kinds, shell: this.shell });
  }

  /**
   * A document of a known kind, parsed lazily; a lint's result carries the one it linted. `earlier`:
   * a model of the same document read before, whose parse this one reads again where it can (see
   * `DocumentModel`).
   */
  model(input: LintInput<K>, earlier?: DocumentModel): DocumentModel {
    return new DocumentModel(input, this.kinds.get(input.kind), this.shell, earlier);
  }

  lint(input: LintInput<K>, earlier?: DocumentModel): LintResult {
    return lintDocument(this.model(input, earlier), this.rules, this.ruleIds);
  }

  /**
   * A model for reading what a file is and does (its builds, the commands it runs), with no
   * settings: no rule runs on it. A `.env` given as text is the Compose file's.
   */
  readModel(file: ReadableFile<K>): DocumentModel {
    return this.model({
      uri: pathToFileURL(file.path).toString(),
      text: file.text,
      kind: file.kind,
      settings: NO_SETTINGS,
      ...(typeof file.dotenv === 'string' ? { dotenv: file.dotenv } : {}),
    });
  }

  /** `lint` in steps, for a host that answers other requests while a large document is linted. */
  lintSteps(input: LintInput<K>): LintSteps {
    return lintDocumentSteps(this.model(input), this.rules, this.ruleIds);
  }

  /** Lints reusing an earlier lint of the same document where only part of it changed (see incremental.ts). */
  lintIncremental(
    input: LintInput<K>,
    previous?: IncrementalState<K>,
    options?: IncrementalOptions,
  ): IncrementalLint<K> {
    return lintIncremental(this, input, previous, options);
  }

  /** `lintIncremental` in steps (see `lintSteps`). */
  lintIncrementalSteps(
    input: LintInput<K>,
    previous?: IncrementalState<K>,
    options?: IncrementalOptions,
  ): LintSteps<IncrementalLint<K>> {
    return lintIncrementalSteps(this, input, previous, options);
  }

  /** Whether files of this kind run scripts (hosts index them, and lint them before other files). */
  runsScripts(kind: K): boolean {
    return this.kinds.get(kind).scriptUses !== undefined;
  }

  /**
   * The scripts a file copies in and runs (plain data: it may cross threads); none for kinds that
   * run none. `model`: the file as a lint already parsed it.
   */
  scriptUses(file: { path: string; kind: K; text: string }, model?: DocumentModel): ScriptUse {
    const kind = this.kinds.get(file.kind);
    if (!kind.scriptUses) return { build: [], entrypoint: [], startup: [], image: [], builder: [] };
    const document = model ?? this.readModel(file);
    return kind.scriptUses(document.parsed, document);
  }

  /**
   * What a shell script gives the scripts that source it and the files it sources itself (plain
   * data, see `Sourcing`); undefined for kinds that are not scripts other files run.
   */
  sourcing(file: { path: string; kind: K; text: string }): Sourcing | undefined {
    const kind = this.kinds.get(file.kind);
    if (!kind.runByOtherFiles) return undefined;
    const document = this.model({
      uri: pathToFileURL(file.path).toString(),
      text: file.text,
      kind: file.kind,
      settings: NO_SETTINGS,
    });
    return document.sourcing();
  }

  /**
   * The builds a file defines or runs for Dockerfiles (Compose `build:`, `docker build -f`), paths
   * as written (plain data); none for kinds that define none or files that cannot be analysed.
   * `models`: where the file's model comes from (a host's models shared by its passes over the files).
   */
  buildDefinitions(file: ReadableFile<K>, models: ModelSource<K> = this): BuildDefinition[] {
    const kind = this.kinds.get(file.kind);
    if (!kind.buildDefinitions || !file.text.includes('build')) return [];
    const document = models.readModel(file);
    if (kind.skipReason?.(document.parsed) !== undefined) return [];
    return kind.buildDefinitions(document.parsed, document);
  }
}

const NO_SETTINGS = { severities: {}, imagesAllow: [] };
