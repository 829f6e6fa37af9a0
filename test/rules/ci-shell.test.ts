import livePackageChange from '../../server/src/rules/live-package-change';
import liveConfigEdit from '../../server/src/rules/live-config-edit';
import remoteScriptExec from '../../server/src/rules/remote-script-exec';
import packageUnpinned from '../../server/src/rules/package-unpinned';
import kubectlLiveMutation from '../../server/src/rules/kubectl-live-mutation';
import { ruleTester } from '../helpers/ruleTester';

/**
 * The shell rules on the scripts of CI and dev-environment files. A CI runner and a dev container
 * are thrown away and rebuilt from their definitions: installing or editing there is not a live
 * change; acting on other machines from there is.
 */

const step = (run: string, extra = '') =>
  `jobs:\n  a:\n    runs-on: ubuntu-latest\n${extra}    steps:\n      - run: ${run}\n`;

ruleTester(livePackageChange, {
  valid: [
    {
      name: 'workflow: installing on the runner',
      kind: 'workflow',
      code: step('sudo apt-get update && sudo apt-get install -y jq'),
    },
    {
      name: 'workflow: block scalar with expressions',
      kind: 'workflow',
      code: step('|\n          sudo apt-get install -y ${{ matrix.pkg }}\n          pip install -r requirements.txt'),
    },
    {
      name: 'composite action step',
      kind: 'action',
      code: 'runs:\n  using: composite\n  steps:\n    - run: brew install jq\n      shell: bash\n',
    },
    {
      name: 'gitlab: before_script installs on the runner',
      kind: 'gitlab-ci',
      code: 'test:\n  before_script:\n    - apk add --no-cache git\n  script: make\n',
    },
    {
      name: 'devcontainer: installing in the dev container is what it is for',
      kind: 'devcontainer',
      code:
        '{\n' +
        '  "postCreateCommand": "sudo apt-get update && sudo apt-get install -y graphviz",\n' +
        '  "onCreateCommand": ["pip", "install", "-e", "."],\n' +
        '}\n',
    },
    {
      name: 'workflow: a windows runner runs PowerShell by default',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - run: ssh h apt-get install -y x\n',
    },
    {
      name: 'workflow: a matrix of windows runners only',
      kind: 'workflow',
      code:
        'jobs:\n' +
        '  a:\n' +
        '    runs-on: ${{ matrix.os }}\n' +
        '    strategy:\n' +
        '      matrix:\n' +
        '        os: [windows-2022, windows-latest]\n' +
        '    steps:\n' +
        '      - run: ssh h apt-get install -y x\n',
    },
    {
      name: 'workflow: step shell pwsh',
      kind: 'workflow',
      code: step('ssh h apt-get install -y x\n        shell: pwsh'),
    },
    {
      name: 'workflow: default shell python',
      kind: 'workflow',
      code: 'defaults:\n  run:\n    shell: python\n' + step('ssh h apt-get install -y x'),
    },
    {
      name: 'composite step without a shell does not run',
      kind: 'action',
      code: 'runs:\n  using: composite\n  steps:\n    - run: ssh h apt-get install -y x\n',
    },
    {
      name: 'gitlab: windows runner',
      kind: 'gitlab-ci',
      code: 'w:\n  tags: [saas-windows-medium-amd64]\n  script: ssh h apt-get install -y x\n',
    },
  ],
  invalid: [
    {
      name: 'workflow: installing on another machine over ssh',
      kind: 'workflow',
      code: step("ssh deploy@prod 'sudo apt-get install -y nginx'"),
      errors: [
        {
          messageId: 'change',
          data: { command: 'apt-get install', action: 'installs packages', where: 'on a remote host (over ssh)' },
          range: [4, 35, 4, 50],
        },
      ],
    },
    {
      name: 'workflow: shell named with options, on a windows runner',
      kind: 'workflow',
      code:
        'jobs:\n' +
        '  a:\n' +
        '    runs-on: [self-hosted, windows]\n' +
        '    defaults:\n' +
        '      run:\n' +
        '        shell: bash --noprofile --norc -eo pipefail {0}\n' +
        '    steps:\n' +
        '      - run: docker exec web apt-get install -y curl\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apt-get install', action: 'installs packages', where: 'into a running container' },
          range: [7, 29, 7, 44],
        },
      ],
    },
    {
      name: 'workflow: a mixed matrix runs bash on some runners',
      kind: 'workflow',
      code:
        'jobs:\n' +
        '  a:\n' +
        '    runs-on: ${{ matrix.os }}\n' +
        '    strategy:\n' +
        '      matrix:\n' +
        '        os: [ubuntu-latest, windows-latest]\n' +
        '    steps:\n' +
        '      - run: ssh h apt-get install -y x\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apt-get install', action: 'installs packages', where: 'on a remote host (over ssh)' },
          range: [7, 19, 7, 34],
        },
      ],
    },
    {
      name: 'gitlab: script list item, docker exec',
      kind: 'gitlab-ci',
      code: 'deploy:\n  script:\n    - docker exec app apk add curl\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apk add', action: 'installs packages', where: 'into a running container' },
          range: [2, 22, 2, 29],
        },
      ],
    },
    {
      name: 'devcontainer: initializeCommand runs on the developer machine',
      kind: 'devcontainer',
      code: '{ "initializeCommand": "sudo apt-get install -y socat" }\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apt-get install', action: 'installs packages', where: 'on the host this script runs on' },
          range: [0, 29, 0, 44],
        },
      ],
    },
  ],
});

