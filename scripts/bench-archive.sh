#!/usr/bin/env bash
# bench-archive.sh: build and history figures of Clause side by side, in one
# run, for several repositories (issue 16, item 5).
#
# For each repository it times, RUNS times each (medians; the first build of
# each kind is not warmed up: a cold build is cold):
#
#   git        git log --first-parent --name-status -M   (the reference)
#   log cold   clause log --json, history cache deleted first
#   log warm   clause log --json, history cache kept
#   build cold clause build, history cache and output deleted first
#   build warm clause build again: history cache warm, nothing changed
#   build incr clause build after a commit that changes one document
#
# and gives wall and CPU time (user + system: steadier on a shared machine),
# the peak RSS of the cold build, the files and bytes of the output, and the
# files an incremental build wrote (created or changed; "files written").
# Ratios: log cold, log warm and build cold against git log; build warm and
# build incr against build cold, all measured in the same run.
#
# Repositories (arguments, default: all):
#
#   example    this repository's own portal (content/), cloned at HEAD
#   github     generated in the shape of issue 16's GitHub-sized policy
#              repository (57 current documents, ~880 versions): 760 commits
#              over 66 documents, 58 of them current, 878 versions
#   5000       generated (internal/gitgen): 5,000 commits over 200 documents
#   20000      generated: 20,000 commits over 500 documents (slow: skip it
#              with BENCH_SKIP_20K=1)
#   corpora    each /work/shared/corpora/*.bundle (BENCH_CORPORA), cloned
#
#   scripts/bench-archive.sh
#   BENCH_RUNS=5 BENCH_SKIP_20K=1 scripts/bench-archive.sh
#   CLAUSE_BIN=/tmp/clause-old scripts/bench-archive.sh example 5000
#
# Environment:
#   BENCH_RUNS     runs of each command (default 3)
#   BENCH_SKIP_20K skip the 20,000-commit repository
#   BENCH_CORPORA  glob of git bundles (default /work/shared/corpora/*.bundle)
#   CLAUSE_BIN     use this clause binary instead of building ./cmd/clause
#   BENCH_KEEP     keep the work folder (prints where)
#
# Needs bash 5, git, go (unless CLAUSE_BIN) and GNU time (/usr/bin/time).
set -euo pipefail
export LC_ALL=C

runs=${BENCH_RUNS:-3}
corpora=${BENCH_CORPORA:-/work/shared/corpora/*.bundle}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() {
	echo "bench-archive: $*" >&2
	exit 1
}
[[ $runs =~ ^[0-9]+$ ]] && ((runs >= 1)) || die "BENCH_RUNS must be a number >= 1, got \"$runs\""
[[ -x /usr/bin/time ]] || die "needs GNU time (/usr/bin/time; Debian package \"time\")"
command -v git >/dev/null || die "git is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/clause-bench-archive.XXXXXX")
if [[ -z ${BENCH_KEEP:-} ]]; then trap 'rm -rf "$work"' EXIT; else echo "work folder: $work" >&2; fi
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com

clause=${CLAUSE_BIN:-}
if [[ -z $clause ]]; then
	echo "building clause..." >&2
	(cd "$root" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go build -o "$work/clause" ./cmd/clause)
	clause=$work/clause
	# A clause that renders in a helper binary finds it beside itself.
	if [[ -d $root/cmd/clause-render ]]; then
		(cd "$root" && GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go build -o "$work/clause-render" ./cmd/clause-render)
	fi
fi
[[ -x $clause ]] || die "CLAUSE_BIN=$clause is not an executable"

# timed NAME CMD...: runs CMD (output discarded) under GNU time and appends
# "wall cpu rss_kib" to $work/NAME.
timed() {
	local name=$1
	shift
	local start=$EPOCHREALTIME
	/usr/bin/time -f '%U %S %M' -o "$work/t" "$@" >/dev/null 2>"$work/err" ||
		die "failed: $*$(printf '\n%s' "$(tail -n 5 "$work/err")")"
	awk -v s="$start" -v e="$EPOCHREALTIME" '{ printf "%.4f %.3f %s\n", e - s, $1 + $2, $3 }' "$work/t" >>"$work/$name"
}

# median FILE COLUMN
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
maxcol() { awk -v c="$2" 'BEGIN { m = 0 } $c > m { m = $c } END { print m }' "$1"; }

# snapshot DIR: "path size mtime inode" of every file, sorted; contents
# DIR: "md5 path".
snapshot() { (cd "$1" && find . -type f -printf '%p %s %T@ %i\n' | sort); }
contents() { (cd "$1" && find . -type f -print0 | xargs -0 -r md5sum | sort); }

rows=()

# bench NAME REPO: all measurements of one repository.
bench() {
	local name=$1 repo=$2 out=$work/out-$1 cache
	cache=$(cd "$repo" && cd "$(git rev-parse --git-common-dir)" && pwd)/clause
	[[ $cache == */.git/clause ]] || die "unexpected git folder for the cache: $cache"
	rm -f "$work"/m-*
	local fp build=("$clause" build --quiet --repo "$repo" --out "$out" --base-url https://legal.example.com/)
	fp=$(git -C "$repo" rev-list --first-parent --count HEAD)
	echo "$name: $fp first-parent commits, $runs runs..." >&2
	# The document an incremental build changes: the first one clause lists
	# that is still in the work tree.
	local doc="" p
	while read -r p; do
		if [[ -f $repo/$p ]]; then doc=$p && break; fi
	done < <("$clause" log --json --repo "$repo" 2>/dev/null | grep -o '"path": *"[^"]*\.md"' | sed 's/.*"\([^"]*\)"$/\1/')
	[[ -n $doc ]] || die "$name: no document to change"
	git -C "$repo" log --first-parent --name-status -M >/dev/null # warm the file system cache
	for ((i = 1; i <= runs; i++)); do
		timed m-git git -C "$repo" log --first-parent --name-status -M
		rm -rf "$cache"
		timed m-logcold "$clause" log --json --repo "$repo"
		timed m-logwarm "$clause" log --json --repo "$repo"
		rm -rf "$cache" "$out"
		timed m-cold "${build[@]}"
		# The cold build leaves hundreds of megabytes of output to write
		# back: without a sync the warm build pays for it (at 5,000 commits
		# it took 6.3 s instead of 3-4 s).
		sync
		timed m-warm "${build[@]}"
		sync
		snapshot "$out" >"$work/before"
		contents "$out" >"$work/before.md5"
		printf '\nBenchmark edit %d of %s.\n' "$i" "$name" >>"$repo/$doc"
		git -C "$repo" commit -qam "Benchmark edit $i" --date="@$(($(git -C "$repo" log -1 --format=%ct) + 3600))"
		timed m-incr "${build[@]}"
		snapshot "$out" >"$work/after"
		contents "$out" >"$work/after.md5"
	done
	local files bytes written
	files=$(wc -l <"$work/after")
	bytes=$(awk '{ s += $2 } END { printf "%.1f", s / 1048576 }' "$work/after")
	# Written: new, or with a new modification time or inode; changed: new
	# or with other bytes.
	written=$(comm -13 "$work/before" "$work/after" | wc -l)
	written="$written / $(comm -13 "$work/before.md5" "$work/after.md5" | wc -l)"
	local g gc
	g=$(median "$work/m-git" 1) gc=$(median "$work/m-git" 2)
	rows+=("$(
		r() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
		cell() { printf '%.3f s (%s×)' "$1" "$(r "$1" "$2")"; }
		lc=$(median "$work/m-logcold" 1) lw=$(median "$work/m-logwarm" 1)
		bc=$(median "$work/m-cold" 1) bw=$(median "$work/m-warm" 1) bi=$(median "$work/m-incr" 1)
		lcc=$(median "$work/m-logcold" 2) lwc=$(median "$work/m-logwarm" 2)
		bcc=$(median "$work/m-cold" 2) bwc=$(median "$work/m-warm" 2) bic=$(median "$work/m-incr" 2)
		rss=$(awk -v k="$(maxcol "$work/m-cold" 3)" 'BEGIN { printf "%.0f", k / 1024 }')
		lrss=$(awk -v k="$(maxcol "$work/m-logcold" 3)" 'BEGIN { printf "%.0f", k / 1024 }')
		printf '%s\t%s\t%.3f s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
			"$name" "$fp" "$g" "$(cell "$lc" "$g")" "$(cell "$lw" "$g")" "$(cell "$bc" "$g")" "$(cell "$bw" "$bc")" "$(cell "$bi" "$bc")" \
			"$(printf '%.2f s' "$gc")" "$(cell "$lcc" "$gc")" "$(cell "$lwc" "$gc")" "$(cell "$bcc" "$gc")" "$(cell "$bwc" "$bcc")" "$(cell "$bic" "$bcc")" \
			"$lrss / $rss" "$files / $bytes" "$written"
	)")
}

