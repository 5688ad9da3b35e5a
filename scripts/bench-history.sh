#!/usr/bin/env bash
# bench-history.sh: time Clause's history reading against the git CLI.
#
# What it measures: on one generated repository (internal/gitgen: by default
# 5,000 commits over 200 markdown documents with YAML front matter under
# content/, with renames, deletions and merged feature branches), the wall
# time and peak RSS of
#
#   clause log --json --repo REPO > /dev/null    (cold and warm, see below)
#   git -C REPO log --first-parent --name-status -M > /dev/null
#
# the same first-parent walk with rename detection, once by Clause (go-git)
# and once by git. Clause does more: it also reads every version's text, for
# its SHA-256 and its front matter (the effective date).
#
#   cold  the history cache (.git/clause/) is deleted before each run: the
#         first build of a fresh clone, all objects read and inflated;
#   warm  the cache the previous run wrote is used: a rebuild, which reads
#         only what is new (here: nothing).
#
# Each command runs once untimed (warm file system caches), then RUNS times,
# alternating; the table gives the median and minimum wall time, the median
# CPU time (user+sys, with GNU time), the highest peak RSS, and the
# clause/git ratios. Goal: clause within 2x of git, with bounded memory.
#
# Run it from anywhere in the repository (needs go, git, bash 5):
#
#   scripts/bench-history.sh
#   BENCH_COMMITS=20000 BENCH_DOCS=500 BENCH_RUNS=9 scripts/bench-history.sh
#
# Environment:
#   BENCH_COMMITS  commits to generate, all branches (default 5000)
#   BENCH_DOCS     documents to generate (default 200)
#   BENCH_SEED     seed of the generated history (default 42)
#   BENCH_RUNS     timed runs of each command (default 5)
#   BENCH_REPO     time this existing repository (documents under content/)
#                  instead of generating one; its history cache
#                  (.git/clause/) is deleted and rewritten
#   CLAUSE_BIN     use this clause binary instead of building ./cmd/clause
#
# Peak RSS comes from GNU time (/usr/bin/time -f %M; Debian/Ubuntu package
# "time"); without it, from VmHWM in /proc/PID/status polled every 10 ms
# (may miss a peak in the last few milliseconds); without /proc, "n/a".
# git and clause run without the global and system git configuration, so that
# settings of the machine do not change the figures.
set -euo pipefail
export LC_ALL=C # a "." decimal point in EPOCHREALTIME and awk

commits=${BENCH_COMMITS:-5000}
docs=${BENCH_DOCS:-200}
seed=${BENCH_SEED:-42}
runs=${BENCH_RUNS:-5}
repo=${BENCH_REPO:-}
clause=${CLAUSE_BIN:-}

die() {
	echo "bench-history: $*" >&2
	exit 1
}

for n in "$commits" "$docs" "$seed" "$runs"; do
	[[ $n =~ ^[0-9]+$ ]] || die "BENCH_COMMITS, BENCH_DOCS, BENCH_SEED and BENCH_RUNS must be numbers, got \"$n\""
done
((runs >= 1)) || die "BENCH_RUNS must be at least 1"
[[ -n ${EPOCHREALTIME:-} ]] || die "needs bash 5 or later (EPOCHREALTIME), this is bash $BASH_VERSION"
command -v git >/dev/null || die "git is not installed"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clause-bench-history.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Build.
if [[ -z $clause ]]; then
	echo "building clause and gitgen..." >&2
	(cd "$root" && go build -o "$tmp/clause" ./cmd/clause)
	clause=$tmp/clause
else
	[[ -x $clause ]] || die "CLAUSE_BIN=$clause is not an executable"
	echo "using CLAUSE_BIN=$clause" >&2
fi

# Generate the repository.
if [[ -z $repo ]]; then
	(cd "$root" && go build -o "$tmp/gitgen" ./internal/gitgen/cmd/gitgen)
	repo=$tmp/repo
	"$tmp/gitgen" -dir "$repo" -commits "$commits" -docs "$docs" -seed "$seed"
	about="generated: $commits commits, $docs documents, seed $seed"
else
	repo=$(cd "$repo" && pwd)
	about="given"
