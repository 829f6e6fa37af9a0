import * as path from 'node:path';

/**
 * Image builds that are not Dockerfiles: Packer templates (VM/AMI images) and dev container
 * features. The scripts they run are image-build steps, not changes to a live machine.
 */
export function isImageBuildTemplate(filePath: string): boolean {
  const base = path.basename(filePath);
  return base === 'devcontainer-feature.json' || /\.pkr\.(?:hcl|json)$/.test(base);
}

const PACKER_SCRIPT_STRING = /"((?:\$\{path\.(?:root|cwd)\}|\{\{\s*template_dir\s*\}\})?[^"$\n{}]*\.(?:sh|bash))"/g;
const PACKER_SCRIPT_KEYS = /("?)\b(?:script|scripts)\b\1\s*[:=]/;

/**
 * Absolute paths of the shell scripts a template runs while building an image. Packer paths may
 * start with `${path.root}` / `{{template_dir}}` (the template's folder) or be relative to it.
 */
export function templateBuildScripts(templatePath: string, text: string): string[] {
  const dir = path.dirname(templatePath);
  if (path.basename(templatePath) === 'devcontainer-feature.json') return [path.join(dir, 'install.sh')];
  const scripts = new Set<string>();
  // Only strings inside `script`/`scripts` assignments: scan from each key to the end of its value.
  let rest = text;
  for (let m = PACKER_SCRIPT_KEYS.exec(rest); m; m = PACKER_SCRIPT_KEYS.exec(rest)) {
    const after = rest.slice(m.index + m[0].length);
    const valueEnd = after.trimStart().startsWith('[') ? after.indexOf(']') + 1 : after.search(/\n|,\s*"|$/);
    const value = after.slice(0, valueEnd > 0 ? valueEnd : after.length);
    for (const s of value.matchAll(PACKER_SCRIPT_STRING)) {
      const raw = s[1]!.replace(/^(?:\$\{path\.(?:root|cwd)\}|\{\{\s*template_dir\s*\}\})\/?/, '');
      scripts.add(path.resolve(dir, raw));
    }
    rest = after.slice(Math.max(valueEnd, 1));
  }
  return [...scripts].sort();
}
