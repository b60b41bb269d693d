#!/usr/bin/env bash
# CI checks after `npm test` (which has built dist/): the artefacts users install and the clients they use.
#   1. manifest.json: mcpb's own validator, and its tools = the server's tools/list
#   2. the .mcpb bundle (the self-contained dist/bin), started like Claude Desktop
#   3. the npm tarball, packed from a clean copy (prepack builds): installed into an empty project,
#      `npx digicert-partner-mcp --version`, stdio, exports, and a smoke run on Node 22 and 24
#   4. the MCP Inspector CLI (Node 22) against stdio and HTTP
#   5. the MCP conformance suite (Node 22) against HTTP, with sessions and --stateless, with its baselines
set -euo pipefail
cd "$(dirname "$0")/.."

step() {
  local name=$1
  shift
  local started=$SECONDS
  echo "::: ${name}"
  "$@"
  echo "::: ${name}: ok in $((SECONDS - started)) s"
}

version=$(node -p 'require("./package.json").version')
bundle="$PWD/.tmp/digicert-partner-mcp-${version}.mcpb"

step "manifest" npm run --silent check:manifest
step "bundle build (self-contained dist/bin)" node scripts/build-bundle.mjs --out "$bundle"
step "bundle run (like Claude Desktop)" env MCPB_BUNDLE="$bundle" npx vitest run test/packaging/bundle.test.ts
step "node 22 and 24 (smoke runs, inspector, conformance)" bash -c 'bash scripts/install-node22.sh && bash scripts/install-node24.sh'
step "npm package" node scripts/check-package.mjs
step "inspector" node scripts/inspector-check.mjs
step "conformance (sessions)" node scripts/conformance.mjs
step "conformance (stateless)" node scripts/conformance.mjs --stateless
echo "::: all packaging and client checks passed"
