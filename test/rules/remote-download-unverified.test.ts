import rule from '../../server/src/rules/remote-download-unverified';
import { ruleTester } from '../helpers/ruleTester';

/** The message data: the downloader, the file, the command using it and what it does. */
const d = (download: string, what: string, use: string, action: string) => ({ download, what, use, action });

ruleTester(rule, {
  valid: [
    {
      name: 'checked with sha256sum -c before it is extracted',
      kind: 'dockerfile',
      code:
        'FROM debian\nRUN curl -fsSLo /tmp/a.tgz https://x.io/a.tgz \\\n' +
        ' && echo "$SHA  /tmp/a.tgz" | sha256sum -c - && tar -xzf /tmp/a.tgz -C /opt',
    },
    {
      name: 'a signature checked with gpg --verify',
      kind: 'dockerfile',
      code:
        'FROM debian\nRUN wget https://x.io/a.tgz https://x.io/a.tgz.asc && gpg --batch --verify a.tgz.asc a.tgz ' +
        '&& tar xzf a.tgz',
    },
    {
      name: 'a check in a later RUN instruction',
      kind: 'dockerfile',
      code:
        'FROM debian\nRUN wget -q https://x.io/tool.tar.gz https://x.io/SHA256SUMS\n' +
        'RUN sha256sum -c --ignore-missing SHA256SUMS && tar xf tool.tar.gz\n',
    },
    {
      name: 'downloaded but only read as data (a config file, a key piped to gpg --dearmor)',
      kind: 'dockerfile',
      code:
        'FROM debian\nRUN curl -fsSLo /etc/app.conf https://x.io/app.conf && cat /etc/app.conf\n' +
        'RUN curl -fsSL https://x.io/key.gpg | gpg --dearmor -o /usr/share/keyrings/x.gpg\n',
    },
    {
      name: 'on the machine a person runs the script on: their own business',
      kind: 'shell',
      code: 'curl -fsSLo /tmp/a.tgz https://x.io/a.tgz && tar -xzf /tmp/a.tgz\n',
    },
    {
      name: 'piped into a shell: remote-script-exec reports it',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN curl -fsSL https://x.io/install.sh | sh',
    },
    {
      name: 'a different file is extracted',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN curl -fsSLo /tmp/notes.txt https://x.io/notes.txt && tar xf /opt/vendor.tar',
    },
  ],
  invalid: [
    {
      name: 'curl -o then tar x: on the download, with a checksum check added after it',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN curl -fsSL -o /tmp/app.tgz https://x.io/app.tgz && tar -xzf /tmp/app.tgz -C /opt',
      errors: [{ messageId: 'build', data: d('curl', '/tmp/app.tgz', 'tar', 'extracts it'), range: [1, 4, 1, 51] }],
      output:
        'FROM debian\nRUN curl -fsSL -o /tmp/app.tgz https://x.io/app.tgz && echo "${1:sha256}  /tmp/app.tgz" | ' +
        'sha256sum -c - && tar -xzf /tmp/app.tgz -C /opt',
      fixTitle: 'Check the sha256 of /tmp/app.tgz before using it',
    },
    {
      name: 'wget into the working folder, then dpkg -i',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN wget https://x.io/pool/tool_1.0_amd64.deb && dpkg -i tool_1.0_amd64.deb',
      errors: [
        { messageId: 'build', data: d('wget', 'tool_1.0_amd64.deb', 'dpkg', 'installs it'), range: [1, 4, 1, 45] },
      ],
      output:
        'FROM debian\nRUN wget https://x.io/pool/tool_1.0_amd64.deb && echo "${1:sha256}  tool_1.0_amd64.deb" | ' +
        'sha256sum -c - && dpkg -i tool_1.0_amd64.deb',
    },
    {
      name: 'a binary made executable',
      kind: 'dockerfile',
      code:
        'FROM debian\nRUN curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/v1.30.0/bin/linux/amd64/kubectl \\\n' +
        '    && chmod +x /usr/local/bin/kubectl',
      errors: [
        {
          messageId: 'build',
          data: d('curl', '/usr/local/bin/kubectl', 'chmod', 'makes it executable'),
          range: [1, 4, 1, 88],
        },
      ],
      output:
        'FROM debian\nRUN curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/v1.30.0/bin/linux/amd64/kubectl ' +
        '&& echo "${1:sha256}  /usr/local/bin/kubectl" | sha256sum -c - \\\n    && chmod +x /usr/local/bin/kubectl',
    },
    {
      name: 'moved into place, then chmod 755 under its new name',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN wget -q https://x.io/tool; mv tool /usr/local/bin/; chmod 755 /usr/local/bin/tool',
      errors: [{ messageId: 'build', data: d('wget', 'tool', 'chmod', 'makes it executable'), range: [1, 4, 1, 29] }],
    },
    {
      name: 'curl > file, then unzip: the check goes after the redirection',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN curl -sSL https://x.io/a.zip > /tmp/a.zip && unzip /tmp/a.zip -d /opt',
      errors: [{ messageId: 'build', data: d('curl', '/tmp/a.zip', 'unzip', 'extracts it'), range: [1, 4, 1, 32] }],
      output:
        'FROM debian\nRUN curl -sSL https://x.io/a.zip > /tmp/a.zip && echo "${1:sha256}  /tmp/a.zip" | ' +
        'sha256sum -c - && unzip /tmp/a.zip -d /opt',
    },
    {
      name: 'piped into tar: no file to check, no fix',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN curl -fsSL https://x.io/a.tar.gz | tar -xz -C /usr/local/bin',
      errors: [{ messageId: 'build', data: d('curl', 'a file', 'tar', 'extracts it'), range: [1, 4, 1, 36] }],
    },
    {
      name: 'a script a build runs, run with sh after download',
      kind: 'shell',
      shellContext: 'build',
      code: 'set -e\nwget -O /tmp/setup.sh "https://x.io/setup.sh"\nsh /tmp/setup.sh --quiet\n',
      errors: [{ messageId: 'build', data: d('wget', '/tmp/setup.sh', 'sh', 'runs it'), range: [1, 0, 1, 45] }],
    },
    {
      name: 'downloaded during the build, run only at container start',
      kind: 'dockerfile',
      code:
        'FROM openjdk:8-alpine\nRUN curl -sSL "https://x.io/mars.jar" -o /mars.jar\n' +
        'ENTRYPOINT ["java", "-jar", "/mars.jar"]\n',
      errors: [
        { messageId: 'buildUsedAtStart', data: d('curl', '/mars.jar', 'java', 'runs it'), range: [1, 4, 1, 50] },
      ],
    },
    {
      name: 'at every container start',
      kind: 'dockerfile',
      code: 'FROM debian\nCMD curl -o /tmp/agent.tgz https://x.io/agent.tgz && tar xzf /tmp/agent.tgz && /agent/run',
      errors: [{ messageId: 'start', data: d('curl', '/tmp/agent.tgz', 'tar', 'extracts it'), range: [1, 4, 1, 49] }],
      output:
        'FROM debian\nCMD curl -o /tmp/agent.tgz https://x.io/agent.tgz && echo "${1:sha256}  /tmp/agent.tgz" | ' +
        'sha256sum -c - && tar xzf /tmp/agent.tgz && /agent/run',
    },
  ],
});
