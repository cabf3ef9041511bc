#!/usr/bin/env bash
# Benchmark harness: spl vs DuckDB vs jq over generated Kubernetes audit NDJSON.
# Documented in BENCHMARKS.md. Run from anywhere inside the repository:
#
#   bench/run.sh                      # everything, 3 runs each
#   RUNS=5 bench/run.sh               # more runs
#   BENCHES="flagship-100k" TOOLS="duckdb-t1 jq" bench/run.sh
#
# Environment:
#   RUNS     timed runs per (benchmark, tool)              default 3
#   BENCHES  subset of: flagship-100k flagship-1m flagship-stress-1m stats-by-user-100k
#            stats-by-user-1m                               default all
#   TOOLS    subset of: spl duckdb-t1 duckdb-t2 jq          default all
#   SPL      path of the spl binary                         default target/release/spl
#   DATA_DIR where generated files go (never committed)     default target/bench-data
#   NO_HYPERFINE=1  time with the built-in loop even if hyperfine is installed
#
# Data files are generated once (spl-bench-gen, release build) and reused. A tool that is
# not installed, or that fails, is reported and skipped; the other tools still run.
# Results are printed as a Markdown table and also written to $DATA_DIR/results.md.
set -u -o pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-3}"
BENCHES="${BENCHES:-flagship-100k flagship-1m flagship-stress-1m stats-by-user-100k stats-by-user-1m}"
TOOLS="${TOOLS:-spl duckdb-t1 duckdb-t2 jq}"
SPL="${SPL:-$ROOT/target/release/spl}"
DATA_DIR="${DATA_DIR:-$ROOT/target/bench-data}"
GEN="$ROOT/target/release/spl-bench-gen"
FLAGSHIP_YML="queries/kubernetes_scanning_by_unauthenticated_ip_address.yml"
STATS_YML="bench/queries/stats_count_values_verb_by_user.yml"
RESULTS="$DATA_DIR/results.md"

log() { printf '%s\n' "$*" >&2; }

mkdir -p "$DATA_DIR"

# ---------------------------------------------------------------- data generation
if [[ ! -x "$GEN" ]]; then
  log "building spl-bench-gen (release)…"
  cargo build --release -p spl-bench --bin spl-bench-gen >&2 || { log "cannot build spl-bench-gen"; exit 1; }
fi

# dataset name -> generator arguments. Scans are 0.5% of events (flagship matches); the
# stress file additionally has near misses so that 30% of lines contain both literals.
declare -A DATASET_ARGS=(
  [audit-100k]="--events 100000 --scan-share 0.005 --seed 1"
  [audit-1m]="--events 1000000 --scan-share 0.005 --seed 1"
  [stress-1m]="--events 1000000 --scan-share 0.005 --literal-share 0.3 --seed 2"
)

dataset_file() { printf '%s/%s.json' "$DATA_DIR" "$1"; }

ensure_dataset() {
  local name="$1" file
  file="$(dataset_file "$name")"
  if [[ -s "$file" ]]; then return 0; fi
  log "generating $file (${DATASET_ARGS[$name]})…"
  # shellcheck disable=SC2086 # the argument string is split on purpose
  "$GEN" ${DATASET_ARGS[$name]} -o "$file.tmp" && mv "$file.tmp" "$file"
}

# ---------------------------------------------------------------- benchmarks
# benchmark name -> "dataset query"; query is flagship or stats_by_user
declare -A BENCH_SPEC=(
  [flagship-100k]="audit-100k flagship"
  [flagship-1m]="audit-1m flagship"
  [flagship-stress-1m]="stress-1m flagship"
  [stats-by-user-100k]="audit-100k stats_by_user"
  [stats-by-user-1m]="audit-1m stats_by_user"
)

# tool availability: prints nothing and returns 0 when usable, else prints the reason
tool_missing() {
  case "$1" in
    spl)
      [[ -x "$SPL" ]] || { echo "spl binary not found at $SPL (run: cargo build --release -p spl-cli)"; return; } ;;
    duckdb-t1|duckdb-t2)
      python3 -c 'import duckdb' 2>/dev/null || { echo "DuckDB Python package not installed (pip install duckdb)"; return; } ;;
    jq)
      command -v jq >/dev/null || { echo "jq not installed (apt-get install -y jq)"; return; } ;;
    *) echo "unknown tool" ;;
  esac
}

