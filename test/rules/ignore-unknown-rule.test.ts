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
      name: 'a misspelt id in a Dockerfile: did you mean, and a fix that writes the id meant',
      kind: 'dockerfile',
      code: '# driftguard-ignore image-untaged\nFROM nginx\n',
      errors: [
        { messageId: 'misspelt', data: { id: 'image-untaged', suggestion: 'image-untagged' }, range: [0, 20, 0, 33] },
      ],
      output: '# driftguard-ignore image-untagged\nFROM nginx\n',
      fixTitle: 'Change to image-untagged',
    },
    {
      name: 'part of an id: the one id that contains it',
      kind: 'shell',
      code: '# driftguard-ignore latest-tag\ndocker run nginx:latest\n',
      errors: [
        { messageId: 'misspelt', data: { id: 'latest-tag', suggestion: 'image-latest-tag' }, range: [0, 20, 0, 30] },
      ],
      output: '# driftguard-ignore image-latest-tag\ndocker run nginx:latest\n',
    },
    {
      name: 'nothing close: no guess',
      kind: 'dockerfile',
      code: '# driftguard-ignore DL3007\nFROM nginx\n',
      errors: [{ messageId: 'unknown', data: { id: 'DL3007' }, range: [0, 20, 0, 26] }],
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
