import rule from '../../server/src/rules/compose-pull-always-mutable';
import { ruleTester } from '../helpers/ruleTester';

const DIGEST = 'sha256:0514d702d8c2a06b33bba4d0c0a8bb04f5b2e7a3c2f1d06a2b1e4a6ffb4cb3d2';

ruleTester(rule, {
  valid: [
    {
      name: 'digest pinned',
      kind: 'compose',
      code: `services:\n  web:\n    image: nginx:1.27@${DIGEST}\n    pull_policy: always\n`,
    },
    {
      name: 'other policy',
      kind: 'compose',
      code: 'services:\n  web:\n    image: nginx:1.27\n    pull_policy: missing\n',
    },
    {
      name: 'service that builds',
      kind: 'compose',
      code: 'services:\n  web:\n    build: .\n    image: web:dev\n    pull_policy: always\n',
    },
    { name: 'no image', kind: 'compose', code: 'services:\n  web:\n    pull_policy: always\n' },
    {
      name: 'unresolvable image',
      kind: 'compose',
      code: 'services:\n  web:\n    image: ${WEB_IMAGE}\n    pull_policy: always\n',
    },
    {
      name: 'ignored',
      kind: 'compose',
      code:
        'services:\n  web:\n    image: nginx:1.27\n' +
        '    # driftguard-ignore compose-pull-always-mutable -- staging only\n    pull_policy: always\n',
    },
  ],
  invalid: [
    {
      name: 'tag without digest',
      kind: 'compose',
      code: 'services:\n  web:\n    image: nginx:1.27\n    pull_policy: always\n',
      errors: [{ messageId: 'pullAlways', data: { image: 'nginx:1.27' }, range: [3, 17, 3, 23] }],
    },
    {
      name: 'quoted policy',
      kind: 'compose',
      code: 'services:\n  web:\n    image: nginx\n    pull_policy: "always"\n',
      errors: [{ messageId: 'pullAlways', data: { image: 'nginx' }, range: [3, 17, 3, 25] }],
    },
    {
      name: 'policy merged from an anchor, reported where written',
      kind: 'compose',
      code: 'x-pull: &pull\n  pull_policy: always\nservices:\n  web:\n    <<: *pull\n    image: nginx:1.27\n',
      errors: [{ messageId: 'pullAlways', data: { image: 'nginx:1.27' }, range: [1, 15, 1, 21] }],
    },
  ],
});
