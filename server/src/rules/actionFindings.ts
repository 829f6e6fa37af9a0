import type { ActionUseSite } from '../model/actionUses';

/** What the action pin host fix needs (the site itself is found again by its range). */
export function actionHostData(site: ActionUseSite): Record<string, unknown> {
  return { action: site.uses.repository, ref: site.uses.ref, refClass: site.uses.refClass };
}

/** `owner/repo[/path]` as written, for messages. */
export function actionName(site: ActionUseSite): string {
  return site.uses.path ? `${site.uses.repository}/${site.uses.path}` : site.uses.repository;
}
