import * as assert from 'node:assert/strict';
import { isImageBuildTemplate, templateBuildScripts } from '../../server/src/workspace/imageBuildTemplates';

describe('image build templates', () => {
  it('recognises Packer templates and dev container features', () => {
    assert.ok(isImageBuildTemplate('/r/images/ubuntu.pkr.hcl'));
    assert.ok(isImageBuildTemplate('/r/images/build.pkr.json'));
    assert.ok(isImageBuildTemplate('/r/src/go/devcontainer-feature.json'));
    assert.ok(!isImageBuildTemplate('/r/package.json'));
  });
  it('lists the scripts a Packer HCL template runs, relative to the template', () => {
    const hcl = `build {
  provisioner "shell" {
    scripts = [
      "\${path.root}/../scripts/build/install-git.sh",
      "\${path.root}/../scripts/build/configure-limits.sh"
    ]
  }
  provisioner "shell" {
    script = "scripts/cleanup.sh"
    environment_vars = ["HELPER_SCRIPTS=\${var.helper_script_folder}", "X=1.sh"]
  }
  provisioner "file" { source = "assets/post-gen.sh" destination = "/tmp" }
}`;
    assert.deepEqual(templateBuildScripts('/r/images/ubuntu/templates/ubuntu.pkr.hcl', hcl), [
      '/r/images/ubuntu/scripts/build/configure-limits.sh',
      '/r/images/ubuntu/scripts/build/install-git.sh',
      '/r/images/ubuntu/templates/scripts/cleanup.sh',
    ]);
  });
  it('lists the scripts of a JSON template with {{template_dir}}', () => {
    const json =
      '{"provisioners": [{"type": "shell", "scripts": ["{{template_dir}}/scripts/update.sh", "scripts/sshd.sh"]}, ' +
      '{"type": "shell", "inline": ["echo x.sh"]}]}';
    assert.deepEqual(templateBuildScripts('/r/packer/debian.pkr.json', json), [
      '/r/packer/scripts/sshd.sh',
      '/r/packer/scripts/update.sh',
    ]);
  });
  it('a dev container feature runs its install.sh at image build', () => {
    assert.deepEqual(templateBuildScripts('/r/src/go/devcontainer-feature.json', '{"id":"go"}'), [
      '/r/src/go/install.sh',
    ]);
  });
});
