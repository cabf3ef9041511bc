-- DuckDB translation of the flagship detection
--   queries/kubernetes_scanning_by_unauthenticated_ip_address.yml
-- for benchmarking only. The file to read is substituted for __DATA__ by bench/run.sh.
--
-- SPL:
--   `kube_audit` "user.groups{}"="system:unauthenticated" "responseStatus.code"=403
--   | iplocation sourceIPs{}
--   | stats count values(userAgent) as userAgent values(user.username) as user.username
--       values(user.groups{}) as user.groups{} values(verb) as verb values(requestURI) as requestURI
--       values(responseStatus.code) as responseStatus.code values(responseStatus.message) as ...
--       values(responseStatus.reason) as ... values(responseStatus.status) as ...
--     BY sourceIPs{} Country City
--   | where count > 5
--   | rename sourceIPs{} as src_ip, user.username as user
--
-- Equivalences, clause by clause:
-- * `kube_audit` is `source="kubernetes"`: every line of the benchmark file is from that
--   source (spl is run with --source kubernetes), so there is nothing to translate.
-- * read_json with an explicit `columns` list reads only the fields the search uses (a fair
--   projection: spl must also look at these fields only) and avoids schema sampling over
--   the heterogeneous requestObject/responseObject bodies.
-- * "user.groups{}"="system:unauthenticated": a field=value test on a multivalue field holds
--   when ANY value matches, and string comparison in search is case-insensitive; hence
--   list_filter(... lower(g) = ...) over the whole array.
-- * "responseStatus.code"=403: Splunk compares the value's source text with "403", so the
--   JSON number 403 and the string "403" both match (spl-semantics.md section 1.4). The column
--   is read as BIGINT, which accepts both. (It would also accept 403.0, which Splunk would not
--   match; the generated data never contains that spelling.)
-- * BY sourceIPs{}: a multivalue BY field puts the event in one group per value, which is
--   exactly UNNEST(sourceIPs).
-- * values(X): distinct values, sorted lexicographically — list_sort(list_distinct(list(X))).
--   values(user.groups{}) collects every value of the multivalue field: flatten(list(...)).
--   values(responseStatus.code) sorts the codes as strings, as Splunk does.
-- * where count > 5 → HAVING count(*) > 5; rename → column aliases.
--
-- DIFFERENCES (why the result is not identical to spl's):
-- * No iplocation: DuckDB has no GeoIP function, so there are no Country/City columns and
--   groups are keyed by the source IP only. Splunk's stats drops events whose BY fields are
--   missing, that is events whose address iplocation cannot resolve (private addresses such as
--   10.x, 172.16.x, 192.168.x); this query keeps them as their own groups. To approximate
--   Splunk, exclude private ranges in the WHERE clause (see the comment below). The GeoIP
--   lookup is work spl does and DuckDB does not, so the comparison slightly favours DuckDB.
-- * Output row order: Splunk orders stats output by the BY fields; ORDER BY src_ip does the same
--   for the one key used here.
-- * Output format: rows in DuckDB's own representation, not Splunk's JSON rendering.
SET threads = __THREADS__;
SELECT
    src_ip,
    count(*) AS count,
    list_sort(list_distinct(list(userAgent))) AS userAgent,
    list_sort(list_distinct(list(user.username))) AS "user",
    list_sort(list_distinct(flatten(list(user.groups)))) AS "user.groups{}",
    list_sort(list_distinct(list(verb))) AS verb,
    list_sort(list_distinct(list(requestURI))) AS requestURI,
    list_sort(list_distinct(list(CAST(responseStatus.code AS VARCHAR)))) AS "responseStatus.code",
    list_sort(list_distinct(list(responseStatus.message))) AS "responseStatus.message",
    list_sort(list_distinct(list(responseStatus.reason))) AS "responseStatus.reason",
    list_sort(list_distinct(list(responseStatus.status))) AS "responseStatus.status"
FROM read_json('__DATA__',
        format = 'newline_delimited',
        columns = {
            verb: 'VARCHAR',
            requestURI: 'VARCHAR',
            userAgent: 'VARCHAR',
            sourceIPs: 'VARCHAR[]',
            "user": 'STRUCT(username VARCHAR, groups VARCHAR[])',
            responseStatus: 'STRUCT(code BIGINT, message VARCHAR, reason VARCHAR, status VARCHAR)'
        }),
     UNNEST(sourceIPs) AS ips(src_ip)
WHERE len(list_filter(user.groups, lambda g: lower(g) = 'system:unauthenticated')) > 0
  AND responseStatus.code = 403
  -- Approximation of "iplocation resolves the address" (uncomment to drop private ranges):
  -- AND NOT (src_ip LIKE '10.%' OR src_ip LIKE '192.168.%' OR src_ip LIKE '172.16.%')
GROUP BY src_ip
HAVING count(*) > 5
ORDER BY src_ip;
