#!/usr/bin/env bash
# screenshots.sh: pictures of the example portal's main page types, at a
# laptop's width (1366 px) and a phone's (390 px), in the light and the dark
# colour scheme, taken in headless Chromium, into docs/screenshots/. The
# README shows some of them; re-run after changing the theme.
#
#   scripts/screenshots.sh            # builds the example portal first
#   CLAUSE_BIN=/tmp/clause scripts/screenshots.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/docs/screenshots
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

bin=${CLAUSE_BIN:-}
if [[ -z $bin ]]; then
	bin=$work/clause
	(cd "$root" && GOTOOLCHAIN=local go build -o "$work/" ./cmd/clause ./cmd/clause-render)
fi
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
"$bin" build --repo "$root" --out "$work/site" --base-url "$base/" --no-cache --quiet --force >/dev/null
(cd "$work/site" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server=$!
for _ in $(seq 50); do curl -fs "$base/" >/dev/null 2>&1 && break; sleep 0.1; done

# The compare page of the DPA's upcoming version, as its banner links it.
compare=$(grep -o 'href="[^"]*/compare/[^"]*"' "$work/site/dpa/index.html" | head -1 | sed 's/href="//; s/"$//; s|^https\?://[^/]*||')
declare -A pages=([index]=/ [document]=/dpa/ [subprocessors]=/subprocessors/ [compare]="$compare")
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
mkdir -p "$out"
for name in "${!pages[@]}"; do
	for size in 1366x900 390x844; do
		for scheme in light dark; do
			flags=()
			[[ $scheme == dark ]] && flags=(--force-dark-mode --blink-settings=preferredColorScheme=0)
			file="$out/$name-${size%%x*}-$scheme.png"
			timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
				--hide-scrollbars "${flags[@]}" --window-size="${size/x/,}" --screenshot="$file" "$base${pages[$name]}" >/dev/null 2>&1
			echo "$file"
		done
	done
done