# the command line (one shell-quoted string) of a tool for a query over a file
tool_command() {
  local tool="$1" query="$2" file="$3" yml
  case "$tool" in
    spl)
      if [[ "$query" == flagship ]]; then yml="$FLAGSHIP_YML"; else yml="$STATS_YML"; fi
      printf '%q run %q --data %q --source kubernetes --format json' "$SPL" "$yml" "$file" ;;
    duckdb-t1) printf 'python3 bench/duckdb_query.py %q %q 1' "bench/$query.sql" "$file" ;;
    duckdb-t2) printf 'python3 bench/duckdb_query.py %q %q 2' "bench/$query.sql" "$file" ;;
    jq) printf 'jq -n -c -f %q %q' "bench/$query.jq" "$file" ;;
  esac
}

json_field() { python3 -c 'import json,sys; v=json.load(sys.stdin)'"$2"'; print("" if v is None else v)' <<<"$1"; }

# prints "median min" (seconds) of RUNS hyperfine runs, or nothing if hyperfine fails
hyperfine_times() {
  local command="$1" export_file
  export_file="$(mktemp)"
  if hyperfine --style none --runs "$RUNS" --export-json "$export_file" "$command" >/dev/null 2>&1; then
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"], r["min"])' "$export_file"
  fi
  rm -f "$export_file"
}

USE_HYPERFINE=0
if [[ -z "${NO_HYPERFINE:-}" ]] && command -v hyperfine >/dev/null; then USE_HYPERFINE=1; fi

HEADER="| benchmark | tool | file MB | median s | min s | MB/s (median) | peak RSS MB | output lines | runs |"
RULE="|---|---|---:|---:|---:|---:|---:|---:|---:|"
{
  echo "# Benchmark results ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, RUNS=$RUNS, timer: $([[ $USE_HYPERFINE == 1 ]] && echo hyperfine || echo loop))"
  echo
  echo "$HEADER"
  echo "$RULE"
} >"$RESULTS"
echo "$HEADER"
echo "$RULE"

row() { echo "$1"; echo "$1" >>"$RESULTS"; }

# Fixed cost of the DuckDB entry point (Python start-up + import), to read the small sizes.
if [[ " $TOOLS " == *" duckdb-t"* ]] && [[ -z "$(tool_missing duckdb-t1)" ]]; then
  startup="$(python3 bench/measure.py "$RUNS" -- python3 -c 'import duckdb; duckdb.connect().execute("select 1").fetchall()')"
  row "| (startup) | duckdb python+import | – | $(printf '%.3f' "$(json_field "$startup" '["median_s"]')") | $(printf '%.3f' "$(json_field "$startup" '["min_s"]')") | – | $(( $(json_field "$startup" '["peak_rss_kb"]') / 1024 )) | – | $RUNS |"
fi

for bench in $BENCHES; do
  spec="${BENCH_SPEC[$bench]:-}"
  if [[ -z "$spec" ]]; then log "unknown benchmark $bench"; continue; fi
  read -r dataset query <<<"$spec"
  ensure_dataset "$dataset" || { log "cannot generate $dataset"; continue; }
  file="$(dataset_file "$dataset")"
  size_mb="$(python3 -c 'import os,sys; print(f"{os.path.getsize(sys.argv[1])/1e6:.0f}")' "$file")"
  for tool in $TOOLS; do
    reason="$(tool_missing "$tool")"
    if [[ -n "$reason" ]]; then
      log "skip $tool for $bench: $reason"
      row "| $bench | $tool | $size_mb | skipped: $reason | | | | | |"
      continue
    fi
    command="$(tool_command "$tool" "$query" "$file")"
    log "$bench / $tool: $command"
    # One measured run first: exit status, output size, peak memory (and a warm-up).
    first_runs=1
    [[ $USE_HYPERFINE == 0 ]] && first_runs="$RUNS"
    measured="$(eval "python3 bench/measure.py $first_runs -- $command")"
    code="$(json_field "$measured" '["exit_code"]')"
    if [[ "$code" != 0 ]]; then
      log "FAILED: $tool on $bench exited with status $code; continuing"
      row "| $bench | $tool | $size_mb | failed (exit $code) | | | | | |"
      continue
    fi
    median="$(json_field "$measured" '["median_s"]')"
    minimum="$(json_field "$measured" '["min_s"]')"
    if [[ $USE_HYPERFINE == 1 ]]; then
      hf="$(hyperfine_times "$command")"
      [[ -n "$hf" ]] && read -r median minimum <<<"$hf"
    fi
    rss_mb=$(( $(json_field "$measured" '["peak_rss_kb"]') / 1024 ))
    lines="$(json_field "$measured" '["output_lines"]')"
    mbps="$(python3 -c 'import sys; print(f"{float(sys.argv[1])/float(sys.argv[2]):.0f}")' "$size_mb" "$median")"
    row "| $bench | $tool | $size_mb | $(printf '%.3f' "$median") | $(printf '%.3f' "$minimum") | $mbps | $rss_mb | $lines | $RUNS |"
  done
done
log "results written to $RESULTS"
