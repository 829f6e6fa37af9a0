import * as assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/engine/fixes';
import { disableRuleEdits, newConfigText } from '../../server/src/config/disableRule';
import { parseConfig } from '../../server/src/config/configFile';

const RULE = 'image-latest-tag';

/** [config before, config after] — undefined after: the file is left alone (no fix offered). */
const cases: Array<[string, string, string | undefined]> = [
  ['empty file', '', `rules:\n  ${RULE}: off\n`],
  ['comments only', '# team config', `# team config\nrules:\n  ${RULE}: off\n`],
  ['no rules section', 'extends: strict\n', `extends: strict\nrules:\n  ${RULE}: off\n`],
  [
    'rules listed: a line added with their indentation, comments kept',
    'rules:\n    image-untagged: error # loud\nignore: [x]\n',
    `rules:\n    image-untagged: error # loud\n    ${RULE}: off\nignore: [x]\n`,
  ],
  ['rule already listed: its severity replaced', `rules:\n  ${RULE}: error\n`, `rules:\n  ${RULE}: off\n`],
  ['rule already off: nothing to change', `rules:\n  ${RULE}: off\n`, `rules:\n  ${RULE}: off\n`],
  ['empty rules key', 'rules:\nignore: [x]\n', `rules:\n  ${RULE}: off\nignore: [x]\n`],
  ['CRLF kept', 'extends: strict\r\n', `extends: strict\r\nrules:\r\n  ${RULE}: off\r\n`],
  ['flow-style rules: left alone', 'rules: {image-untagged: error}\n', undefined],
  ['invalid YAML: left alone', 'rules: [\n', undefined],
  ['not a mapping: left alone', '- a\n', undefined],
];

describe('disable a rule in .driftguard.yaml', () => {
  for (const [name, before, after] of cases)
    it(name, () => {
      const edits = disableRuleEdits(before, RULE);
      if (after === undefined) return assert.equal(edits, undefined);
      assert.ok(edits);
      const output = applyEdits(before, edits);
      assert.equal(output, after);
      const { config, problems } = parseConfig(output);
      assert.deepEqual(problems, []);
      assert.equal(config.rules[RULE], 'off');
      assert.deepEqual(disableRuleEdits(output, RULE), [], 'a second run changes nothing');
    });
  it('a new config file turns the rule off and nothing else', () => {
    assert.deepEqual(parseConfig(newConfigText(RULE)), {
      config: { rules: { [RULE]: 'off' }, ignore: [], imagesAllow: [], buildScripts: [] },
      problems: [],
    });
  });
});
