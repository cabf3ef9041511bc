"""Run one of the bench/*.sql files with DuckDB's Python package and print every result row.

Usage: python3 bench/duckdb_query.py SQL_FILE DATA_FILE THREADS

The SQL files contain the placeholders __DATA__ (the NDJSON file) and __THREADS__ (the value
of `SET threads`). Rows are printed one per line (tab-separated) so the work of producing
output is comparable with jq and spl, which print their results too. The pip package ships
no `duckdb` command-line binary, so this wrapper is the DuckDB entry point; its fixed cost
(Python start-up plus `import duckdb`) is measured separately by run.sh ("duckdb-startup").
"""

import sys


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    sql_file, data_file, threads = sys.argv[1:]
    try:
        import duckdb
    except ImportError:
        print("duckdb Python package not installed (pip install duckdb)", file=sys.stderr)
        return 3
    with open(sql_file, encoding="utf-8") as handle:
        sql = handle.read()
    escaped = data_file.replace("'", "''")
    sql = sql.replace("__DATA__", escaped).replace("__THREADS__", str(int(threads)))
    connection = duckdb.connect()
    out = sys.stdout
    for row in connection.execute(sql).fetchall():
        out.write("\t".join(str(value) for value in row))
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
