/**
 * The environment for an npm (or npx) child process started by a test: without the `npm_*`
 * variables of an outer `npm test`, which would otherwise leak its settings (user agent, prefix,
 * scripts' flags) into the child.
 */
export function cleanNpmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, ...extra };
}
