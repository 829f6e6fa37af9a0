import rule from '../../server/src/rules/action-tag-ref';
import { ruleTester } from '../helpers/ruleTester';

const SHA = '0123456789abcdef0123456789abcdef01234567';

ruleTester(rule, {
  valid: [
    {
      name: 'branch (the other rule)',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@main\n',
    },
    {
      name: 'full SHA with a version comment',
      kind: 'workflow',
      code: `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${SHA} # v4.1.7\n`,
    },
    { name: 'local action', kind: 'action', code: 'runs:\n  using: composite\n  steps:\n    - uses: ./setup\n' },
    {
      name: 'expression in uses is not a ref',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses: ${{ matrix.action }}\n',
    },
    {
      name: 'ignore comment',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      # driftguard-ignore action-tag-ref\n      - uses: actions/checkout@v4\n',
    },
    { name: 'dev containers have no actions', kind: 'devcontainer', code: '{ "image": "actions/checkout@v4" }\n' },
  ],
  invalid: [
    {
      name: 'major tag',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n',
      errors: [{ messageId: 'tag', data: { action: 'actions/checkout', ref: 'v4' }, range: [3, 31, 3, 33] }],
    },
    {
      name: 'every version shape of the issue',
      kind: 'workflow',
      code:
        'jobs:\n  a:\n    steps:\n' +
        ['v4.1.7', '1.2.3', 'v2-beta', 'v1.2.3.4', '1.0.0+build.5'].map((r) => `      - uses: a/b@${r}\n`).join(''),
      errors: [
        { messageId: 'tag', data: { action: 'a/b', ref: 'v4.1.7' }, range: [3, 18, 3, 24] },
        { messageId: 'tag', data: { action: 'a/b', ref: '1.2.3' }, range: [4, 18, 4, 23] },
        { messageId: 'tag', data: { action: 'a/b', ref: 'v2-beta' }, range: [5, 18, 5, 25] },
        { messageId: 'tag', data: { action: 'a/b', ref: 'v1.2.3.4' }, range: [6, 18, 6, 26] },
        { messageId: 'tag', data: { action: 'a/b', ref: '1.0.0+build.5' }, range: [7, 18, 7, 31] },
      ],
    },
    {
      name: 'short SHA',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses: actions/checkout@8e5e7e5\n',
      errors: [{ messageId: 'shortSha', data: { action: 'actions/checkout', ref: '8e5e7e5' }, range: [3, 31, 3, 38] }],
    },
    {
      name: 'reusable workflow at a tag, with a comment kept on the line',
      kind: 'workflow',
      code: 'jobs:\n  ci:\n    uses: acme/wf/.github/workflows/ci.yml@v1 # shared pipeline\n',
      errors: [
        { messageId: 'tag', data: { action: 'acme/wf/.github/workflows/ci.yml', ref: 'v1' }, range: [2, 43, 2, 45] },
      ],
    },
    {
      name: 'composite action steps, one per line',
      kind: 'action',
      code:
        'runs:\n' +
        '  using: composite\n' +
        '  steps:\n' +
        '    - uses: actions/setup-node@v4\n' +
        '    - uses: actions/cache@v4.0.2\n',
      errors: [
        { messageId: 'tag', data: { action: 'actions/setup-node', ref: 'v4' }, range: [3, 31, 3, 33] },
        { messageId: 'tag', data: { action: 'actions/cache', ref: 'v4.0.2' }, range: [4, 26, 4, 32] },
      ],
    },
    {
      name: 'multi-line plain scalar',
      kind: 'workflow',
      code: 'jobs:\n  a:\n    steps:\n      - uses:\n          actions/checkout@v4\n',
      errors: [{ messageId: 'tag', data: { action: 'actions/checkout', ref: 'v4' }, range: [4, 27, 4, 29] }],
    },
  ],
});
