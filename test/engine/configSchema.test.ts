import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseConfig, TOP_LEVEL_KEYS } from '../../server/src/config/configFile';
import { CONFIG_SCHEMA_PATH, configSchema, configSchemaText } from '../../server/src/config/schema';
import { RULE_IDS } from '../../server/src/rules';

const ROOT = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  files: string[];
  contributes: { yamlValidation?: Array<{ fileMatch: string | string[]; url: string }> };
};

/** The schema and the config parser must agree: what one accepts the other accepts. */
function agree(text: string): { schemaValid: boolean; parserValid: boolean } {
  const validate = new Ajv({ strict: false }).compile(configSchema());
  return { schemaValid: validate(parse(text) ?? {}), parserValid: parseConfig(text).problems.length === 0 };
}

describe('.driftguard.yaml schema', () => {
  it('is committed as generated from the rule list (npm run schema rewrites it)', () => {
    assert.equal(fs.readFileSync(path.join(ROOT, CONFIG_SCHEMA_PATH), 'utf8'), configSchemaText());
  });
  it('names every rule id and every top-level key the parser reads', () => {
    const schema = configSchema() as { properties: Record<string, { properties?: object }> };
    assert.deepEqual(Object.keys(schema.properties).sort(), [...TOP_LEVEL_KEYS].sort());
    assert.deepEqual(Object.keys(schema.properties.rules!.properties!).sort(), [...RULE_IDS].sort());
  });
  it('is what VS Code hands the YAML extension for .driftguard.yaml and .yml, and ships in the package', () => {
    const entry = manifest.contributes.yamlValidation?.find((v) => v.url === `./${CONFIG_SCHEMA_PATH}`);
    assert.ok(entry, 'contributes.yamlValidation points at the schema');
    assert.deepEqual([entry.fileMatch].flat().sort(), ['.driftguard.yaml', '.driftguard.yml']);
    assert.ok(manifest.files.includes(CONFIG_SCHEMA_PATH));
  });
  const cases: Array<[string, boolean]> = [
    ['extends: strict\nrules:\n  image-latest-tag: off\nignore: [vendor/**]\n', true],
    ['images:\n  allow: ["localhost:5000/*"]\nbuildScripts: [docker/*.sh]\n', true],
    ['extends: lax\n', false],
    ['rules:\n  image-untaged: error\n', false],
    ['rules:\n  image-latest-tag: loud\n', false],
    ['colour: red\n', false],
    ['images:\n  deny: [x]\n', false],
    ['ignore: ["", x]\n', false],
  ];
  for (const [text, valid] of cases)
    it(`${valid ? 'accepts' : 'rejects'} ${JSON.stringify(text)} as the config parser does`, () => {
      assert.deepEqual(agree(text), { schemaValid: valid, parserValid: valid });
    });
});
