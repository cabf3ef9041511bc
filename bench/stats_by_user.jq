# jq translation of the full-scan query
#   `kube_audit` | stats count values(verb) by user.username
# Run as:   jq -n -c -f bench/stats_by_user.jq FILE.json
#
# Equivalences: every event is read (no search filter); events without user.username are
# dropped, as stats drops events missing a BY field; values(verb) is a set kept as object
# keys and returned sorted (`keys`), skipping missing verbs; groups are emitted in
# ascending order of user.username, Splunk's stats output order.
# Difference: output is one JSON object per group, not Splunk's rendering.

def set_add($value): if $value == null then . else .[$value | tostring] = true end;

reduce (inputs | select(.user.username != null)) as $event ({};
    .[$event.user.username | tostring] |= (.count += 1 | .verb |= set_add($event.verb))
  )
| to_entries
| sort_by(.key)[]
| {"user.username": .key, count: .value.count, "values(verb)": (.value.verb // {} | keys)}
