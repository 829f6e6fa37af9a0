import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/repo';

interface Setting {
  description?: string;
  markdownDescription?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Setting> } };
  scripts: Record<string, string>;
};

describe('extension manifest', () => {
  it('setting descriptions render: code spans are closed and none is used as an apostrophe', () => {
    for (const [key, setting] of Object.entries(manifest.contributes.configuration.properties)) {
      const text = setting.markdownDescription ?? setting.description ?? '';
      assert.equal((text.match(/`/g) ?? []).length % 2, 0, `${key}: unbalanced backticks in ${JSON.stringify(text)}`);
      assert.doesNotMatch(text, /\w`s\b/, `${key}: a backtick used as an apostrophe`);
      if (setting.description !== undefined) assert.doesNotMatch(setting.description, /`/, `${key}: plain description`);
    }
  });
  it('the VSIX keeps README links relative, so its screenshots render from the package offline', () => {
    assert.match(manifest.scripts.package ?? '', /vsce package .*--no-rewrite-relative-links/);
  });
});
