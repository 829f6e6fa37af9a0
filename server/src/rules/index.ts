import type { Rule } from '../engine/rule';
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
import containerCommit from './container-commit';
import kubectlLiveMutation from './kubectl-live-mutation';

/** The implemented rules, sorted by id. Every id here is also in `RULE_IDS`. */
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
  containerCommit,
  kubectlLiveMutation,
].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
