#!/usr/bin/env bash
# Packages the extension into uelint-<version>.vsix (beside this script) with @vscode/vsce,
# from the pinned dependencies of package.json. Needs node 20 or later and npm.
set -euo pipefail
cd "$(dirname "$0")"
cp ../../LICENSE LICENSE
trap 'rm -f LICENSE' EXIT
npm ci --no-audit --no-fund --silent
version=$(node -p 'require("./package.json").version')
npx --no-install vsce package --allow-missing-repository --out "uelint-$version.vsix"