fi

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
first_parent=$(git -C "$repo" rev-list --first-parent --count HEAD)
all_commits=$(git -C "$repo" rev-list --all --count)
repo_size=$(du -sk "$repo/.git" | awk '{printf "%.1f MiB", $1 / 1024}')

# How peak RSS is measured.
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o "$tmp/rss" true 2>/dev/null; then
	rss_mode=time
	rss_how="GNU time (/usr/bin/time -f %M)"
elif [[ -r /proc/self/status ]] && grep -q '^VmHWM:' /proc/self/status; then
	rss_mode=proc
	rss_how="VmHWM in /proc/PID/status, polled every 10 ms (install GNU time, Debian package \"time\", for exact figures)"
else
	rss_mode=none
	rss_how="not measured (no /usr/bin/time, no /proc)"
fi

# poll_hwm PID prints the peak RSS in KiB (VmHWM) of process PID, read
# every 10 ms until the process is gone, or "n/a".
poll_hwm() {
	local pid=$1 hwm=n/a key val _
	while [[ -e /proc/$pid ]]; do
		while read -r key val _; do
			if [[ $key == VmHWM: ]]; then hwm=$val; fi
		done 2>/dev/null <"/proc/$pid/status" || true
		sleep 0.01
	done
	echo "$hwm"
}

# measure CMD... runs CMD with its output to /dev/null and sets wall
# (seconds), cpu (user+sys seconds, or n/a) and rss (KiB, or n/a).
measure() {
	local start end pid poller
	case $rss_mode in
	time)
		start=$EPOCHREALTIME
		/usr/bin/time -f '%M %U %S' -o "$tmp/rss" "$@" >/dev/null || die "failed: $*$(printf '\n%s' "$(cat "$tmp/rss")")"
		end=$EPOCHREALTIME
		read -r rss cpu_user cpu_sys < <(tail -n 1 "$tmp/rss")
		cpu=$(awk -v u="$cpu_user" -v s="$cpu_sys" 'BEGIN { printf "%.2f", u + s }')
		;;
	proc)
		start=$EPOCHREALTIME
		"$@" >/dev/null &
		pid=$!
		poll_hwm "$pid" >"$tmp/rss" &
		poller=$!
		wait "$pid" || die "failed: $*"
		end=$EPOCHREALTIME
		wait "$poller" || true
		rss=$(<"$tmp/rss")
		cpu=n/a
		;;
	*)
		start=$EPOCHREALTIME
		"$@" >/dev/null || die "failed: $*"
		end=$EPOCHREALTIME
		rss=n/a
		cpu=n/a
		;;
	esac
	wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f", e - s }')
}

clause_cmd=("$clause" log --json --repo "$repo")
git_cmd=(git -C "$repo" log --first-parent --name-status -M)
cache_dir=$(git -C "$repo" rev-parse --git-common-dir)
cache_dir=$(cd "$repo" && cd "$cache_dir" && pwd)/clause
[[ $cache_dir == */.git/clause ]] || die "unexpected git folder for the cache: $cache_dir"

# Warm-up runs, untimed, that also check both commands work and that the
# cached output is the uncached one (but for the "generated" time).
rm -rf "$cache_dir"
"${clause_cmd[@]}" >"$tmp/clause.json" 2>"$tmp/clause.err" ||
	die "clause log --json failed (exit $?):$(printf '\n%s' "$(head -n 20 "$tmp/clause.err")")"
[[ -s $tmp/clause.json ]] || die "clause log --json printed nothing"
if command -v jq >/dev/null && ! jq empty "$tmp/clause.json" 2>/dev/null; then
	die "clause log --json did not print valid JSON"
fi
"${clause_cmd[@]}" >"$tmp/clause-warm.json" 2>"$tmp/clause.err" || die "clause log --json failed with the cache"
grep -v '"generated"' "$tmp/clause.json" >"$tmp/a" && grep -v '"generated"' "$tmp/clause-warm.json" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || die "clause log --json printed something else with the history cache"
clause_bytes=$(wc -c <"$tmp/clause.json")
git_bytes=$("${git_cmd[@]}" | wc -c)
rm -f "$tmp/clause.json" "$tmp/clause-warm.json" "$tmp/clause.err" "$tmp/a" "$tmp/b"

