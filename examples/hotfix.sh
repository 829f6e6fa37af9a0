#!/bin/bash
# What a late-night fix looks like: every line changes a running system in place.
set -euo pipefail
ssh web1 'sudo sed -i "s/worker_connections 768/worker_connections 4096/" /etc/nginx/nginx.conf'
docker exec api apt-get install -y libpq5
docker commit api registry.example.com/api:patched
kubectl -n prod set image deployment/api api=registry.example.com/api:patched
docker run --rm alpine:latest sh -c 'echo done'
