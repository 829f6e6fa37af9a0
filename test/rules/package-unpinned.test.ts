import rule from '../../server/src/rules/package-unpinned';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
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
      code: 'FROM alpine\nRUN apk add --no-cache --virtual .deps --repository https://x/edge curl=8.5.0-r0 "git>2" bash~5.2 ./x.apk',
    },
    {
      kind: 'dockerfile',
      code: 'FROM fedora\nRUN dnf install -y tomcat-9.2 openssl-1:1.1.1k x.rpm && yum groupinstall -y "Development Tools" && dnf group install -y core && dnf module install -y nodejs:18',
    },
    {
      kind: 'dockerfile',
      code: 'FROM opensuse\nRUN zypper install -y curl=8.0 "git>=2.3" vim\\>=9 bash-5.2 && zypper in -t pattern devel_basis',
    },
    {
      kind: 'dockerfile',
      code: 'FROM python\nRUN pip install -r requirements.txt -c constraints.txt "flask==3.0" "a~=1.0" b===2 "c>=1" d!=2 ./pkg x.whl git+https://github.com/a/b.git@v1.2 . -e ./src',
    },
    {
      kind: 'dockerfile',
      code: 'FROM python\nRUN python3 -m pip install --no-cache-dir requests==2.31.0 && pipx install black==24.1.0',
    },
    {
      kind: 'dockerfile',
      code: 'FROM node\nRUN npm install && npm ci && npm install -g typescript@5.4 @angular/cli@17 ./local.tgz git+https://x/y.git#abc && yarn add lodash@4 && pnpm add -g pnpm@8',
    },
    {
      kind: 'dockerfile',
      code: 'FROM ruby\nRUN gem install bundler -v 2.5.0 && gem install rake:13.0 && gem install --version 1.0 rails',
    },
    {
      kind: 'dockerfile',
      code: 'FROM golang\nRUN go install golang.org/x/tools/gopls@v0.15.0 && go install ./cmd/...',
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
      code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN choco install git; apt-get install curl',
    },
    { name: 'pacman has no version syntax', kind: 'dockerfile', code: 'FROM archlinux\nRUN pacman -S --noconfirm git' },
  ],
  invalid: [
    {
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get update && apt-get install -y --no-install-recommends curl git=1:2.39 vim',
      errors: [{ messageId: 'unpinned', message: '`curl`, `vim`', range: [1, 22, 1, 37] }],
    },
    {
      name: 'continuations, comment lines and quoting',
      kind: 'dockerfile',
      code: 'FROM debian\nRUN apt-get update \\\n  # tools\n  && apt-get \\\n     install -y \\\n     "curl" \\\n     ca-certificates=2023 \\\n     \'wget\'',
      errors: [{ message: '`curl`, `wget`', range: [3, 5, 4, 12] }],
    },
    {
      name: 'wrappers, exec-form JSON and sh -c payloads',
      kind: 'dockerfile',
      code: 'FROM alpine\nRUN ["sh", "-c", "sudo apk add --no-cache curl"]\nRUN ["apk", "add", "git"]\nRUN /bin/bash -ec \'env X=1 apk add jq\'',
      errors: [
        { message: '`curl`', range: [1, 23, 1, 30] },
        { message: '`git`', range: [2, 5, 2, 17] },
        { message: '`jq`', range: [3, 27, 3, 34] },
      ],
    },
    {
      name: 'heredoc RUN and ONBUILD RUN',
      kind: 'dockerfile',
      code: 'FROM python\nRUN <<EOF\nset -e\npip install flask\nEOF\nONBUILD RUN npm install -g typescript',
      errors: [
        { message: '`flask`', range: [3, 0, 3, 11] },
        { message: '`typescript`', range: [5, 12, 5, 23] },
      ],
    },
    {
      kind: 'dockerfile',
      code: 'FROM fedora\nRUN dnf install -y python3-pip && microdnf install gcc-c++ && dnf module install -y nodejs && zypper install -y vim',
      errors: [
        { message: '`python3-pip`', range: [1, 4, 1, 15] },
        { message: '`gcc-c++`', range: [1, 34, 1, 50] },
        { message: '`nodejs`', range: [1, 62, 1, 80] },
        { message: '`vim`', range: [1, 94, 1, 108] },
      ],
    },
    {
      kind: 'dockerfile',
      code: 'FROM python\nRUN pip3 install --upgrade pip "flask[async]" git+https://github.com/a/b.git && python3 -m pip install requests && pipx install black',
      errors: [
        { message: '`pip`, `flask[async]`, `git+https://github.com/a/b.git`', range: [1, 4, 1, 16] },
        { message: '`requests`', range: [1, 80, 1, 102] },
        { message: '`black`', range: [1, 115, 1, 127] },
      ],
    },
    {
      kind: 'dockerfile',
      code: 'FROM node\nRUN npm i express @types/node && yarn global add nodemon && gem install rails && go install golang.org/x/tools/gopls@latest',
      errors: [
        { message: '`express`, `@types/node`', range: [1, 4, 1, 9] },
        { message: '`nodemon`', range: [1, 33, 1, 48] },
        { message: '`rails`', range: [1, 60, 1, 71] },
        { message: '`golang.org/x/tools/gopls@latest`', range: [1, 81, 1, 91] },
      ],
    },
    {
      name: 'a script the build runs is build context',
      kind: 'shell',
      shellContext: 'build',
      code: '#!/bin/sh\nset -eu\n$STD apt-get install -y jq\n',
      errors: [{ message: '`jq`', range: [2, 5, 2, 20] }],
    },
  ],
});
