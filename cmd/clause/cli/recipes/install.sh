#!/bin/sh
# Installs clause VERSION and its renderer, clause-render, into DEST (default
# .clause/bin): the released binaries for this system, checked against the release's checksums.txt, or,
# when there is none, built with `go install …@VERSION`. A binary of that
# version already in DEST (kept by the host's build cache) is used as it is.
#
#   sh .clause/install.sh v1.2.3 [DEST]
#
# CLAUSE_DOWNLOAD_URL replaces the releases' address (a mirror).
# Written by clause init; the same script installs clause in the
# pull-request action.
set -eu
version="${1:?usage: install.sh VERSION [DEST]}"
dest="${2:-.clause/bin}"
mkdir -p "$dest"
if [ -x "$dest/clause" ] && [ -x "$dest/clause-render" ] && "$dest/clause" version 2>/dev/null | grep -q "^clause $version "; then
	echo "clause $version: already installed in $dest"
	exit 0
fi
os=$(uname -s | tr '[:upper:]' '[:lower:]')
case $(uname -m) in
x86_64 | amd64) arch=amd64 ;;
aarch64 | arm64) arch=arm64 ;;
*) arch=$(uname -m) ;;
esac
base="${CLAUSE_DOWNLOAD_URL:-https://github.com/clause-portal/clause/releases/download}/$version"
archive="clause_${version#v}_${os}_${arch}.tar.gz"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if curl -fsSL --retry 3 -o "$tmp/$archive" "$base/$archive" && curl -fsSL --retry 3 -o "$tmp/checksums.txt" "$base/checksums.txt"; then
	grep "  $archive\$" "$tmp/checksums.txt" >"$tmp/sum" || {
		echo "install.sh: $archive is not in the release's checksums.txt" >&2
		exit 1
	}
	if command -v sha256sum >/dev/null; then
		(cd "$tmp" && sha256sum -c sum >/dev/null)
	else
		(cd "$tmp" && shasum -a 256 -c sum >/dev/null)
	fi || {
		echo "install.sh: the checksum of $archive does not match checksums.txt" >&2
		exit 1
	}
	tar -xzf "$tmp/$archive" -C "$tmp" clause clause-render
	mv "$tmp/clause" "$tmp/clause-render" "$dest/"
	echo "clause $version: installed the released binaries for $os/$arch in $dest"
else
	echo "clause $version: no released binary for $os/$arch; building it with go install (a few minutes)" >&2
	GOBIN=$(cd "$dest" && pwd) go install "github.com/clause-portal/clause/cmd/clause@$version" "github.com/clause-portal/clause/cmd/clause-render@$version"
fi
