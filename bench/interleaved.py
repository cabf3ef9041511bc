"""Compare spl with DuckDB fairly on a busy machine: runs alternate within each round.

Usage: python3 bench/interleaved.py ROUNDS [BENCH...]

Each round runs, for every benchmark, every variant once, in turn (spl 2 cores, DuckDB
t=2, spl on one core, DuckDB t=1 ...), so that a burst of load from other processes hits
all variants alike. Prints, per benchmark and variant, the median and minimum wall time,
the peak RSS (largest ru_maxrss, the number `/usr/bin/time -v` reports) and the ratios
spl/DuckDB of the medians; also the load average before and after. One-core variants run
under `taskset -c 0`. Data files are those of bench/run.sh (target/bench-data/).

Environment: SPL (default target/release/spl).
"""

import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(__file__))
from measure import run_once  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "target", "bench-data")
SPL = os.environ.get("SPL", os.path.join(ROOT, "target", "release", "spl"))
FLAGSHIP = os.path.join(ROOT, "queries", "kubernetes_scanning_by_unauthenticated_ip_address.yml")
STATS = os.path.join(ROOT, "bench", "queries", "stats_count_values_verb_by_user.yml")

BENCHES = {
    "flagship-100k": ("flagship", "audit-100k.json"),
    "flagship-1m": ("flagship", "audit-1m.json"),
    "flagship-stress-1m": ("flagship", "stress-1m.json"),
    "stats-by-user-100k": ("stats_by_user", "audit-100k.json"),
    "stats-by-user-1m": ("stats_by_user", "audit-1m.json"),
}


def variants(query, file):
    """The commands compared for one benchmark: (name, argv)."""
    yml = FLAGSHIP if query == "flagship" else STATS
    spl = [SPL, "run", yml, "--data", file, "--source", "kubernetes", "--format", "json"]
    duck = ["python3", os.path.join(ROOT, "bench", "duckdb_query.py"),
            os.path.join(ROOT, "bench", query + ".sql"), file]
    one_core = ["taskset", "-c", "0"]
    return [
        ("spl", spl),
        ("duckdb-t2", duck + ["2"]),
        ("spl-1core", one_core + spl),
        ("duckdb-t1", one_core + duck + ["1"]),
    ]


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    names = sys.argv[2:] or list(BENCHES)
    print(f"load average before: {os.getloadavg()}")
    results = {}
    for _ in range(rounds):
        for bench in names:
            query, file = BENCHES[bench]
            for name, argv in variants(query, os.path.join(DATA, file)):
                elapsed, rss, code, _ = run_once(argv)
                if code != 0:
                    raise SystemExit(f"{bench} {name} failed with {code}")
                entry = results.setdefault((bench, name), {"times": [], "rss": 0})
                entry["times"].append(elapsed)
                entry["rss"] = max(entry["rss"], rss)
    print(f"load average after: {os.getloadavg()}")
    print("| benchmark | variant | median s | min s | peak RSS MiB | spl ÷ DuckDB (medians) |")
    print("|---|---|---:|---:|---:|---:|")
    for bench in names:
        medians = {}
        for name in ["spl", "duckdb-t2", "spl-1core", "duckdb-t1"]:
            entry = results[(bench, name)]
            medians[name] = statistics.median(entry["times"])
        for name in ["spl", "duckdb-t2", "spl-1core", "duckdb-t1"]:
            entry = results[(bench, name)]
            ratio = ""
            if name == "spl":
                ratio = f"{medians['spl'] / medians['duckdb-t2']:.2f}× (vs t=2)"
            if name == "spl-1core":
                ratio = f"{medians['spl-1core'] / medians['duckdb-t1']:.2f}× (vs t=1)"
            print(f"| {bench} | {name} | {medians[name]:.3f} | {min(entry['times']):.3f} "
                  f"| {entry['rss'] / 1024:.1f} | {ratio} |")


if __name__ == "__main__":
    main()
