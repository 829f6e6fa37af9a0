import * as assert from 'node:assert/strict';
import rule from '../../server/src/rules/live-package-change';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    {
      name: 'image builds are the right place',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get install -y curl && pip install flask',
    },
    { name: 'build scripts', kind: 'shell', shellContext: 'build', code: 'apk add curl\n' },
    {
      name: 'refreshing the index is not a change',
      kind: 'shell',
      code: 'apt-get update\napk update\ndnf makecache\n',
    },
    { name: 'project-local npm installs', kind: 'shell', code: 'npm ci\nnpm install\nyarn add lodash\n' },
    {
      name: "go get changes a module's go.mod and go run fills the module cache: neither installs on the machine",
      kind: 'shell',
      code: 'go get example.com/mod@latest\ngo run golang.org/x/tools/cmd/stringer@latest -type T\n',
    },
    {
      name: 'printed strings and comments',
      kind: 'shell',
      code: 'echo "apt-get install curl"\n# yum install git\ncat <<EOF\napt-get install vim\nEOF\n',
    },
    { name: 'command -v is a lookup', kind: 'shell', code: 'command -v apt-get && echo yes\n' },
    {
      name: 'docker run starts a new container from an image',
      kind: 'shell',
      code: 'docker run --rm debian:12 apt-get install -y curl\n',
    },
    {
      name: 'dry runs change nothing',
      kind: 'shell',
      code:
        'apt-get -s install nginx\napt-get --just-print upgrade | grep Inst\napt-get install --assume-no curl\n' +
        'dnf --assumeno install git\nyum remove --assumeno httpd\napk add --simulate jq\n' +
        'zypper --dry-run install vim\npip install --dry-run flask\nnpm install -g --dry-run typescript\n' +
        'pacman -Sp vim\n',
    },
    {
      name: 'a variable that defaults to a dry-run switch, or to nothing known',
      kind: 'shell',
      code: '${DRY_RUN:-echo} docker exec web apk add curl\n${ENGINE} exec web apk add jq\n',
    },
  ],
  invalid: [
    {
      name: 'compose commands kept in variables, built from each other; pip found by command -v',
      kind: 'shell',
      code: 'dc="docker compose"\ndcx="$dc exec"\n$dcx svc apk add curl\n"$(command -v pip)" install requests\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apk add', action: 'installs packages', where: 'into a running container' },
          range: [2, 9, 2, 16],
        },
        {
          messageId: 'change',
          data: { command: 'pip install', action: 'installs packages', where: 'on the host this script runs on' },
          range: [3, 0, 3, 27],
        },
      ],
    },
    {
      name: 'the container engine a variable defaults to, assigned or used in place',
      kind: 'shell',
      code:
        'CONTAINER_ENGINE=${CONTAINER_ENGINE:-docker}\n$CONTAINER_ENGINE exec web apk add curl\n' +
        '${ENGINE:-podman} exec web apk add jq\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apk add', action: 'installs packages', where: 'into a running container' },
          range: [1, 27, 1, 34],
        },
        {
          messageId: 'change',
          data: { command: 'apk add', action: 'installs packages', where: 'into a running container' },
          range: [2, 27, 2, 34],
        },
      ],
    },
    {
      kind: 'shell',
      code: '#!/bin/bash\nsudo -E apt-get install -y nginx\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apt-get install', action: 'installs packages', where: 'on the host this script runs on' },
          range: [1, 8, 1, 23],
        },
      ],
    },
    {
      name: 'go install puts a binary on the machine',
      kind: 'shell',
      code: 'go install golang.org/x/tools/gopls@latest\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'go install', action: 'installs packages', where: 'on the host this script runs on' },
          range: [0, 0, 0, 10],
        },
      ],
    },
    {
      name: 'docker exec payload',
      kind: 'shell',
      code: 'docker exec -it -u root web apt-get install -y vim\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apt-get install', action: 'installs packages', where: 'into a running container' },
          range: [0, 28, 0, 43],
        },
      ],
    },
    {
      name: 'docker compose exec, kubectl exec with sh -c',
      kind: 'shell',
      code:
        'docker compose exec -T app pip install debugpy\n' +
        'kubectl exec -n prod deploy/api -c app -- sh -c "apk add --no-cache curl"\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'pip install', action: 'installs packages', where: 'into a running container' },
          range: [0, 27, 0, 38],
        },
        {
          messageId: 'change',
          data: { command: 'apk add', action: 'installs packages', where: 'into a running container' },
          range: [1, 49, 1, 56],
        },
      ],
    },
    {
      name: 'ssh payloads, quoted and heredoc',
      kind: 'shell',
      code:
        "ssh -p 2222 -o StrictHostKeyChecking=no deploy@web1 'sudo yum update -y'\nssh web2 <<'EOF'\n" +
        'sudo apt-get remove -y apache2\nEOF\nssh web3 sudo bash -s <<EOF\nnpm install -g pm2\nEOF\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'yum update', action: 'upgrades every package', where: 'on a remote host (over ssh)' },
          range: [0, 58, 0, 68],
        },
        {
          messageId: 'remove',
          data: { command: 'apt-get remove', action: 'removes packages', where: 'on a remote host (over ssh)' },
          range: [2, 5, 2, 19],
        },
        {
          messageId: 'change',
          data: { command: 'npm install', action: 'installs packages', where: 'on a remote host (over ssh)' },
          range: [5, 0, 5, 11],
        },
      ],
    },
    {
      name: 'Dockerfile CMD and Compose command run at every container start',
      kind: 'dockerfile',
      code:
        'FROM python\nCMD pip install -r requirements.txt && python app.py\n' +
        'ENTRYPOINT ["sh", "-c", "gem install rails && exec rails s"]',
      errors: [
        {
          messageId: 'atStart',
          data: { command: 'pip install', action: 'installs packages', where: 'into the container at every start' },
          range: [1, 4, 1, 15],
        },
        {
          messageId: 'atStart',
          data: { command: 'gem install', action: 'installs packages', where: 'into the container at every start' },
          range: [2, 25, 2, 36],
        },
      ],
    },
    {
      name: 'Compose string and list forms',
      kind: 'compose',
      code:
        'services:\n  app:\n    image: python:3.12\n    command: sh -c "pip install flask && flask run"\n' +
        '  worker:\n    image: node:20\n    entrypoint: ["bash", "-c", "npm i -g nodemon && nodemon"]\n' +
        '    healthcheck:\n      test: ["CMD-SHELL", "apk add curl && curl -f localhost"]\n',
      errors: [
        {
          messageId: 'atStart',
          data: { command: 'pip install', action: 'installs packages', where: 'into the container at every start' },
          range: [3, 20, 3, 31],
        },
        {
          messageId: 'atStart',
          data: { command: 'npm i', action: 'installs packages', where: 'into the container at every start' },
          range: [6, 32, 6, 37],
        },
        {
          messageId: 'atStart',
          data: { command: 'apk add', action: 'installs packages', where: 'into the container at every start' },
          range: [8, 27, 8, 34],
        },
      ],
    },
    {
      name: 'Compose entrypoint ["sh", "-c"] runs the first command element as a script',
      kind: 'compose',
      code:
        'services:\n  worker:\n    image: python:3.12\n    entrypoint: ["/bin/sh", "-c"]\n' +
        '    command: ["pip install celery && celery -A app worker", "ignored-arg0"]\n',
      errors: [
        {
          messageId: 'atStart',
          data: { command: 'pip install', action: 'installs packages', where: 'into the container at every start' },
          range: [4, 15, 4, 26],
        },
      ],
    },
    {
      name: 'wrappers: env, nice, xargs, $STD, timeout',
      kind: 'shell',
      code:
        'env DEBIAN_FRONTEND=noninteractive nice -n 10 apt-get -y install git\n' +
        'echo pkgs | xargs -r dnf install -y\n$STD apk add jq\ntimeout 60 brew upgrade\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apt-get install', action: 'installs packages', where: 'on the host this script runs on' },
          range: [0, 46, 0, 64],
        },
        {
          messageId: 'change',
          data: { command: 'dnf install', action: 'installs packages', where: 'on the host this script runs on' },
          range: [1, 21, 1, 32],
        },
        {
          messageId: 'change',
          data: { command: 'apk add', action: 'installs packages', where: 'on the host this script runs on' },
          range: [2, 5, 2, 12],
        },
        {
          messageId: 'change',
          data: { command: 'brew upgrade', action: 'upgrades packages', where: 'on the host this script runs on' },
          range: [3, 11, 3, 23],
        },
      ],
    },
    {
      name: 'an uninstaller is told what its removal does, not to install anything',
      kind: 'shell',
      code: '#!/bin/sh\napt-get remove -y myproduct\ndnf -y erase myproduct-repo\n',
      errors: [
        {
          messageId: 'remove',
          data: { command: 'apt-get remove', action: 'removes packages', where: 'on the host this script runs on' },
          range: [1, 0, 1, 14],
        },
        {
          messageId: 'remove',
          data: { command: 'dnf erase', action: 'removes packages', where: 'on the host this script runs on' },
          range: [2, 0, 2, 12],
        },
      ],
    },
    {
      name: 'removals at every container start',
      kind: 'dockerfile',
      code: 'FROM alpine\nCMD apk del curl && exec app',
      errors: [
        {
          messageId: 'removeAtStart',
          data: { command: 'apk del', action: 'removes packages', where: 'in the container at every start' },
          range: [1, 4, 1, 11],
        },
      ],
    },
    {
      name: 'a real run next to a dry run is reported',
      kind: 'shell',
      code: 'apt-get -s install nginx && apt-get install -y nginx\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apt-get install', action: 'installs packages', where: 'on the host this script runs on' },
          range: [0, 28, 0, 43],
        },
      ],
    },
    {
      name: 'init wrappers and privilege droppers are seen through',
      kind: 'dockerfile',
      code:
        'FROM alpine\nENTRYPOINT ["/sbin/tini", "--", "sh", "-c", "apk add curl && exec app"]\n' +
        'CMD gosu app pip install flask',
      errors: [
        {
          messageId: 'atStart',
          data: { command: 'apk add', action: 'installs packages', where: 'into the container at every start' },
          range: [1, 45, 1, 52],
        },
        {
          messageId: 'atStart',
          data: { command: 'pip install', action: 'installs packages', where: 'into the container at every start' },
          range: [2, 13, 2, 24],
        },
      ],
    },
    {
      name: 'CI runners are thrown away after the job; what they do to other machines is live',
      kind: 'shell',
      shellContext: 'ephemeral',
      code: 'sudo apt-get install -y jq\nssh deploy@web1 "sudo apt-get install -y nginx"\n',
      errors: [
        {
          messageId: 'change',
          data: { command: 'apt-get install', action: 'installs packages', where: 'on a remote host (over ssh)' },
          range: [1, 22, 1, 37],
        },
      ],
    },
  ],
});

describe('live-package-change messages', () => {
  it('removals, an uninstaller’s included, are not told to install anything', () => {
    assert.doesNotMatch(rule.meta.messages['remove'], /install/i);
    assert.doesNotMatch(rule.meta.messages['removeAtStart'], /install/i);
  });
});