cold_walls=() warm_walls=() git_walls=()
cold_cpus=() warm_cpus=() git_cpus=()
cold_rss=n/a warm_rss=n/a git_rss=n/a

# maxrss A B prints the larger of two KiB figures, ignoring n/a.
maxrss() {
	if [[ $1 == n/a ]]; then echo "$2"; elif [[ $2 == n/a ]] || (($1 >= $2)); then echo "$1"; else echo "$2"; fi
}

for ((i = 1; i <= runs; i++)); do
	echo "run $i/$runs..." >&2
	rm -rf "$cache_dir"
	measure "${clause_cmd[@]}"
	cold_walls+=("$wall")
	cold_cpus+=("$cpu")
	cold_rss=$(maxrss "$cold_rss" "$rss")
	measure "${clause_cmd[@]}"
	warm_walls+=("$wall")
	warm_cpus+=("$cpu")
	warm_rss=$(maxrss "$warm_rss" "$rss")
	measure "${git_cmd[@]}"
	git_walls+=("$wall")
	git_cpus+=("$cpu")
	git_rss=$(maxrss "$git_rss" "$rss")
done

# median and minimum of a list of seconds; the median of CPU times is n/a
# when they were not measured.
median() {
	if [[ $1 == n/a ]]; then echo n/a; return; fi
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
minimum() { printf '%s\n' "$@" | sort -g | head -n 1; }
mib() { if [[ $1 == n/a ]]; then echo n/a; else awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; fi; }
ratio() { if [[ $1 == n/a || $2 == n/a ]]; then echo n/a; else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; fi; }
secs() { if [[ $1 == n/a ]]; then echo n/a; else awk -v s="$1" 'BEGIN { printf "%.3f s", s }'; fi; }

cm=$(median "${cold_walls[@]}") cn=$(minimum "${cold_walls[@]}")
wm=$(median "${warm_walls[@]}") wn=$(minimum "${warm_walls[@]}")
gm=$(median "${git_walls[@]}") gn=$(minimum "${git_walls[@]}")
ccpu=$(median "${cold_cpus[@]}") wcpu=$(median "${warm_cpus[@]}") gcpu=$(median "${git_cpus[@]}")
# met A B says whether A is within 2x of B.
met() { if [[ $1 == n/a || $2 == n/a ]]; then echo n/a; else awk -v a="$1" -v b="$2" 'BEGIN { print (a <= 2 * b) ? "met" : "NOT met" }'; fi; }

cat <<EOF

history benchmark: clause log --json vs git log --first-parent --name-status -M
repository   $repo ($about)
             $all_commits commits on all branches, $first_parent first-parent commits on HEAD, .git $repo_size
output       clause $clause_bytes bytes of JSON, git $git_bytes bytes
method       $runs timed runs each after one warm-up, alternating; peak RSS: $rss_how
machine      $(git --version), $(go version 2>/dev/null | awk '{print $3}'), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?") CPUs

EOF
row() { printf '%-42s %10s %10s %10s %12s\n' "$@"; }
row "command" "median" "min" "CPU median" "peak RSS"
row "clause log --json, cold (no cache)" "$(secs "$cm")" "$(secs "$cn")" "$(secs "$ccpu")" "$(mib "$cold_rss")"
row "clause log --json, warm (history cache)" "$(secs "$wm")" "$(secs "$wn")" "$(secs "$wcpu")" "$(mib "$warm_rss")"
row "git log --first-parent --name-status -M" "$(secs "$gm")" "$(secs "$gn")" "$(secs "$gcpu")" "$(mib "$git_rss")"
row "ratio cold / git" "$(ratio "$cm" "$gm")" "$(ratio "$cn" "$gn")" "$(ratio "$ccpu" "$gcpu")" "$(ratio "$cold_rss" "$git_rss")"
row "ratio warm / git" "$(ratio "$wm" "$gm")" "$(ratio "$wn" "$gn")" "$(ratio "$wcpu" "$gcpu")" "$(ratio "$warm_rss" "$git_rss")"
echo
echo "goal, median wall time within 2x of git: cold $(met "$cm" "$gm"), warm $(met "$wm" "$gm")"
echo "goal, median CPU time within 2x of git:  cold $(met "$ccpu" "$gcpu"), warm $(met "$wcpu" "$gcpu")"
