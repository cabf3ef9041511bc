# jq translation of the flagship detection
#   queries/kubernetes_scanning_by_unauthenticated_ip_address.yml
# for benchmarking only. Run as:   jq -n -c -f bench/flagship.jq FILE.json
#
# Equivalences (see bench/flagship.sql for the SPL text):
# * `kube_audit` (source="kubernetes"): every benchmark line is from that source.
# * "user.groups{}"="system:unauthenticated": ANY value of the array, compared
#   case-insensitively, as a search field=value test on a multivalue field.
# * "responseStatus.code"=403: Splunk compares the value's source text with "403", so the
#   number 403 and the string "403" both match; `tostring` gives "403" for both. (It also
#   gives "403" for 403.0, which Splunk would not match; the generated data never has it.)
# * BY sourceIPs{}: one group per value of the array (`.sourceIPs[]`).
# * values(X): a set kept as object keys; `keys` returns it sorted by code point, which is
#   Splunk's lexicographic order for these ASCII values. null/missing values are skipped,
#   as values() skips missing fields.
# * where count > 5, rename sourceIPs{} as src_ip, user.username as user: the final select
#   and the output keys.
#
# DIFFERENCES:
# * No iplocation: jq has no GeoIP lookup, so there are no Country/City keys and groups are
#   keyed by the source IP only. Splunk's stats drops events whose address does not resolve
#   (private ranges); this program keeps them. The lookup is work spl does and jq does not.
# * Output: one JSON object per group, not Splunk's rendering.
# * `inputs` parses every whole line into a jq value: there is no projection or literal
#   pre-filter, so jq's cost is dominated by JSON parsing of every event.

def set_add($value): if $value == null then . else .[$value | tostring] = true end;

reduce (
    inputs
    | select(any(.user.groups[]?; ascii_downcase == "system:unauthenticated"))
    | select((.responseStatus.code | tostring) == "403")
    | . as $event
    | .sourceIPs[]?
    | [., $event]
  ) as [$ip, $event] ({};
    .[$ip] |= (
      .count += 1
      | .userAgent |= set_add($event.userAgent)
      | .user |= set_add($event.user.username)
      | reduce ($event.user.groups[]?) as $group (.; .["user.groups{}"] |= set_add($group))
      | .verb |= set_add($event.verb)
      | .requestURI |= set_add($event.requestURI)
      | .["responseStatus.code"] |= set_add($event.responseStatus.code)
      | .["responseStatus.message"] |= set_add($event.responseStatus.message)
      | .["responseStatus.reason"] |= set_add($event.responseStatus.reason)
      | .["responseStatus.status"] |= set_add($event.responseStatus.status)
    )
  )
| to_entries
| sort_by(.key)[]
| select(.value.count > 5)
| {src_ip: .key, count: .value.count} + (.value | del(.count) | map_values(keys))
