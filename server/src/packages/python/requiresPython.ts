import { comparePep440, parsePep440, Pep440Version } from './pep440';

/**
 * Whether a file's `Requires-Python` (a PEP 440 specifier set: `>=3.8`, `>=3.7,!=3.8.*,<4`, `~=3.9`)
 * admits `python` (`3.12` or `3.12.4`), as pip decides before it considers a file.
 *
 * When only `major.minor` is known, the Python counts as admitted when any patch release of it would
 * be (`>=3.12.1` admits `3.12`): a pin is never held back on a guess. A clause pip cannot parse is
 * ignored, as pip ignores an invalid Requires-Python.
 */
export function requiresPythonAdmits(specifiers: string, python: string): boolean {
  const exact = parsePep440(python);
  if (!exact) return true;
  const candidates =
    exact.release.length >= 3 ? [exact] : [withPatch(exact, 0), withPatch(exact, Number.MAX_SAFE_INTEGER)];
  const clauses = specifiers
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return candidates.some((candidate) => clauses.every((clause) => clauseAdmits(clause, candidate) ?? true));
}

function withPatch(version: Pep440Version, patch: number): Pep440Version {
  const release = [version.release[0] ?? 0, version.release[1] ?? 0, patch];
  return { ...version, text: release.join('.'), release };
}

/** One clause (`>=3.8`, `!=3.0.*`); undefined when it does not parse. */
function clauseAdmits(clause: string, python: Pep440Version): boolean | undefined {
  const m = /^(===|==|!=|~=|<=|>=|<|>)\s*(\S+)$/.exec(clause);
  if (!m) return undefined;
  const [, operator, operand] = m as unknown as [string, string, string];
  if (operator === '===') return operand === python.text;
  if (operand.endsWith('.*')) {
    if (operator !== '==' && operator !== '!=') return undefined;
    const prefix = parsePep440(operand.slice(0, -2));
    if (!prefix) return undefined;
    const matches = prefix.release.every((part, i) => (python.release[i] ?? 0) === part);
    return operator === '==' ? matches : !matches;
  }
  const version = parsePep440(operand);
  if (!version) return undefined;
  const order = comparePep440(python, version);
  switch (operator) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<=':
      return order <= 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    default: {
      // ~=X.Y.Z: >= X.Y.Z and == X.Y.*
      if (version.release.length < 2) return undefined;
      const prefix = version.release.slice(0, -1);
      return order >= 0 && prefix.every((part, i) => (python.release[i] ?? 0) === part);
    }
  }
}
