#!/usr/bin/env sh
# Regenerates the seed corpora under fuzz/corpus/<target>/ from the repository's test data
# (ESCU detections and macros, attack data, conformance cases). The corpus folders are not
# committed; run this before the first `cargo fuzz run`.
#
# Usage: fuzz/seed.sh            (from anywhere inside the repository)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
exec python3 - "$root" <<'PY'
import gzip, hashlib, json, os, re, sys

root = sys.argv[1]
corpus = os.path.join(root, "fuzz", "corpus")
counts = {}

def save(target, text):
    if not text or len(text.encode()) > 64 * 1024:
        return
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    data = text.encode()
    name = hashlib.sha1(data).hexdigest()
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[target] = counts.get(target, 0) + 1

def save_bytes(target, data):
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[target] = counts.get(target, 0) + 1

def zstd_frame(text):
    """One zstd frame written by hand: raw blocks of at most 128 KiB, no checksum."""
    frame = bytearray(b"\x28\xb5\x2f\xfd\x00\x38")
    chunks = [text[i:i + 131072] for i in range(0, len(text), 131072)] or [b""]
    for index, chunk in enumerate(chunks):
        last = 1 if index == len(chunks) - 1 else 0
        frame += (last | (len(chunk) << 3)).to_bytes(3, "little") + chunk
    return bytes(frame)

def files(folder, suffixes):
    for base, _, names in os.walk(os.path.join(root, folder)):
        for name in sorted(names):
            if name.endswith(suffixes):
                yield os.path.join(base, name)

def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()

try:
    import yaml
except ImportError:
    yaml = None

def yaml_field(text, key):
    """The value of a top-level `key:`, with PyYAML when present, else a crude single-line read."""
    if yaml is not None:
        try:
            document = yaml.safe_load(text)
        except Exception:
            return None
        value = document.get(key) if isinstance(document, dict) else None
        return value if isinstance(value, str) else None
    match = re.search(r"^%s:\s*(.+)$" % key, text, re.M)
    return match.group(1).strip("'\"") if match else None

searches = []
for path in files("testdata/escu-corpus/detections", (".yml", ".yaml")):
    text = read(path)
    save("yaml_detection", text)
    search = yaml_field(text, "search")
    if search:
        searches.append(search)
for path in files("testdata/escu-corpus/macros", (".yml", ".yaml")):
    text = read(path)
    save("yaml_detection", text)
    definition = yaml_field(text, "definition")
    if definition:
        searches.append(definition)

# Conformance cases: `spl` and `events` sections.
for path in files("testdata/conformance", (".splt",)):
    section = None
    for line in read(path).splitlines():
        if line in ("events", "spl", "expect"):
            section = line
            continue
        if line.startswith("#") or not line.strip():
            continue
        if section == "spl":
            searches.append(line)
        elif section == "events":
            save("json_event", line)

for search in searches:
    save("parse_pipeline", search)
    save("macro_expand", search)
    for match in re.finditer(r"\beval\s+[\w.{}]+\s*=\s*([^|]+)", search):
        save("eval_expr", match.group(1).strip())
    for match in re.finditer(r"\b(?:match|replace)\(\s*[^,()]+,\s*\"((?:[^\"\\]|\\.)*)\"", search):
        save("regex", match.group(1).replace('\\"', '"').replace("\\\\", "\\"))

# JSON events: every line of the shipped event files.
for folder in ("testdata/attack_data", "testdata/detections", "testdata/geoip"):
    for path in files(folder, (".json", ".log")):
        for line in read(path).splitlines():
            if line.strip():
                save("json_event", line)

# A few hand-written inputs per target that the test data does not cover.
for text in ["`self_loop`", "`ping`", "`bomb`", "`wrap(a, b)`", "`again(1)`", "```c``` `quoted`"]:
    save("macro_expand", text)
for text in ['{"a":[[[[1]]]]}', '{"a":"\\ud83d\\ude00"}', '{"a":1e400}', '[1,2]', '{"a":{"a":1},"a":2}']:
    save("json_event", text)
for text in ['if(a>1, "x", "y")', 'mvindex(multi, -1)', 'strftime(now(), "%Y")', 'a/0', 'tonumber("0x1F", 16)']:
    save("eval_expr", text)
for text in ["(a+)+$", "(?i)^get", "\\d{1,3}(\\.\\d{1,3}){3}", "(?<n>a)\\k<n>", "[[:alpha:]]"]:
    save("regex", text)

# Compressed event files for `decompress`: gzip (one and two members, trailing zeros and
# garbage), zstd (hand-written frames, a skippable frame, one frame from the zstd tool).
events = b'{"user":"amy","verb":"get"}\n{"user":"bob","verb":"list"}\n'
zstd_tool_frame = bytes.fromhex(
    "28b52ffd2458b50100f2420a10b0eb046d05c321511b4e1e586806498cb7bebe5cdc5a132979f2d6fa"
    "6174a22f0333138c464fca2d03005c2903f6e08be904d27b4574")
for data in [
    gzip.compress(events),
    gzip.compress(events) + gzip.compress(events),
    gzip.compress(events) + b"\0" * 16,
    gzip.compress(events) + b"junk",
    zstd_frame(events),
    zstd_frame(events) + b"\x50\x2a\x4d\x18\x03\x00\x00\x00abc" + zstd_frame(b""),
    zstd_frame(events) + b"\0" * 16,
    zstd_tool_frame,
    events,
]:
    save_bytes("decompress", data)

# `json_projection`: every `json_event` seed behind a first byte that picks a selection (the
# low five bits, varied by the seed's hash) and the deepest depth limit (the top three bits).
json_event_folder = os.path.join(corpus, "json_event")
for name in sorted(os.listdir(json_event_folder)) if os.path.isdir(json_event_folder) else []:
    with open(os.path.join(json_event_folder, name), "rb") as f:
        data = f.read()
    save_bytes("json_projection", bytes([0xE0 | (hashlib.sha1(data).digest()[0] & 0x1F)]) + data)

for target in sorted(counts):
    print(f"{target}: {counts[target]} new seeds")
PY
