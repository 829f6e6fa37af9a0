import rule from '../../server/src/rules/package-upgrade';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    {
      name: 'simulated upgrades change nothing',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get -s dist-upgrade && dnf --assumeno upgrade',
    },
    { kind: 'dockerfile', code: 'FROM debian\nRUN apt-get update && apt-get install -y curl=1' },
    {
      name: 'upgrading named packages is not upgrade-all',
      kind: 'dockerfile',
      code: 'FROM alpine\nRUN apk upgrade openssl && yum update -y openssl && zypper up vim && gem update rails',
    },
    { name: 'live contexts report live-package-change', kind: 'shell', code: 'apt-get upgrade -y\n' },
    {
      name: 'printed',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN echo "run apt-get upgrade" && printf \'%s\' "yum update"',
    },
    {
      name: 'apt-get upgrade of named packages',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get upgrade -y systemd',
    },
    { name: 'pacman -Sy refreshes only', kind: 'dockerfile', code: 'FROM archlinux\nRUN pacman -Sy' },
  ],
  invalid: [
    {
      name: 'middle of a continued chain',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get update \\\n    && apt-get upgrade -y \\\n    && apt-get install -y curl=1',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apt-get upgrade' }, range: [2, 7, 2, 22] }],
      output: 'FROM debian\nRUN apt-get update \\\n    && apt-get install -y curl=1',
      fixTitle: 'Remove “apt-get upgrade” from the chain',
    },
    {
      name: 'trailing && style',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get update && \\\n    apt-get -y dist-upgrade && \\\n    rm -rf /var/lib/apt/lists/*',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apt-get dist-upgrade' }, range: [2, 4, 2, 27] }],
      output: 'FROM debian\nRUN apt-get update && \\\n    rm -rf /var/lib/apt/lists/*',
    },
    {
      name: 'first in chain',
      kind: 'dockerfile',
      code: 'FROM alpine\nRUN apk upgrade --no-cache && apk add curl=8',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apk upgrade' }, range: [1, 4, 1, 15] }],
      output: 'FROM alpine\nRUN apk add curl=8',
    },
    {
      name: 'last in chain, with sudo',
      kind: 'dockerfile',
      code: 'FROM fedora\nRUN dnf makecache && sudo dnf -y upgrade',
      errors: [{ messageId: 'upgradeAll', data: { command: 'dnf upgrade' }, range: [1, 26, 1, 40] }],
      output: 'FROM fedora\nRUN dnf makecache',
    },
    {
      name: 'semicolon sequence',
      kind: 'dockerfile',
      code: 'FROM opensuse\nRUN zypper ref; zypper -n dup; zypper -n in vim=9',
      errors: [{ messageId: 'upgradeAll', data: { command: 'zypper dup' }, range: [1, 16, 1, 29] }],
      output: 'FROM opensuse\nRUN zypper ref; zypper -n in vim=9',
    },
    {
      name: 'alone: no fix (nothing would be left)',
      kind: 'dockerfile',
      code: 'FROM archlinux\nRUN pacman -Syu --noconfirm\nRUN ["yum", "update", "-y"]',
      errors: [
        { messageId: 'upgradeAll', data: { command: 'pacman -Syu' }, range: [1, 4, 1, 15] },
        { messageId: 'upgradeAll', data: { command: 'yum update' }, range: [2, 5, 2, 20] },
      ],
    },
    {
      name: 'inside sh -c: reported, not rewritten',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN sh -c "apt-get update && apt-get full-upgrade -y"',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apt-get full-upgrade' }, range: [1, 29, 1, 49] }],
    },
    {
      name: 'an || in the list: no fix (removing the command would change what runs)',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get update || true && apt-get upgrade -y',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apt-get upgrade' }, range: [1, 30, 1, 45] }],
    },
    {
      name: 'a comment between the items: no fix',
      kind: 'shell',
      shellContext: 'build',
      code: 'apt-get update && # refresh\n  apt-get upgrade -y\n',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apt-get upgrade' }, range: [1, 2, 1, 17] }],
    },
    {
      name: 'last of a semicolon sequence',
      kind: 'shell',
      shellContext: 'build',
      code: 'apt-get update; apt-get upgrade -y\n',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apt-get upgrade' }, range: [0, 16, 0, 31] }],
      output: 'apt-get update\n',
    },
    {
      name: 'in a subshell',
      kind: 'shell',
      shellContext: 'build',
      code: '(apt-get update; apt-get upgrade -y)\n',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apt-get upgrade' }, range: [0, 17, 0, 32] }],
      output: '(apt-get update)\n',
    },
    {
      name: 'redirected, first of a list',
      kind: 'shell',
      shellContext: 'build',
      code: 'apt-get upgrade -y > /dev/null && apt-get clean\n',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apt-get upgrade' }, range: [0, 0, 0, 15] }],
      output: 'apt-get clean\n',
    },
    {
      name: 'alone in an if body or piped: no fix',
      kind: 'shell',
      shellContext: 'build',
      code: 'if true; then apt-get upgrade -y; fi\nyes | apt-get upgrade\n',
      errors: [
        { messageId: 'upgradeAll', data: { command: 'apt-get upgrade' }, range: [0, 14, 0, 29] },
        { messageId: 'upgradeAll', data: { command: 'apt-get upgrade' }, range: [1, 6, 1, 21] },
      ],
    },
    {
      name: 'build script and heredoc',
      kind: 'shell',
      shellContext: 'build',
      code: 'set -e\napt-get update\napt-get upgrade -y && apt-get clean\n',
      errors: [{ messageId: 'upgradeAll', data: { command: 'apt-get upgrade' }, range: [2, 0, 2, 15] }],
      output: 'set -e\napt-get update\napt-get clean\n',
    },
  ],
});
