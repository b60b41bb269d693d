#!/usr/bin/env bash
# Node 24 into .tmp/node24, for the server's smoke run on the current Node LTS: see install-node.sh.
set -euo pipefail
exec bash "$(dirname "$0")/install-node.sh" 24 24.22.3
