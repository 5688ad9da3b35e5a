#!/usr/bin/env bash
# Fetches axe-core, the accessibility engine the browser tests run in every
# page (generator/portal/browser_test.go), from the npm registry: a pinned
# version whose tarball must match a pinned SHA-512. It is unpacked outside
# the repository and its path printed; the tests find it there (or through
# $CLAUSE_AXE_JS).
#
#   scripts/fetch-axe-core.sh            # → /tmp/clause-axe-core/axe.min.js
#   CLAUSE_AXE_DIR=~/.cache/axe scripts/fetch-axe-core.sh
set -euo pipefail

version=4.14.1
sha512=1477dafa598d8d065f273d6af302aa203c02e83131707b7fa648cd41bd3d6b734f8c22a0dab86ee6a6f64b8afbe804b214d36db85a2826965edfb3a0b9d546b5
dir="${CLAUSE_AXE_DIR:-${TMPDIR:-/tmp}/clause-axe-core}"

if [ -f "$dir/axe.min.js" ] && [ "$(cat "$dir/VERSION" 2>/dev/null)" = "$version" ]; then
  echo "$dir/axe.min.js"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball="axe-core-$version.tgz"
if command -v npm >/dev/null; then
  (cd "$work" && npm pack --silent "axe-core@$version" >/dev/null)
else
  if ! command -v curl >/dev/null; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends curl ca-certificates >&2
  fi
  curl -fsSL -o "$work/$tarball" "https://registry.npmjs.org/axe-core/-/$tarball"
fi
echo "$sha512  $work/$tarball" | sha512sum -c --quiet - >&2 || {
  echo "axe-core $version: the tarball does not match the pinned SHA-512" >&2
  exit 1
}
tar -xzf "$work/$tarball" -C "$work" package/axe.min.js package/LICENSE
mkdir -p "$dir"
mv "$work/package/axe.min.js" "$work/package/LICENSE" "$dir/"
echo "$version" >"$dir/VERSION"
echo "$dir/axe.min.js"
