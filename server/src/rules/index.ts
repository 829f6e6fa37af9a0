import { compareRuleIds, type HostFixes, type Rule } from '../engine/rule';
import imageUntagged from './image-untagged';
import imageLatestTag from './image-latest-tag';
import imageUnpinnedDigest from './image-unpinned-digest';
import composePullAlwaysMutable from './compose-pull-always-mutable';
import ignoreUnknownRule from './ignore-unknown-rule';
import imageDigestStale from './image-digest-stale';
import packageUnpinned from './package-unpinned';
import packageUpgrade from './package-upgrade';
import livePackageChange from './live-package-change';
import liveConfigEdit from './live-config-edit';
import remoteScriptExec from './remote-script-exec';
import remoteAddUnverified from './remote-add-unverified';
import remoteDownloadUnverified from './remote-download-unverified';
import containerCommit from './container-commit';
import kubectlLiveMutation from './kubectl-live-mutation';
import actionBranchRef from './action-branch-ref';
import actionTagRef from './action-tag-ref';

/**
 * Every rule, sorted by id: the one list. Ids are a public contract (configuration, ignore comments,
 * SARIF, docs), so an id is never renamed or reused; the settings enum in package.json, the README
 * table and the docs pages are checked against this list (test/rules/registry.test.ts).
 */
export const RULES: readonly Rule[] = [
  composePullAlwaysMutable,
  ignoreUnknownRule,
  imageDigestStale,
  imageLatestTag,
  imageUntagged,
  imageUnpinnedDigest,
  packageUnpinned,
  packageUpgrade,
  livePackageChange,
  liveConfigEdit,
  remoteScriptExec,
  remoteAddUnverified,
  remoteDownloadUnverified,
  containerCommit,
  kubectlLiveMutation,
  actionBranchRef,
  actionTagRef,
].sort((a, b) => compareRuleIds(a.meta.id, b.meta.id));

/** Every rule id. */
export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((rule) => rule.meta.id));

const BY_ID = new Map(RULES.map((rule) => [rule.meta.id, rule]));

/** The host fixes a rule's findings take (none for unknown ids). */
export function hostFixesOf(ruleId: string): HostFixes {
  return BY_ID.get(ruleId)?.meta.hostFixes ?? {};
}
