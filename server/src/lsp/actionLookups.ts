import { ActionRefService, type GitServerStatus } from '../actions/refService';
import { githubAccess } from '../actions/githubAccess';
import { describeFailure } from '../pin/resolve';
import type { RegistrySettings } from './editorSettings';

/** What the editor's action lookups are configured with. */
export interface ActionLookupSettings {
  /** `driftguard.github.url` from the user-only channel; empty: `GITHUB_SERVER_URL`, else github.com. */
  githubUrl: string;
  /** The transport the registry lookups use too (timeout, CA file, proxy). */
  registry: Pick<RegistrySettings, 'timeoutMs' | 'caFile' | 'proxy'>;
}

/**
 * The editor's access to the git server action refs are resolved on: one service per settings,
 * answers cached by the service for the quick fixes, hovers and Pin All that follow. Sends nothing
 * by itself, and nothing at all in an untrusted workspace.
 */
export class ActionLookups {
  private service: ActionRefService | undefined;
  private key = '';
  private failure: string | undefined;
  /** Told when the git server's reachability changes, and of each failed listing (for the log). */
  onStatus: (status: GitServerStatus) => void = () => undefined;
  onLookupFailure: (repository: string, reason: string) => void = () => undefined;

  constructor(
    private readonly trusted: boolean,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Applies the settings; a change starts from an empty cache. */
  configure(settings: ActionLookupSettings): void {
    const { githubUrl, registry } = settings;
    const key = JSON.stringify([githubUrl, registry.timeoutMs, registry.caFile, registry.proxy]);
    if (key === this.key) return;
    this.key = key;
    this.service?.close();
    this.service = undefined;
    this.failure = undefined;
    if (!this.trusted) return;
    try {
      this.service = new ActionRefService({
        ...githubAccess(this.env, githubUrl),
        timeoutMs: registry.timeoutMs,
        http: {
          env: this.env,
          ...(registry.caFile ? { caFile: registry.caFile } : {}),
          ...(registry.proxy ? { proxy: registry.proxy } : {}),
        },
      });
      this.service.onStatus = (status) => this.onStatus(status);
      this.service.onLookupFailure = (repository, reason) => this.onLookupFailure(repository, reason);
    } catch (error) {
      this.failure = `${githubUrl ? 'driftguard.github.url' : 'GITHUB_SERVER_URL'}: ${describeFailure(error)}`;
    }
  }

  /** Why action refs cannot be looked up, or undefined when they may be. */
  unavailableReason(): string | undefined {
    if (!this.trusted) return 'action lookups are off in an untrusted workspace';
    if (!this.service) return this.failure ?? 'action lookups are not configured yet';
    return undefined;
  }

  /** The lookup service, when lookups may be made. */
  refs(): ActionRefService | undefined {
    return this.unavailableReason() ? undefined : this.service;
  }

  /** The git server's host before any lookup (for titles: "asks github.com"). */
  host(): string | undefined {
    return this.service?.host;
  }

  /** Forgets failed listings, so the next quick fix or hover asks the git server again. */
  forgetFailures(): void {
    this.service?.forgetFailures();
  }

  dispose(): void {
    this.service?.close();
    this.service = undefined;
    this.key = '';
  }
}
