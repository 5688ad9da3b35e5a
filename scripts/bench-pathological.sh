#!/usr/bin/env bash
# bench-pathological.sh: time and peak RSS of `clause build` on the
# pathological inputs of issue 11 (item 11, "Runaway work"):
#
#   register   a sub-processor register of ROWS table rows (default 154,000,
#              short cells: about 3.5 MB, under document.MaxSize) with 6
#              versions, each changing, adding and removing rows;
#   large      three 850 KB documents with 21 versions each;
#   subjects   four commits whose subjects are 8 MiB each.
#
# Each repository is generated with the git CLI under a temporary folder,
# then built once with `clause build --no-cache` under GNU time; the table
# gives wall time, CPU time (user + system: steadier than wall time on a
# shared machine), peak RSS, and the size of feed.atom. Goal: each under
# 5 s and 500 MB.
#
#   scripts/bench-pathological.sh                # all three
#   scripts/bench-pathological.sh register       # one of them
#
# Environment:
#   BENCH_ROWS   rows of the register (default 154000)
#   CLAUSE_BIN   use this clause binary instead of building ./cmd/clause
#   BENCH_KEEP   keep the generated repositories and output (prints where)
set -euo pipefail
export LC_ALL=C

rows=${BENCH_ROWS:-154000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
if [[ -z ${BENCH_KEEP:-} ]]; then trap 'rm -rf "$work"' EXIT; else echo "work folder: $work"; fi
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com

bin=${CLAUSE_BIN:-}
if [[ -z $bin ]]; then
	bin=$work/clause
	# clause-render, which renders with Hugo, beside clause.
	(cd "$root" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go build -o "$work/" ./cmd/clause ./cmd/clause-render)
fi

# commit DIR DAY MESSAGE-FILE: commit everything on 2026-01-DAY.
commit() {
	local d="2026-01-$(printf %02d "$2")T10:00:00Z"
	git -C "$1" add -A
	GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git -C "$1" commit -q --cleanup=verbatim -F "$3"
}

newrepo() {
	git init -q -b main "$1"
	mkdir -p "$1/content"
}

gen_register() {
	local dir=$work/register
	newrepo "$dir"
	for v in 1 2 3 4 5 6; do
		# Version v: rows 0..rows-1, every 97th row's purpose edited in
		# version v, the last v*100 rows removed and as many new ones added.
		awk -v rows="$rows" -v v="$v" 'BEGIN {
			print "---\ntitle: Sub-processors\nkind: subprocessors\n---\n"
			print "| Sub-processor | Purpose | Location of processing |"
			print "|---|---|---|"
			for (i = 0; i < rows - v*100; i++) {
				p = "Hosting"
				if (i % 97 == v) p = "Hosting v" v
				printf "| S%06d | %s | DE |\n", i, p
			}
			for (i = 0; i < v*100; i++) printf "| N%d-%05d | Mail | FR |\n", v, i
		}' >"$dir/content/subprocessors.md"
		echo "Register version $v" >"$work/msg"
		commit "$dir" "$v" "$work/msg"
	done
}

gen_large() {
	local dir=$work/large
	newrepo "$dir"
	for v in $(seq 1 21); do
		for d in dpa privacy terms; do
			# About 850 KB: 2,000 clauses of ~420 bytes; version v edits
			# every 50th clause (a different set each version).
			awk -v v="$v" -v d="$d" 'BEGIN {
				print "---\ntitle: " d "\n---\n"
				for (i = 1; i <= 2000; i++) {
					printf "## %d. Clause %d\n\n", i, i
					w = "The processor shall process personal data only on documented instructions from the controller"
					s = w ", including with regard to transfers of personal data to a third country, unless required to do so by law"
					if (i % 50 == v % 50) s = s " as amended in version " v
					printf "%s; clause %d of %s applies to %s and its annexes in full.\n\n", s, i, d, d
				}
			}' >"$dir/content/$d.md"
		done
		echo "Edit version $v" >"$work/msg"
		commit "$dir" "$v" "$work/msg"
	done
}

gen_subjects() {
	local dir=$work/subjects
	newrepo "$dir"
	for v in 1 2 3 4; do
		printf '# DPA\n\nVersion %d of the agreement.\n' "$v" >"$dir/content/dpa.md"
		awk -v v="$v" 'BEGIN { s = "Subject " v " "; for (n = 0; n + length(s) <= 8388608; n += length(s)) printf "%s", s; print "" }' >"$work/msg"
		commit "$dir" "$v" "$work/msg"
	done
}

cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=(register large subjects)
printf '%-10s %10s %10s %12s %14s\n' case "wall (s)" "CPU (s)" "peak RSS MB" "feed.atom KB"
for c in "${cases[@]}"; do
	"gen_$c"
	out=$work/$c-public
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" build --quiet --no-cache --repo "$work/$c" --out "$out" \
		--base-url https://legal.example.com/ >"$work/$c.log" 2>&1 || { echo "$c: build failed:"; tail -5 "$work/$c.log"; }
	read -r wall user sys rss <"$work/time"
	feed=$(($(stat -c %s "$out/feed.atom" 2>/dev/null || echo 0) / 1024))
	printf '%-10s %10s %10s %12d %14d\n' "$c" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" $((rss / 1024)) "$feed"
done
