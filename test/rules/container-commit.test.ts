import rule from '../../server/src/rules/container-commit';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    {
      name: 'a variable that holds no container engine',
      kind: 'shell',
      code: 'DOCKER=echo\n$DOCKER commit web\n$UNKNOWN commit web\n',
    },
    {
      name: 'buildah commit is a build step',
      kind: 'shell',
      code: 'ctr=$(buildah from alpine)\nbuildah commit "$ctr" app:1\n',
    },
    {
      name: 'a sourced file sets the variable, the script sets it again to what its caller gives',
      kind: 'shell',
      sourced: 'DOCKER=docker\n',
      code: '. ./env.sh\nDOCKER="$1"\n$DOCKER commit web\n',
    },
    {
      name: 'a sourced file sets the variable only inside a function',
      kind: 'shell',
      sourced: 'setup() { DOCKER=docker; }\n',
      code: '. ./env.sh\n$DOCKER commit web\n',
    },
    { name: 'printed', kind: 'shell', code: 'echo "docker commit web"\n# docker commit web\n' },
  ],
  invalid: [
    {
      name: 'the engine kept in a variable by a sourced file (`. ./env.sh`)',
      kind: 'shell',
      sourced: 'DOCKER=docker\nexport DC="$DOCKER container"\n',
      code: '. ./env.sh\n$DOCKER commit c img\n$DC commit c img\n',
      errors: [
        { messageId: 'commit', data: { command: 'docker commit' }, range: [1, 0, 1, 14] },
        { messageId: 'commit', data: { command: 'docker commit' }, range: [2, 0, 2, 10] },
      ],
    },
    {
      name: 'docker found by which, kept in a variable (a dry run that sets it to true does not hide it)',
      kind: 'shell',
      code:
        'docker_path=`which docker.io 2> /dev/null || which docker`\n' +
        'snapshot() {\n  $docker_path commit "$id" app:debug\n}\ndry_run() { docker_path=true; }\n',
      errors: [{ messageId: 'commit', data: { command: 'docker commit' }, range: [2, 2, 2, 21] }],
    },
    {
      kind: 'shell',
      code:
        'docker exec web apt-get install -y vim\ndocker commit web web:patched\n' +
        'sudo podman container commit -m fix web\n',
      errors: [
        { messageId: 'commit', data: { command: 'docker commit' }, range: [1, 0, 1, 13] },
        { messageId: 'commit', data: { command: 'podman commit' }, range: [2, 5, 2, 28] },
      ],
    },
    {
      kind: 'dockerfile',
      code: 'FROM docker:27\nCMD ["docker", "-H", "tcp://d:2375", "commit", "c1", "img"]',
      errors: [{ messageId: 'commit', data: { command: 'docker commit' }, range: [1, 5, 1, 45] }],
    },
  ],
});
