import rule from '../../server/src/rules/package-unpinned';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    {
      name: 'dry runs install nothing',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get install -s curl && apt-get --dry-run install git && pip install --dry-run flask',
    },
    { kind: 'dockerfile', code: 'FROM debian\nRUN apt-get install -y curl=7.88.1-10 "git=1:2.39.*"' },
    { kind: 'dockerfile', code: 'FROM debian\nRUN apt-get install -y ./local.deb /tmp/x.deb' },
    {
      name: 'ARG version counts as pinned',
      kind: 'dockerfile',
      code: 'FROM debian\nARG V=1\nRUN apt-get install -y curl=${V} && pip install "requests==$REQ"',
    },
    {
      name: 'option values are not packages',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get install -t bookworm-backports -o Dpkg::Options::=--force-confnew -y curl=1',
    },
    {
      kind: 'dockerfile',
      code:
        'FROM alpine\nRUN apk add --no-cache --virtual .deps --repository https://x/edge curl=8.5.0-r0 "git>2" ' +
        'bash~5.2 ./x.apk',
    },
    {
      kind: 'dockerfile',
      code:
        'FROM fedora\nRUN dnf install -y tomcat-9.2 openssl-1:1.1.1k x.rpm && yum groupinstall -y "Development ' +
        'Tools" && dnf group install -y core && dnf module install -y nodejs:18',
    },
    {
      kind: 'dockerfile',
      code:
        'FROM opensuse\nRUN zypper install -y curl=8.0 "git>=2.3" vim\\>=9 bash-5.2 && zypper in -t pattern ' +
        'devel_basis',
    },
    {
      kind: 'dockerfile',
      code:
        'FROM python\nRUN pip install -r requirements.txt -c constraints.txt "flask==3.0" "a~=1.0" b===2 "c>=1" ' +
        'd!=2 ./pkg x.whl git+https://github.com/a/b.git@v1.2 . -e ./src',
    },
    {
      kind: 'dockerfile',
      code: 'FROM python\nRUN python3 -m pip install --no-cache-dir requests==2.31.0 && pipx install black==24.1.0',
    },
    {
      kind: 'dockerfile',
      code:
        'FROM node\nRUN npm install && npm ci && npm install -g typescript@5.4 @angular/cli@17 ./local.tgz ' +
        'git+https://x/y.git#abc && yarn add lodash@4 && pnpm add -g pnpm@8',
    },
    {
      kind: 'dockerfile',
      code: 'FROM ruby\nRUN gem install bundler -v 2.5.0 && gem install rake:13.0 && gem install --version 1.0 rails',
    },
    {
      kind: 'dockerfile',
      code: 'FROM golang\nRUN go install golang.org/x/tools/gopls@v0.15.0 && go install ./cmd/...',
    },
    {
      name: 'a constraints file gives every version',
      kind: 'dockerfile',
      code: 'FROM python\nRUN pip install kafka-python -c constraints.txt && pip3 install --constraint=c.txt flask',
    },
    {
      name: "words after gem's `--` are build flags, not gems",
      kind: 'dockerfile',
      code: 'FROM ruby\nRUN gem install nokogiri:1.16.0 -- --use-system-libraries true',
    },
    {
      name: 'go get and go run at a version; go run of a local package fetches nothing',
      kind: 'dockerfile',
      code: 'FROM golang\nRUN go get example.com/mod@v1.2.0 && go run . && go run main.go serve && go run x.io/t@v0.3',
    },
    { name: 'live scripts report live-package-change instead', kind: 'shell', code: 'apt-get install -y curl\n' },
    {
      name: 'CMD runs at container start, not in the build',
      kind: 'dockerfile',
      code: 'FROM debian\nCMD apt-get install -y curl',
    },
    {
      name: 'printed strings and comments are not commands',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN echo "apt-get install curl" # apt-get install vim\n# RUN apt-get install git',
    },
    {
      name: 'unknown packages from variables are not guessed',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get install -y $PACKAGES "${EXTRA}"',
    },
    {
      name: 'PowerShell stages are skipped',
      kind: 'dockerfile',
      code:
        'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\n' +
        'RUN choco install git; apt-get install curl',
    },
    { name: 'pacman has no version syntax', kind: 'dockerfile', code: 'FROM archlinux\nRUN pacman -S --noconfirm git' },
  ],
  invalid: [
    {
      name: 'one finding per unpinned package, on its name',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get update && apt-get install -y --no-install-recommends curl git=1:2.39 vim',
      errors: [
        { messageId: 'unpinned', data: { name: 'curl', example: 'curl=<version>' }, range: [1, 65, 1, 69] },
        { messageId: 'unpinned', data: { name: 'vim', example: 'vim=<version>' }, range: [1, 81, 1, 84] },
      ],
    },
    {
      name: 'continuations, comment lines and quoting: the range is the name inside the quotes',
      kind: 'dockerfile',
      code:
        'FROM debian\nRUN apt-get update \\\n  # tools\n  && apt-get \\\n     install -y \\\n     "curl" \\\n' +
        "     ca-certificates=2023 \\\n     'wget'",
      errors: [
        { messageId: 'unpinned', data: { name: 'curl', example: 'curl=<version>' }, range: [5, 6, 5, 10] },
        { messageId: 'unpinned', data: { name: 'wget', example: 'wget=<version>' }, range: [7, 6, 7, 10] },
      ],
    },
    {
      name: 'wrappers, exec-form JSON and sh -c payloads',
      kind: 'dockerfile',
      code:
        'FROM alpine\nRUN ["sh", "-c", "sudo apk add --no-cache curl"]\nRUN ["apk", "add", "git"]\n' +
        "RUN /bin/bash -ec 'env X=1 apk add jq'",
      errors: [
        { messageId: 'unpinned', data: { name: 'curl', example: 'curl~<version>' }, range: [1, 42, 1, 46] },
        { messageId: 'unpinned', data: { name: 'git', example: 'git~<version>' }, range: [2, 20, 2, 23] },
        { messageId: 'unpinned', data: { name: 'jq', example: 'jq~<version>' }, range: [3, 35, 3, 37] },
      ],
    },
    {
      name: 'heredoc RUN and ONBUILD RUN',
      kind: 'dockerfile',
      code: 'FROM python\nRUN <<EOF\nset -e\npip install flask\nEOF\nONBUILD RUN npm install -g typescript',
      errors: [
        { messageId: 'unpinned', data: { name: 'flask', example: 'flask==<version>' }, range: [3, 12, 3, 17] },
        { messageId: 'unpinned', data: { name: 'typescript', example: 'typescript@<version>' }, range: [5, 27, 5, 37] },
      ],
    },
    {
      kind: 'dockerfile',
      code:
        'FROM fedora\nRUN dnf install -y python3-pip && microdnf install gcc-c++ && dnf module install -y nodejs ' +
        '&& zypper install -y vim',
      errors: [
        {
          messageId: 'unpinned',
          data: { name: 'python3-pip', example: 'python3-pip-<version>' },
          range: [1, 19, 1, 30],
        },
        { messageId: 'unpinned', data: { name: 'gcc-c++', example: 'gcc-c++-<version>' }, range: [1, 51, 1, 58] },
        { messageId: 'unpinned', data: { name: 'nodejs', example: 'nodejs-<version>' }, range: [1, 84, 1, 90] },
        { messageId: 'unpinned', data: { name: 'vim', example: 'vim=<version>' }, range: [1, 112, 1, 115] },
      ],
    },
    {
      kind: 'dockerfile',
      code:
        'FROM python\nRUN pip3 install --upgrade pip "flask[async]" git+https://github.com/a/b.git && python3 -m ' +
        'pip install requests && pipx install black',
      errors: [
        { messageId: 'unpinned', data: { name: 'pip', example: 'pip==<version>' }, range: [1, 27, 1, 30] },
        {
          messageId: 'unpinned',
          data: { name: 'flask[async]', example: 'flask[async]==<version>' },
          range: [1, 32, 1, 44],
        },
        {
          messageId: 'unpinned',
          data: { name: 'git+https://github.com/a/b.git', example: 'git+https://github.com/a/b.git@<commit>' },
          range: [1, 46, 1, 76],
        },
        { messageId: 'unpinned', data: { name: 'requests', example: 'requests==<version>' }, range: [1, 103, 1, 111] },
        { messageId: 'unpinned', data: { name: 'black', example: 'black==<version>' }, range: [1, 128, 1, 133] },
      ],
    },
    {
      kind: 'dockerfile',
      code:
        'FROM node\nRUN npm i express @types/node && yarn global add nodemon && gem install rails && go install ' +
        'golang.org/x/tools/gopls@latest',
      errors: [
        { messageId: 'unpinned', data: { name: 'express', example: 'express@<version>' }, range: [1, 10, 1, 17] },
        {
          messageId: 'unpinned',
          data: { name: '@types/node', example: '@types/node@<version>' },
          range: [1, 18, 1, 29],
        },
        { messageId: 'unpinned', data: { name: 'nodemon', example: 'nodemon@<version>' }, range: [1, 49, 1, 56] },
        { messageId: 'unpinned', data: { name: 'rails', example: 'rails:<version>' }, range: [1, 72, 1, 77] },
        {
          messageId: 'unpinned',
          data: { name: 'golang.org/x/tools/gopls@latest', example: 'golang.org/x/tools/gopls@<version>' },
          range: [1, 92, 1, 123],
        },
      ],
    },
    {
      name: 'go get without a version or at @latest, go run of a module at @latest',
      kind: 'dockerfile',
      code: 'FROM golang\nRUN go get example.com/mod && go get -tool x.io/lint@latest && go run x.io/gen@latest -v',
      errors: [
        {
          messageId: 'unpinned',
          data: { name: 'example.com/mod', example: 'example.com/mod@<version>' },
          range: [1, 11, 1, 26],
        },
        {
          messageId: 'unpinned',
          data: { name: 'x.io/lint@latest', example: 'x.io/lint@<version>' },
          range: [1, 43, 1, 59],
        },
        {
          messageId: 'unpinned',
          data: { name: 'x.io/gen@latest', example: 'x.io/gen@<version>' },
          range: [1, 70, 1, 85],
        },
      ],
    },
    {
      name: 'git sources are pinned to a commit',
      kind: 'dockerfile',
      code: 'FROM node\nRUN npm install -g github:a/b user/repo',
      errors: [
        { messageId: 'unpinned', data: { name: 'github:a/b', example: 'github:a/b#<commit>' }, range: [1, 19, 1, 29] },
        { messageId: 'unpinned', data: { name: 'user/repo', example: 'user/repo#<commit>' }, range: [1, 30, 1, 39] },
      ],
    },
    {
      name: 'a script the build runs is build context',
      kind: 'shell',
      shellContext: 'build',
      code: '#!/bin/sh\nset -eu\n$STD apt-get install -y jq\n',
      errors: [{ messageId: 'unpinned', data: { name: 'jq', example: 'jq=<version>' }, range: [2, 24, 2, 26] }],
    },
    {
      name: 'messages are plain text: no Markdown',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get install -y `echo x` curl',
      errors: [{ messageId: 'unpinned', data: { name: 'curl', example: 'curl=<version>' }, range: [1, 32, 1, 36] }],
    },
  ],
});
