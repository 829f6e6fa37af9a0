import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { createEngine } from '../../server/src/createEngine';
import type { Engine } from '../../server/src/engine/engine';
import { BuildScriptTracker } from '../../server/src/lsp/buildScriptTracker';
import { DeferredReads, type Timers } from '../../server/src/lsp/deferredReads';
import { SourcedScripts } from '../../server/src/lsp/sourcedScripts';
import { LspTestClient, uriOf, stopClientsAfterEach } from '../helpers/lspClient';
import { StateWaits } from '../helpers/stateWaits';
import { tempTree } from '../helpers/tempTree';

/** Timers that fire only when the test moves the clock. */
class TestClock implements Timers {
  now = 0;
  private readonly due = new Map<number, { at: number; run: () => void }>();
  private next = 0;

  setTimeout(run: () => void, ms: number): unknown {
    this.due.set(++this.next, { at: this.now + ms, run });
    return this.next;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  /** Moves the clock by `ms`, running the timers due on the way, in order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const [id, timer] = [...this.due].sort((a, b) => a[1].at - b[1].at).find(([, t]) => t.at <= until) ?? [];
      if (id === undefined || !timer) break;
      this.due.delete(id);
      this.now = timer.at;
      timer.run();
    }
    this.now = until;
  }
}

describe('work deferred until typing pauses (DeferredReads)', () => {
  it('runs once the delay has passed since the last deferral, each key once, the latest task', () => {
    const clock = new TestClock();
    const deferred = new DeferredReads(300, () => false, clock);
    const ran: string[] = [];
    deferred.defer('a', () => ran.push('a1'));
    clock.advance(200);
    deferred.defer('a', () => ran.push('a2'));
    deferred.defer('b', () => ran.push('b'));
    clock.advance(299);
    assert.deepEqual(ran, []);
    clock.advance(1);
    assert.deepEqual(ran, ['a2', 'b']);
    clock.advance(1000);
    assert.deepEqual(ran, ['a2', 'b']);
  });

  it('waits while a lint is pending or running, then the whole delay from the end of the last lint', () => {
    const clock = new TestClock();
    let linting = false;
    const deferred = new DeferredReads(300, () => linting, clock);
    const ran: string[] = [];
    deferred.defer('a', () => ran.push('a'));
    linting = true;
    clock.advance(1000);
    assert.deepEqual(ran, [], 'a lint is in flight');
    linting = false;
    deferred.lintEnded();
    clock.advance(299);
    assert.deepEqual(ran, [], 'the wait starts over when the lint ends');
    clock.advance(1);
    assert.deepEqual(ran, ['a']);
  });

  it('a lint ending with nothing deferred arms nothing; dispose drops what waits', () => {
    const clock = new TestClock();
    const deferred = new DeferredReads(300, () => false, clock);
    const ran: string[] = [];
    deferred.lintEnded();
    deferred.defer('a', () => ran.push('a'));
    deferred.dispose();
    clock.advance(1000);
    assert.deepEqual(ran, []);
  });
});

describe('language server: re-reads deferred until typing pauses', function () {
  this.timeout(30000);
  let client: LspTestClient | undefined;
  const restore: Array<() => void> = [];
  stopClientsAfterEach();
  afterEach(() => restore.splice(0).forEach((undo) => undo()));

  it('no deferred re-read runs between two keystrokes, even when each lint is slower than the delay', async () => {
    const root = tempTree({
      'vars.sh': 'TAG=1\n',
      'build.sh': '#!/bin/sh\n. ./vars.sh\ndocker build -t "app:$TAG" .\n# \n',
    });
    const script = path.join(root, 'build.sh');
    const uri = uriOf(script);
    const clock = new TestClock();
    // Every lint takes longer than the delay, on the clock the deferred reads wait on.
    const engine = createEngine().then((real): Engine => {
      const lintIncrementalSteps = real.lintIncrementalSteps.bind(real);
      real.lintIncrementalSteps = (...args) => {
        clock.advance(400);
        return lintIncrementalSteps(...args);
      };
      return real;
    });
    /** Each deferred re-read with the version of the script then, and the last version published. */
    const reads: Array<{ read: string; version: number | undefined; published: number }> = [];
    let published = 0;
    // The test waits on these states, woken when they change.
    const states = new StateWaits();
    const { changed } = states;
    const until = (ok: () => boolean) => states.until(ok);
    const openVersion = () => client?.inProcessServer?.server.documents.get(uri)?.version;
    class Tracker extends BuildScriptTracker {
      override definingFileChanged(...args: Parameters<BuildScriptTracker['definingFileChanged']>) {
        if (args[1].path === script) reads.push({ read: 'builds', version: openVersion(), published });
        changed();
        return super.definingFileChanged(...args);
      }
    }
    const refresh = Object.getOwnPropertyDescriptor(SourcedScripts.prototype, 'refresh')!;
    SourcedScripts.prototype.refresh = function (this: SourcedScripts, ...args) {
      if (args[1].path === script) reads.push({ read: 'sourced', version: openVersion(), published });
      changed();
      return (refresh.value as SourcedScripts['refresh']).apply(this, args);
    };
    restore.push(() => Object.defineProperty(SourcedScripts.prototype, 'refresh', refresh));

    // A lint's end (what it tells other files is done after its publish is written): the version published then.
    let ended = 0;
    const lintEnded = Object.getOwnPropertyDescriptor(DeferredReads.prototype, 'lintEnded')!;
    DeferredReads.prototype.lintEnded = function (this: DeferredReads) {
      ended = published;
      changed();
      return (lintEnded.value as DeferredReads['lintEnded']).apply(this);
    };
    restore.push(() => Object.defineProperty(DeferredReads.prototype, 'lintEnded', lintEnded));

    client = LspTestClient.inProcess({ engine, buildScripts: new Tracker(), timers: clock });
    const connection = client.inProcessServer!.connection;
    const sendDiagnostics = connection.sendDiagnostics.bind(connection);
    connection.sendDiagnostics = (params) => {
      if (params.uri === uri) published = params.version ?? published;
      changed();
      return sendDiagnostics(params);
    };
    const publishedVersion = (version: number) => until(() => ended >= version);
    await client.initialize(uriOf(root));
    await client.openFile(script, 'shellscript');
    await publishedVersion(1);
    for (let version = 2; version <= 6; version++) {
      const at = { line: 3, character: version };
      await client.change(uri, version, { range: { start: at, end: at }, text: 'x' });
      await publishedVersion(version);
    }
    assert.equal(reads.length, 0, 'nothing was re-read while typing');

    // Typing pauses: both re-reads run once, on the last text.
    clock.advance(300);
    await until(() => reads.length >= 2);
    assert.deepEqual(reads.map((r) => r.read).sort(), ['builds', 'sourced']);
    for (const read of reads) assert.deepEqual([read.version, read.published], [6, 6]);
    clock.advance(1000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(reads.length, 2, 'each re-read ran once');
  });

