"""Time a command several times and report median wall time and peak memory.

Usage: python3 bench/measure.py RUNS -- COMMAND [ARG...]

Prints one JSON object: {"runs", "median_s", "min_s", "max_s", "peak_rss_kb",
"exit_code", "output_lines"}. The command's standard output is counted (lines) and
discarded; its standard error is passed through. Peak RSS is the largest ru_maxrss of any
run (Linux reports kilobytes), the same number `/usr/bin/time -v` calls "Maximum resident
set size". Stops at the first failing run and reports its exit code.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time


def run_once(command):
    """Runs the command; returns (seconds, peak_rss_kb, exit_code, output_lines)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    lines = 0
    assert process.stdout is not None
    for chunk in iter(lambda: process.stdout.read(1 << 20), b""):
        lines += chunk.count(b"\n")
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, process.returncode, lines


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    runs = int(sys.argv[1])
    command = sys.argv[3:]
    times, peak, code, lines = [], 0, 0, 0
    for _ in range(runs):
        try:
            elapsed, rss, code, lines = run_once(command)
        except OSError as error:
            print(f"cannot run {command[0]}: {error}", file=sys.stderr)
            code = 127
            break
        if code != 0:
            break
        times.append(elapsed)
        peak = max(peak, rss)
    result = {
        "runs": len(times),
        "median_s": statistics.median(times) if times else None,
        "min_s": min(times) if times else None,
        "max_s": max(times) if times else None,
        "peak_rss_kb": peak,
        "exit_code": code,
        "output_lines": lines,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
