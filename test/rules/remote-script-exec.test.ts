import rule from '../../server/src/rules/remote-script-exec';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    {
      name: 'downloaded to a file and verified',
      kind: 'shell',
      code: 'curl -fsSLo /tmp/i.sh https://x/i.sh\necho "abc  /tmp/i.sh" | sha256sum -c -\nsh /tmp/i.sh\n',
    },
    {
      name: 'piped into a non-interpreter',
      kind: 'dockerfile',
      code:
        'FROM debian\nRUN curl -fsSL https://x/key.gpg | gpg --dearmor -o /k.gpg && wget -qO- https://x/a.tgz | ' +
        'tar xz',
    },
    {
      name: 'python with a script or module argument',
      kind: 'shell',
      code:
        'curl -s https://api/x | python3 -m json.tool\n' +
        'curl -s https://api/x | python3 -c "import json,sys; print(1)"\n',
    },
    { name: 'wget writing a file pipes nothing', kind: 'shell', code: 'wget https://x/i.sh | sh\n' },
    { name: 'printed and commented', kind: 'shell', code: 'echo "curl https://x | sh"\n# curl https://x | bash\n' },
  ],
  invalid: [
    {
      name: 'pipe to sudo bash -s with arguments',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN curl -fsSL https://get.example.com/install.sh | sudo bash -s -- -y',
      errors: [
        {
          messageId: 'unverified',
          data: { runner: 'bash', download: 'curl', where: 'during the image build' },
          range: [1, 4, 1, 70],
        },
      ],
      output:
        'FROM debian\nRUN curl -fsSL https://get.example.com/install.sh > /tmp/install.sh && echo "${1:sha256}  ' +
        '/tmp/install.sh" | sha256sum -c - && sudo bash /tmp/install.sh -y',
      fixTitle: 'Download to a file and verify its sha256 before running it',
    },
    {
      name: 'process substitution',
      kind: 'shell',
      code: 'bash <(wget -qO- https://x.io/a/setup.sh) --prefix /opt\n',
      errors: [
        {
          messageId: 'unverified',
          data: { runner: 'bash', download: 'wget', where: 'on the host this script runs on' },
          range: [0, 0, 0, 55],
        },
      ],
      output:
        'wget -qO- https://x.io/a/setup.sh > /tmp/setup.sh && echo "${1:sha256}  /tmp/setup.sh" | sha256sum -c - && ' +
        'bash /tmp/setup.sh --prefix /opt\n',
    },
    {
      name: 'across continuation lines',
      kind: 'dockerfile',
      code: 'FROM node\nRUN curl -o- https://nvm.sh/install.sh \\\n    | bash',
      errors: [
        {
          messageId: 'unverified',
          data: { runner: 'bash', download: 'curl', where: 'during the image build' },
          range: [1, 4, 2, 10],
        },
      ],
      output:
        'FROM node\nRUN curl -o- https://nvm.sh/install.sh > /tmp/install.sh && echo "${1:sha256}  /tmp/install.sh" ' +
        '| sha256sum -c - && bash /tmp/install.sh',
    },
    {
      name: 'sh -c "$(curl …)", eval, nested in ssh (reported, not rewritten)',
      kind: 'shell',
      code:
        'sh -c "$(curl -fsSL https://x/i.sh)"\neval "$(curl -s https://x/env)"\n' +
        "ssh host 'curl -s https://x/i.sh | python3 -'\n",
      errors: [
        {
          messageId: 'unverified',
          data: { runner: 'sh', download: 'curl', where: 'on the host this script runs on' },
          range: [0, 0, 0, 36],
        },
        {
          messageId: 'unverified',
          data: { runner: 'eval', download: 'curl', where: 'on the host this script runs on' },
          range: [1, 0, 1, 31],
        },
        {
          messageId: 'unverified',
          data: { runner: 'python3', download: 'curl', where: 'on a remote host (over ssh)' },
          range: [2, 10, 2, 44],
        },
      ],
    },
    {
      name: 'source <(curl …) and . <(curl …)',
      kind: 'shell',
      code: 'source <(curl -s https://x/lib.func)\n. <(curl -s https://x/lib.func)\n',
      errors: [
        {
          messageId: 'unverified',
          data: { runner: 'source', download: 'curl', where: 'on the host this script runs on' },
          range: [0, 0, 0, 36],
        },
        {
          messageId: 'unverified',
          data: { runner: '.', download: 'curl', where: 'on the host this script runs on' },
          range: [1, 0, 1, 31],
        },
      ],
      output:
        'curl -s https://x/lib.func > /tmp/lib.func && echo "${1:sha256}  /tmp/lib.func" | sha256sum -c - && source ' +
        '/tmp/lib.func\ncurl -s https://x/lib.func > /tmp/lib.func && echo "${1:sha256}  /tmp/lib.func" | ' +
        'sha256sum -c - && . /tmp/lib.func\n',
    },
    {
      name: 'exec form and Compose command',
      kind: 'compose',
      code:
        'services:\n  app:\n    image: alpine:3.19\n' +
        '    command: ["sh", "-c", "wget -O - https://x/boot.sh | sh && exec app"]\n',
      errors: [
        {
          messageId: 'unverified',
          data: { runner: 'sh', download: 'wget', where: 'in the container at every start' },
          range: [3, 27, 3, 59],
        },
      ],
    },
  ],
});
