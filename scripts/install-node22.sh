#!/usr/bin/env bash
# Node 22 into .tmp/node22 (the MCP Inspector and the conformance suite need it): see install-node.sh.
set -euo pipefail
exec bash "$(dirname "$0")/install-node.sh" 22 22.23.3