ruleTester(liveConfigEdit, {
  valid: [
    {
      name: 'workflow: editing /etc on the runner',
      kind: 'workflow',
      code: step("echo '127.0.0.1 db' | sudo tee -a /etc/hosts"),
    },
    {
      name: 'gitlab: sed -i on the runner',
      kind: 'gitlab-ci',
      code: 'a:\n  script:\n    - sed -i s/a/b/ /etc/apt/sources.list\n',
    },
    {
      name: 'devcontainer: object form, config in the dev container',
      kind: 'devcontainer',
      code:
        '{ "postStartCommand": { "hosts": "echo 1 >> /etc/hosts", ' +
        '"git": ["git", "config", "--global", "x", "y"] } }\n',
    },
  ],
  invalid: [
    {
      name: 'workflow: sed -i on a server over ssh',
      kind: 'workflow',
      code: step('ssh web1 "sudo sed -i \'s/a/b/\' /etc/nginx/nginx.conf"'),
      errors: [
        {
          messageId: 'edit',
          data: { command: 'sed', path: '“/etc/nginx/nginx.conf”', where: 'on a remote host (over ssh)' },
          range: [4, 44, 4, 65],
        },
      ],
    },
  ],
});

ruleTester(remoteScriptExec, {
  valid: [
    {
      name: 'workflow: downloaded and verified',
      kind: 'workflow',
      code: step('|\n          curl -fsSLo i.sh https://x/i.sh\n          sha256sum -c i.sha256\n          sh i.sh'),
    },
  ],
  invalid: [
    {
      name: 'workflow: curl | sh on the runner, with an expression in the URL',
      kind: 'workflow',
      code: step('curl -fsSL https://${{ vars.HOST }}/install.sh | sh'),
      errors: [
        {
          messageId: 'unverified',
          data: { runner: 'sh', download: 'curl', where: 'on the CI runner' },
          range: [4, 13, 4, 64],
        },
      ],
    },
    {
      name: 'gitlab: wget | bash',
      kind: 'gitlab-ci',
      code: 'a:\n  script: wget -qO- https://get.example.com | bash\n',
      errors: [
        {
          messageId: 'unverified',
          data: { runner: 'bash', download: 'wget', where: 'on the CI runner' },
          range: [1, 10, 1, 50],
        },
      ],
    },
    {
      name: 'devcontainer: postCreateCommand, escapes in the JSON string',
      kind: 'devcontainer',
      code: '{ "postCreateCommand": "curl -fsSL \\"https://x.io/i.sh\\" | bash" }\n',
      errors: [
        {
          messageId: 'unverified',
          data: { runner: 'bash', download: 'curl', where: 'in the dev container' },
          range: [0, 24, 0, 63],
        },
      ],
    },
  ],
});

ruleTester(packageUnpinned, {
  valid: [
    { name: 'workflow: unpinned tools on the runner', kind: 'workflow', code: step('pip install tox') },
    {
      name: 'devcontainer: unpinned tools in the dev container',
      kind: 'devcontainer',
      code: '{ "postCreateCommand": "npm install -g yarn" }\n',
    },
  ],
  invalid: [],
});

ruleTester(kubectlLiveMutation, {
  valid: [{ name: 'workflow: kubectl apply', kind: 'workflow', code: step('kubectl apply -f k8s/') }],
  invalid: [
    {
      name: 'workflow: kubectl set image from CI still changes the live cluster',
      kind: 'workflow',
      code: step('kubectl set image deploy/web web=app:${{ github.sha }}'),
      errors: [{ messageId: 'mutation', data: { command: 'kubectl set image' }, range: [4, 13, 4, 30] }],
    },
    {
      name: 'gitlab: kubectl patch',
      kind: 'gitlab-ci',
      code: 'deploy:\n  script: [ "kubectl patch deploy web -p {}" ]\n',
      errors: [{ messageId: 'mutation', data: { command: 'kubectl patch' }, range: [1, 13, 1, 26] }],
    },
  ],
});
