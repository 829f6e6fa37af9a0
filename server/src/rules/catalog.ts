/**
 * Every rule id DriftGuard defines. Ids are a public contract: configuration, ignore comments,
 * SARIF and documentation refer to them, so an id is never renamed or reused.
 */
export const RULE_IDS: ReadonlySet<string> = new Set([
  'image-untagged',
  'image-latest-tag',
  'image-unpinned-digest',
  'compose-pull-always-mutable',
  'package-unpinned',
  'package-upgrade',
  'remote-script-exec',
  'remote-add-unverified',
  'live-package-change',
  'live-config-edit',
  'container-commit',
  'kubectl-live-mutation',
  'image-digest-stale',
  'ignore-unknown-rule',
]);