cases=("$@")
if [[ ${#cases[@]} -eq 0 ]]; then
	cases=(example github 5000)
	[[ -n ${BENCH_SKIP_20K:-} ]] || cases+=(20000)
	cases+=(corpora)
fi
for c in "${cases[@]}"; do
	case $c in
	example)
		git clone -q "$root" "$work/example"
		bench example "$work/example"
		;;
	github | 5000 | 20000)
		if [[ ! -x $work/gitgen ]]; then
			(cd "$root" && GOTOOLCHAIN=local go build -o "$work/gitgen" ./internal/gitgen/cmd/gitgen)
		fi
		commits=$c docs=200
		[[ $c == 20000 ]] && docs=500
		[[ $c == github ]] && commits=760 docs=66
		echo "generating $commits commits over $docs documents..." >&2
		"$work/gitgen" -dir "$work/gen$c" -commits "$commits" -docs "$docs" -seed 42 2>/dev/null
		bench "gen-$c" "$work/gen$c"
		;;
	corpora)
		for b in $corpora; do
			[[ -f $b ]] || continue
			n=$(basename "$b" .bundle)
			git clone -q "$b" "$work/$n"
			bench "$n" "$work/$n"
		done
		;;
	*) die "unknown repository \"$c\" (example, github, 5000, 20000, corpora)" ;;
	esac
done

cat <<EOF

### Clause archive benchmark

$("$clause" version 2>&1 | head -n 1); $(git --version); $(nproc) CPUs; medians of $runs runs.
Ratios: log and cold build against \`git log --first-parent --name-status -M\`;
warm and incremental builds against the cold build.

Wall time:

| repository | first-parent commits | git log | log cold | log warm | build cold | build warm | build incr. |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
for row in "${rows[@]}"; do
	IFS=$'\t' read -r -a f <<<"$row"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "${f[0]}" "${f[1]}" "${f[2]}" "${f[3]}" "${f[4]}" "${f[5]}" "${f[6]}" "${f[7]}"
done
cat <<EOF

CPU time (user + system), peak RSS, output:

| repository | git log | log cold | log warm | build cold | build warm | build incr. | peak RSS MiB (log cold / build cold) | output files / MiB | incr.: files written / changed |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
EOF
for row in "${rows[@]}"; do
	IFS=$'\t' read -r -a f <<<"$row"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${f[0]}" "${f[8]}" "${f[9]}" "${f[10]}" "${f[11]}" "${f[12]}" "${f[13]}" "${f[14]}" "${f[15]}" "${f[16]}"
done
