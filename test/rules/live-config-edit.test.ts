import rule from '../../server/src/rules/live-config-edit';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    {
      name: "a sourced file's path, set again by the script; one set only inside the sourced file's function",
      kind: 'shell',
      sourced: 'CONF=/etc/app.conf\nsetup() { OUT=/etc/out.conf; }\n',
      code: '. ./env.sh\nCONF=./build/app.conf\necho x > "$CONF"\necho y > "$OUT"\n',
    },
    {
      name: 'a path variable: the latest assignment before the use counts; unknown values stay unknown',
      kind: 'shell',
      code:
        'OUT=/etc/app.conf\nOUT=./build/app.conf\necho x > "$OUT"\nTMP=$(mktemp)\necho y > "$TMP"\n' +
        'echo z > "$LATER"\nLATER=/etc/z\n',
    },
    {
      name: 'a CI runner or throwaway container is discarded after the run',
      kind: 'shell',
      shellContext: 'ephemeral',
      code: "echo 'x' | sudo tee -a /etc/hosts\nsed -i 's/a/b/' /etc/app.conf\n",
    },
    {
      name: 'image builds edit their own files',
      kind: 'dockerfile',
      code: 'FROM nginx\nRUN sed -i "s/a/b/" /etc/nginx/nginx.conf && echo x >> /etc/hosts',
    },
    {
      name: 'relative and temp paths',
      kind: 'shell',
      code: 'sed -i s/a/b/ config.yml\necho x > /tmp/out\ncp a.conf ./build/\necho y >/dev/null 2>&1\n',
    },
    {
      name: 'rendering config at container start',
      kind: 'dockerfile',
      code: 'FROM nginx\nCMD envsubst < /t.conf > /etc/nginx/conf.d/default.conf && exec nginx -g "daemon off;"',
    },
    {
      name: 'reading system files',
      kind: 'shell',
      code: 'sed -n p /etc/os-release\ncp /etc/hosts /tmp/hosts\nscp host:/etc/hosts ./\ncrontab -l\n',
    },
    { name: 'printed and commented', kind: 'shell', code: 'echo "sed -i s/a/b/ /etc/x"\n# echo x > /etc/hosts\n' },
  ],
  invalid: [
    {
      name: 'a path and a helper that runs its arguments, from a file the script sources (`. ./env.sh`)',
      kind: 'shell',
      sourced: 'CONF=/etc/docker/daemon.json\nrun() { echo "+ $*"; "$@"; }\n',
      code: '. ./env.sh\ncat > "$CONF" <<\'EOF\'\n{}\nEOF\nrun cp daemon.json /etc/docker/daemon.json\n',
      errors: [
        {
          messageId: 'edit',
          data: { command: '>', path: '“/etc/docker/daemon.json”', where: 'on the host this script runs on' },
          range: [1, 4, 1, 13],
        },
        {
          messageId: 'edit',
          data: { command: 'cp', path: '“/etc/docker/daemon.json”', where: 'on the host this script runs on' },
          range: [4, 19, 4, 42],
        },
      ],
    },
    {
      name: 'a path kept in a variable, and a helper that runs its arguments',
      kind: 'shell',
      code:
        'CONF=/etc/docker/daemon.json\ncat > "$CONF" <<\'EOF\'\n{}\nEOF\n' +
        'run() { echo "+ $*"; "$@"; }\nrun cp daemon.json /etc/docker/daemon.json\n',
      errors: [
        {
          messageId: 'edit',
          data: { command: '>', path: '“/etc/docker/daemon.json”', where: 'on the host this script runs on' },
          range: [1, 4, 1, 13],
        },
        {
          messageId: 'edit',
          data: { command: 'cp', path: '“/etc/docker/daemon.json”', where: 'on the host this script runs on' },
          range: [5, 19, 5, 42],
        },
      ],
    },
    {
      kind: 'shell',
      code:
        'sudo sed -i.bak "s/^#Port/Port/" /etc/ssh/sshd_config\necho "127.0.0.1 db" | sudo tee -a /etc/hosts\n' +
        'cat <<EOF >/etc/systemd/system/app.service\n[Service]\nEOF\n',
      errors: [
        {
          messageId: 'edit',
          data: { command: 'sed', path: '“/etc/ssh/sshd_config”', where: 'on the host this script runs on' },
          range: [0, 33, 0, 53],
        },
        {
          messageId: 'edit',
          data: { command: 'tee', path: '“/etc/hosts”', where: 'on the host this script runs on' },
          range: [1, 34, 1, 44],
        },
        {
          messageId: 'edit',
          data: { command: '>', path: '“/etc/systemd/system/app.service”', where: 'on the host this script runs on' },
          range: [2, 10, 2, 42],
        },
      ],
    },
    {
      kind: 'shell',
      code:
        'cp app.conf /etc/app/\nln -sf /opt/app/bin/app /usr/local/bin/app\ninstall -m 755 tool /usr/local/bin/\n' +
        'scp -P 22 nginx.conf deploy@web1:/etc/nginx/nginx.conf\ncrontab -e\n',
      errors: [
        {
          messageId: 'edit',
          data: { command: 'cp', path: '“/etc/app/”', where: 'on the host this script runs on' },
          range: [0, 12, 0, 21],
        },
        {
          messageId: 'edit',
          data: { command: 'ln', path: '“/usr/local/bin/app”', where: 'on the host this script runs on' },
          range: [1, 24, 1, 42],
        },
        {
          messageId: 'edit',
          data: { command: 'install', path: '“/usr/local/bin/”', where: 'on the host this script runs on' },
          range: [2, 20, 2, 35],
        },
        {
          messageId: 'edit',
          data: { command: 'scp', path: '“/etc/nginx/nginx.conf”', where: 'on a remote host (over ssh)' },
          range: [3, 21, 3, 54],
        },
        {
          messageId: 'edit',
          data: { command: 'crontab', path: 'the crontab', where: 'on the host this script runs on' },
          range: [4, 0, 4, 7],
        },
      ],
    },
    {
      name: 'through ssh and docker exec',
      kind: 'shell',
      code:
        "ssh web1 'sudo sed -i s/a/b/ /etc/nginx/nginx.conf'\ndocker exec -it web sh -c 'echo x >> /etc/hosts'\n" +
        'ssh -t web1 vi /srv/app/config.yml\n',
      errors: [
        {
          messageId: 'edit',
          data: { command: 'sed', path: '“/etc/nginx/nginx.conf”', where: 'on a remote host (over ssh)' },
          range: [0, 29, 0, 50],
        },
        {
          messageId: 'edit',
          data: { command: '>>', path: '“/etc/hosts”', where: 'in a running container' },
          range: [1, 34, 1, 47],
        },
        {
          messageId: 'edit',
          data: { command: 'vi', path: '“/srv/app/config.yml”', where: 'on a remote host (over ssh)' },
          range: [2, 15, 2, 34],
        },
      ],
    },
    {
      name: 'from a CI runner, edits on other machines still count',
      kind: 'shell',
      shellContext: 'ephemeral',
      code: 'scp app.conf deploy@web1:/etc/app.conf\nssh web1 "sed -i \'s/a/b/\' /etc/app.conf"\n',
      errors: [
        {
          messageId: 'edit',
          data: { command: 'scp', path: '“/etc/app.conf”', where: 'on a remote host (over ssh)' },
          range: [0, 13, 0, 38],
        },
        {
          messageId: 'edit',
          data: { command: 'sed', path: '“/etc/app.conf”', where: 'on a remote host (over ssh)' },
          range: [1, 26, 1, 39],
        },
      ],
    },
  ],
});
