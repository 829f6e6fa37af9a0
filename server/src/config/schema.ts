import { docsUrl } from '../engine/rule';
import { RULES } from '../rules';
import { PRESETS, SEVERITIES } from './presets';

/** Where the schema is committed (VS Code's `yamlValidation` points the YAML extension at it). */
export const CONFIG_SCHEMA_PATH = 'client/schemas/driftguard.schema.json';

/**
 * The JSON schema of `.driftguard.yaml`, built from the rule list and the presets so completion and
 * validation in the editor name exactly what `parseConfig` accepts. The committed file is checked
 * against this (test/engine/configSchema.test.ts); `npm run schema` rewrites it.
 */
export function configSchema(): object {
  const severity = { enum: [...SEVERITIES] };
  const globs = (description: string) => ({
    type: 'array',
    description,
    items: { type: 'string', minLength: 1 },
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/driftguard/driftguard/blob/main/' + CONFIG_SCHEMA_PATH,
    title: 'DriftGuard configuration (.driftguard.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: {
      extends: {
        description: 'The preset whose severities apply before `rules`.',
        enum: [...PRESETS],
        markdownEnumDescriptions: [
          'The default: each rule at the severity its docs page gives for recommended.',
          'Every offline rule on, at warning or above (for CI gates); ' +
            'rules that ask the network run only with the user’s online checks.',
        ],
      },
      rules: {
        type: 'object',
        description: 'Severity per rule id (off turns a rule off).',
        additionalProperties: false,
        properties: Object.fromEntries(
          RULES.map((rule) => [
            rule.meta.id,
            {
              ...severity,
              description: rule.meta.network
                ? `${rule.meta.description} (off unless the user turns online checks on; then warning)`
                : `${rule.meta.description} (recommended: ${rule.meta.severity.recommended}, ` +
                  `strict: ${rule.meta.severity.strict})`,
              markdownDescription: `${rule.meta.description}\n\n[Documentation](${docsUrl(rule.meta.id)})`,
            },
          ]),
        ),
      },
      ignore: globs('Globs (relative to this file) of files never analysed.'),
      images: {
        type: 'object',
        additionalProperties: false,
        properties: {
          allow: globs('Image reference patterns never flagged (e.g. registry.internal/*).'),
        },
      },
      buildScripts: globs('Globs of shell scripts that run during an image build.'),
    },
  };
}

/** The schema file's text: two-space JSON with a final newline (what Prettier leaves as is). */
export function configSchemaText(): string {
  return JSON.stringify(configSchema(), null, 2) + '\n';
}
