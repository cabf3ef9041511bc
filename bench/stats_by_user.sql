-- DuckDB translation of the full-scan query
--   `kube_audit` | stats count values(verb) by user.username
-- The file to read is substituted for __DATA__ and the thread count for __THREADS__ by
-- bench/run.sh.
--
-- Equivalences: every event is read (no search filter, `kube_audit` is source="kubernetes"
-- and every benchmark line has that source). stats drops events missing a BY field, hence
-- WHERE ... IS NOT NULL. values(verb) = distinct, sorted, nulls skipped (list_distinct drops
-- NULLs). Splunk orders stats output by the BY field, hence ORDER BY.
-- Difference: rows in DuckDB's representation, not Splunk's JSON rendering.
SET threads = __THREADS__;
SELECT
    user.username AS "user.username",
    count(*) AS count,
    list_sort(list_distinct(list(verb))) AS "values(verb)"
FROM read_json('__DATA__',
        format = 'newline_delimited',
        columns = {
            verb: 'VARCHAR',
            "user": 'STRUCT(username VARCHAR)'
        })
WHERE user.username IS NOT NULL
GROUP BY user.username
ORDER BY user.username;
