import rule from '../../server/src/rules/kubectl-live-mutation';
import { ruleTester } from '../helpers/ruleTester';

ruleTester(rule, {
  valid: [
    {
      name: 'declarative paths',
      kind: 'shell',
      code: 'kubectl apply -f k8s/\nkubectl create -f job.yaml\nkubectl replace -f cm.yaml\nkubectl diff -f k8s/\n',
    },
    {
      name: 'no spec change',
      kind: 'shell',
      code:
        'kubectl rollout restart deploy/api\nkubectl rollout status deploy/api\nkubectl get pods\n' +
        'kubectl label pod p a=b\nkubectl cp pod:/var/log/app.log ./app.log\n',
    },
    {
      name: 'kubectl cp out of a pod named by a variable',
      kind: 'shell',
      code: 'kubectl cp "$POD":/var/log/app.log ./app.log\nkubectl cp -n "$NS" "${POD}:/tmp/dump" "$OUT"\n',
    },
    { name: 'printed', kind: 'shell', code: 'echo "kubectl edit deploy/api"\n' },
  ],
  invalid: [
    {
      kind: 'shell',
      code:
        'kubectl edit deploy/api\nkubectl -n prod patch deploy api -p \'{"spec":{}}\'\n' +
        'kubectl set image deploy/api api=api:2\nkubectl scale --replicas=3 deploy/api\n',
      errors: [
        { messageId: 'mutation', data: { command: 'kubectl edit' }, range: [0, 0, 0, 12] },
        { messageId: 'mutation', data: { command: 'kubectl patch' }, range: [1, 0, 1, 21] },
        { messageId: 'mutation', data: { command: 'kubectl set image' }, range: [2, 0, 2, 17] },
        { messageId: 'mutation', data: { command: 'kubectl scale' }, range: [3, 0, 3, 13] },
      ],
    },
    {
      kind: 'shell',
      code:
        'kubectl rollout undo deploy/api\nkubectl annotate --overwrite deploy/api a=b\n' +
        'oc label node n1 role=x --overwrite\nkubectl cp ./fix.conf prod/api-0:/etc/app/app.conf\n',
      errors: [
        { messageId: 'mutation', data: { command: 'kubectl rollout undo' }, range: [0, 0, 0, 20] },
        { messageId: 'mutation', data: { command: 'kubectl annotate' }, range: [1, 0, 1, 16] },
        { messageId: 'mutation', data: { command: 'oc label' }, range: [2, 0, 2, 8] },
        { messageId: 'mutation', data: { command: 'kubectl cp' }, range: [3, 0, 3, 10] },
      ],
    },
    {
      name: 'kubectl cp into a pod named by a variable',
      kind: 'shell',
      code:
        'POD=$(kubectl get pod -l app=api -o name)\nkubectl cp app.conf "$POD":/etc/app/app.conf\n' +
        'kubectl cp -c app ./fix.conf "${NS}/${POD}:/etc/app/app.conf"\n' +
        'oc cp fix.conf $(oc get pod -l app=api -o name):/etc/app.conf\n',
      errors: [
        { messageId: 'mutation', data: { command: 'kubectl cp' }, range: [1, 0, 1, 10] },
        { messageId: 'mutation', data: { command: 'kubectl cp' }, range: [2, 0, 2, 10] },
        { messageId: 'mutation', data: { command: 'oc cp' }, range: [3, 0, 3, 5] },
      ],
    },
  ],
});
