#!/bin/sh
# Runs the portable test suites under Node 24 (type stripping runs our .ts
# sources as they are), then the `deno pack` smoke test.
# Node 24 is taken from $NODE24, from .tools/node24 (installed there by
# .ci/run or on first use), or from PATH when that one is 24 or newer.
set -eu
cd "$(dirname "$0")/../.."
node_major() { "$1" -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
if [ -n "${NODE24:-}" ]; then
  node=$NODE24
elif [ -x .tools/node24/node_modules/.bin/node ]; then
  node=.tools/node24/node_modules/.bin/node
elif command -v node >/dev/null 2>&1 && [ "$(node_major node)" -ge 24 ]; then
  node=node
else
  npm install --silent --no-save --prefix .tools/node24 node@24 >/dev/null
  node=.tools/node24/node_modules/.bin/node
fi
[ "$(node_major "$node")" -ge 24 ] || { echo "Node 24 or newer is required, found $("$node" --version)" >&2; exit 1; }
echo "Node $("$node" --version)"
exec "$node" --test --test-reporter=spec 'tests/node/*_test.ts'
