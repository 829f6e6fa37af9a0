import rule from '../../server/src/rules/remote-add-unverified';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    {
      kind: 'dockerfile',
      code:
        'FROM alpine\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d ' +
        'https://x/a.tgz /a.tgz',
    },
    {
      kind: 'dockerfile',
      code:
        'FROM alpine\nADD https://github.com/moby/buildkit.git#0123456789abcdef0123456789abcdef01234567 /src\n' +
        'ADD git@github.com:a/b.git#deadbeef /b',
    },
    {
      name: 'URLs inside an ADD heredoc are file content',
      kind: 'dockerfile',
      code:
        'FROM alpine\nADD <<-EOT /etc/apt/sources.list.d/docker.sources\nTypes: deb\n' +
        'URIs: https://download.docker.com/linux/debian\nEOT\n',
    },
    {
      name: 'ref from an ARG counts as pinned',
      kind: 'dockerfile',
      code: 'FROM alpine\nARG V\nADD https://github.com/krallin/tini.git?ref=${V}&keep-git-dir=1 .',
    },
    { name: 'local files', kind: 'dockerfile', code: 'FROM alpine\nADD app.tar.gz /app\nCOPY https.txt /x' },
    {
      name: 'quoted and JSON-form URLs with a checksum',
      kind: 'dockerfile',
      code:
        'FROM alpine\n' +
        'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d ' +
        '"https://x/a.tgz" /a.tgz\n' +
        'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d ' +
        '["https://x/b.tgz", "/b"]',
    },
  ],
  invalid: [
    {
      kind: 'dockerfile',
      code: 'FROM alpine\nADD --chown=1:1 https://example.com/tool.tgz /opt/\nONBUILD ADD http://example.com/a /a',
      errors: [
        { messageId: 'url', data: { url: 'https://example.com/tool.tgz' }, range: [1, 16, 1, 44] },
        { messageId: 'url', data: { url: 'http://example.com/a' }, range: [2, 12, 2, 32] },
      ],
    },
    {
      name: 'a quoted URL is the same URL: the builder removes the quotes',
      kind: 'dockerfile',
      code: 'FROM alpine\nADD "https://example.com/tool.tgz" /opt/\nADD \'http://example.com/a\' /a',
      errors: [
        { messageId: 'url', data: { url: 'https://example.com/tool.tgz' }, range: [1, 4, 1, 34] },
        { messageId: 'url', data: { url: 'http://example.com/a' }, range: [2, 4, 2, 26] },
      ],
    },
    {
      name: 'JSON form',
      kind: 'dockerfile',
      code: 'FROM alpine\nADD ["https://example.com/tool.tgz", "/opt/"]',
      errors: [{ messageId: 'url', data: { url: 'https://example.com/tool.tgz' }, range: [1, 5, 1, 35] }],
    },
    {
      kind: 'dockerfile',
      code: 'FROM alpine\nADD https://github.com/moby/buildkit.git#v0.12.0 /src\nADD git@github.com:a/b.git /b',
      errors: [
        { messageId: 'git', data: { url: 'https://github.com/moby/buildkit.git#v0.12.0' }, range: [1, 4, 1, 48] },
        { messageId: 'git', data: { url: 'git@github.com:a/b.git' }, range: [2, 4, 2, 26] },
      ],
    },
  ],
});