  /**
   * An in-process server on `clock` over a workspace with a Dockerfile that runs a script; `updates`:
   * each record of what the Dockerfile runs (from a lint's model or a parse of its own), with the
   * Dockerfile's text then. Resolves once the Dockerfile's first publish is out and the workspace indexed.
   */
  async function openedDockerfile(clock: TestClock) {
    const root = tempTree({
      Dockerfile: 'FROM alpine:3.19\nCOPY build.sh /build.sh\nRUN /build.sh\n# \n',
      'build.sh': '#!/bin/sh\napk add curl\n',
    });
    const dockerfile = path.join(root, 'Dockerfile');
    const uri = uriOf(dockerfile);
    const updates: Array<{ fromLint: boolean; text: string }> = [];
    let indexed = false;
    let published = 0;
    const states = new StateWaits();
    const { changed } = states;
    class Tracker extends BuildScriptTracker {
      override update(...args: Parameters<BuildScriptTracker['update']>) {
        if (args[1].path === dockerfile) updates.push({ fromLint: args[3] !== undefined, text: args[2] });
        changed();
        return super.update(...args);
      }
      override async index(...args: Parameters<BuildScriptTracker['index']>) {
        await super.index(...args);
        indexed = true;
        changed();
      }
    }
    client = LspTestClient.inProcess({ buildScripts: new Tracker(), timers: clock });
    const connection = client.inProcessServer!.connection;
    const sendDiagnostics = connection.sendDiagnostics.bind(connection);
    connection.sendDiagnostics = (params) => {
      const sent = sendDiagnostics(params);
      void sent.then(() => {
        if (params.uri === uri) published = Math.max(published, params.version ?? 0);
        changed();
      });
      return sent;
    };
    await client.initialize(uriOf(root));
    await client.openFile(dockerfile, 'dockerfile');
    await states.until(() => published >= 1 && indexed);
    /** Resolves once the publish of `version` is written and the lint that made it has ended. */
    const publishedVersion = async (version: number) => {
      await states.until(() => published >= version);
      await new Promise((resolve) => setImmediate(resolve));
    };
    /** Typing pauses: the deferred work runs, and nothing more comes later. */
    const pause = async () => {
      clock.advance(300);
      await states.until(() => updates.length >= 1);
      clock.advance(1000);
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { uri, updates, publishedVersion, pause };
  }

  it('a Dockerfile typed into at once: its first record waits, only the re-read of the last text runs', async () => {
    const { uri, updates, publishedVersion, pause } = await openedDockerfile(new TestClock());
    for (let version = 2; version <= 4; version++) {
      const at = { line: 3, character: version };
      await client!.change(uri, version, { range: { start: at, end: at }, text: 'x' });
      await publishedVersion(version);
    }
    assert.deepEqual(updates, [], 'nothing recorded while typing (the first lint’s record waits)');
    await pause();
    assert.deepEqual(updates, [
      { fromLint: false, text: 'FROM alpine:3.19\nCOPY build.sh /build.sh\nRUN /build.sh\n# xxx\n' },
    ]);
  });

  it('a Dockerfile opened and left: what it runs is recorded when typing pauses, from its first model', async () => {
    const { updates, pause } = await openedDockerfile(new TestClock());
    assert.deepEqual(updates, []);
    await pause();
    assert.deepEqual(updates, [
      { fromLint: true, text: 'FROM alpine:3.19\nCOPY build.sh /build.sh\nRUN /build.sh\n# \n' },
    ]);
  });
});
