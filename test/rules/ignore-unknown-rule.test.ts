import rule from '../../server/src/rules/ignore-unknown-rule';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    {
      name: 'known ids',
      kind: 'dockerfile',
      code: '# driftguard-ignore image-untagged,image-latest-tag -- reason\nFROM nginx\n',
    },
    {
      name: "hadolint codes are hadolint's business",
      kind: 'dockerfile',
      code: '# hadolint ignore=DL3059\nFROM nginx\n',
    },
    { name: 'not a pragma', kind: 'shell', code: '# driftguard-ignored is a word\necho hi\n' },
  ],
  invalid: [
    {
      name: 'unknown id in a Dockerfile',
      kind: 'dockerfile',
      code: '# driftguard-ignore image-untaged\nFROM nginx\n',
      errors: [{ messageId: 'unknown', data: { id: 'image-untaged' }, range: [0, 20, 0, 33] }],
    },
    {
      name: 'unknown id among known ones, reason ignored',
      kind: 'compose',
      code: 'services:\n  a:\n    # driftguard-ignore image-untagged,nope -- why\n    image: x\n',
      errors: [{ messageId: 'unknown', data: { id: 'nope' }, range: [2, 39, 2, 43] }],
    },
    {
      name: 'file-wide pragma in a shell script',
      kind: 'shell',
      code: '#!/bin/sh\n# driftguard-ignore-file foo\n',
      errors: [{ messageId: 'unknown', data: { id: 'foo' }, range: [1, 25, 1, 28] }],
    },
  ],
});
