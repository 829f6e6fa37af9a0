import rule from '../../server/src/rules/action-branch-ref';
import { ruleTester } from '../helpers/ruleTester';

const SHA = '0123456789abcdef0123456789abcdef01234567';

ruleTester(rule, {
  valid: [
    { name: 'version tag', kind: 'workflow', code: 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n' },
    {
      name: 'full SHA',
      kind: 'workflow',
      code: `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${SHA} # v4.1.7\n`,
    },
    {
      name: 'local action',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses: ./.github/actions/setup\n',
    },
    { name: 'docker image', kind: 'workflow', code: 'jobs:\n  a:\n    steps:\n      - uses: docker://alpine:3.20\n' },
    {
      name: 'local reusable workflow',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    uses: ./.github/workflows/build.yml\n',
    },
    { name: 'no ref at all', kind: 'workflow', code: 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout\n' },
    {
      name: 'a uses that is not a step is not read',
      kind: 'workflow',
      code: 'env:\n  uses: actions/checkout@main\njobs:\n  a:\n    with:\n      uses: x/y@main\n',
    },
    {
      name: 'ignore comment above the step',
      kind: 'workflow',
      code:
        'jobs:\n' +
        '  a:\n' +
        '    steps:\n' +
        '      # driftguard-ignore action-branch-ref -- our own action, same org\n' +
        '      - uses: acme/tools@main\n',
    },
    {
      name: 'ignore-file',
      kind: 'workflow',
      code: '# driftguard-ignore-file action-branch-ref\njobs:\n  a:\n    steps:\n      - uses: acme/tools@main\n',
    },
    {
      name: 'a # inside a block scalar is not an ignore comment, and run text is not a uses',
      kind: 'workflow',
      code:
        'jobs:\n' +
        '  a:\n' +
        '    steps:\n' +
        '      - run: |\n' +
        '          # driftguard-ignore action-branch-ref\n' +
        '          echo uses: x/y@main\n',
    },
    { name: 'Docker action metadata', kind: 'action', code: 'runs:\n  using: docker\n  image: docker://alpine:3\n' },
    { name: 'GitLab CI has no actions', kind: 'gitlab-ci', code: 'build:\n  script: echo uses: x/y@main\n' },
    {
      name: 'invalid YAML is skipped',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses: x/y@main\n  b: [\n',
    },
  ],
  invalid: [
    {
      name: 'step at main',
      kind: 'workflow',
      code: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@main\n',
      errors: [{ messageId: 'branch', data: { action: 'actions/checkout', ref: 'main' }, range: [5, 31, 5, 35] }],
    },
    {
      name: 'action in a subfolder, branch with a slash, quoted',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses: "actions/cache/restore@release/v4"\n',
      errors: [
        { messageId: 'branch', data: { action: 'actions/cache/restore', ref: 'release/v4' }, range: [3, 37, 3, 47] },
      ],
    },
    {
      name: 'single-quoted, master',
      kind: 'workflow',
      code: "jobs:\n  a:\n    steps:\n      - uses: 'acme/deploy@master'\n",
      errors: [{ messageId: 'branch', data: { action: 'acme/deploy', ref: 'master' }, range: [3, 27, 3, 33] }],
    },
    {
      name: 'reusable workflow called by a job',
      kind: 'workflow',
      code: 'jobs:\n  call:\n    uses: acme/workflows/.github/workflows/ci.yml@main\n    secrets: inherit\n',
      errors: [
        {
          messageId: 'branch',
          data: { action: 'acme/workflows/.github/workflows/ci.yml', ref: 'main' },
          range: [2, 50, 2, 54],
        },
      ],
    },
    {
      name: 'flow-style step',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - { uses: acme/x@dev, with: { a: 1 } }\n',
      errors: [{ messageId: 'branch', data: { action: 'acme/x', ref: 'dev' }, range: [3, 23, 3, 26] }],
    },
    {
      name: 'flow-style steps list and job',
      kind: 'workflow',
      code: 'jobs: { a: { runs-on: ubuntu-latest, steps: [{ uses: "acme/x@dev" }] } }\n',
      errors: [{ messageId: 'branch', data: { action: 'acme/x', ref: 'dev' }, range: [0, 61, 0, 64] }],
    },
    {
      name: 'steps shared through an anchor are reported once, where written',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps: &steps\n      - uses: acme/x@dev\n  b:\n    steps: *steps\n',
      errors: [{ messageId: 'branch', data: { action: 'acme/x', ref: 'dev' }, range: [3, 21, 3, 24] }],
    },
    {
      name: 'a step merged from an anchor',
      kind: 'workflow',
      code:
        'x-step: &checkout\n' +
        '  uses: acme/x@dev\n' +
        'jobs:\n' +
        '  a:\n' +
        '    steps:\n' +
        '      - <<: *checkout\n' +
        '        with: { a: 1 }\n',
      errors: [{ messageId: 'branch', data: { action: 'acme/x', ref: 'dev' }, range: [1, 15, 1, 18] }],
    },
    {
      name: 'a hex-looking name longer than a SHA is a branch',
      kind: 'workflow',
      code: `jobs:\n  a:\n    steps:\n      - uses: acme/x@${SHA}0\n`,
      errors: [
        {
          messageId: 'branch',
          data: { action: 'acme/x', ref: '0123456789abcdef0123456789abcdef012345670' },
          range: [3, 21, 3, 62],
        },
      ],
    },
    {
      name: 'composite action step',
      kind: 'action',
      code: 'runs:\n  using: composite\n  steps:\n    - uses: acme/setup@main\n    - run: echo\n      shell: bash\n',
      errors: [{ messageId: 'branch', data: { action: 'acme/setup', ref: 'main' }, range: [3, 23, 3, 27] }],
    },
    {
      name: 'CRLF line ends',
      kind: 'workflow',
      code: 'jobs:\r\n  a:\r\n    steps:\r\n      - uses: acme/x@dev\r\n',
      errors: [{ messageId: 'branch', data: { action: 'acme/x', ref: 'dev' }, range: [3, 21, 3, 24] }],
    },
  ],
});
