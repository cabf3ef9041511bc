//! Reading events from files: NDJSON and JSON arrays, plain or compressed, files or
//! directories; malformed input is reported with file and line, never dropped silently.
