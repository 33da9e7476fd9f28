#!/usr/bin/env python3
"""Generates the data manifests of the shipped task plugins (`Data/data-manifest.tsv` in each), the files
`netllm data check` verifies and `netllm data fetch` downloads for a task.

Usage (from the repository root):
    python3 tools/generate_data_manifest.py [DATA_ROOT]

DATA_ROOT defaults to ../shared/data next to the repository: a complete data root whose files are
byte-identical copies of the public sources. The script walks it, records every file's size and SHA-256,
assigns each file to its source with the RULES below (the first matching rule wins; a file no rule
matches is an error, so nothing is classified silently) and writes one manifest per top-level folder to
the task plugin named in OUTPUTS. Re-run it whenever the data root changes and commit the regenerated
files. The format is documented in core/NetLlm.Core/Data/DataManifest.cs. Standard library only.
"""
import fnmatch
import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# Top-level folder of the data root -> the manifest of the task plugin that owns it.
OUTPUTS = {
    "abr": "plugins/tasks/NetLlm.Tasks.AdaptiveBitrate/Data/data-manifest.tsv",
    "cjs": "plugins/tasks/NetLlm.Tasks.JobScheduling/Data/data-manifest.tsv",
    "vp": "plugins/tasks/NetLlm.Tasks.ViewportPrediction/Data/data-manifest.tsv",
}

# Public sources: name, base URL (raw files at a pinned commit), licence note.
SOURCES = [
    ("netllm", "https://raw.githubusercontent.com/duowuyms/NetLLM/105bcf070f2bec808f7b14f8f5a953de6e4e6e54/",
     "github.com/duowuyms/NetLLM @ 105bcf0, MIT (c) 2024 NetLLM Project"),
    ("genet", "https://raw.githubusercontent.com/GenetProject/Genet/5d4303bf7d817136889120eab87f05e22066add3/",
     "github.com/GenetProject/Genet @ 5d4303b, no licence file: research data, cite Genet (SIGCOMM 2022)"),
]

# (pattern under the data root, source, upstream prefix or origin note). Patterns use fnmatch ('*' crosses '/').
# Curated files are produced by this project's data curation (format conversions and notes); they are not in
# the public repositories and only come from a mirror (--source-base).
RULES = [
    ("*/README.md", "curated", "data notes of the data root (abr, cjs, vp and abr/models)"),
    ("abr/traces/test/fcc-test_mahimahi_ptrs.json", "curated", "abr/traces/test/fcc-test/mahimahi_ptrs.pkl as a JSON list"),
    ("abr/models/*/actor.safetensors", "curated", "actor tensors exported from the TF1 checkpoint next to it (see abr/models/README.md)"),
    ("cjs/tpch_json/*", "curated", "cjs/tpch/*.npy converted to JSON (see cjs/README.md)"),
    ("cjs/models/decima/model_state_dict.json", "curated", "cjs/models/decima/model.pt as JSON (see cjs/README.md)"),
    ("abr/traces/*", "netllm", "adaptive_bitrate_streaming/data/traces/"),
    ("abr/videos/*", "netllm", "adaptive_bitrate_streaming/data/videos/"),
    ("abr/models/*", "netllm", "adaptive_bitrate_streaming/data/all_models/"),
    ("abr/extra_genet/traces/synthetic_test/*", "genet", "fig_reproduce/data/synthetic_test/"),
    ("abr/extra_genet/traces/norway_train/*", "genet", "abr_trace/training_trace/norway_train/"),
    ("abr/extra_genet/videos/synthetic_video_sizes/*", "genet", "fig_reproduce/data/video_sizes/"),
    ("cjs/tpch/*", "netllm", "cluster_job_scheduling/data/tpch/"),
    ("cjs/models/decima/model.pt", "netllm", "cluster_job_scheduling/models/decima/model.pt"),
    ("vp/viewports/*", "netllm", "viewport_prediction/data/viewports/"),
]

# Where the data-root prefix of a public rule ends (the rest of the path is appended to the upstream prefix).
def local_prefix(pattern):
    return pattern[:-1] if pattern.endswith("*") else pattern


def classify(path):
    for pattern, source, target in RULES:
        if fnmatch.fnmatchcase(path, pattern):
            return pattern, source, target
    raise SystemExit(f"error: no rule for {path}; add one to RULES in {__file__}")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared", "data")
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        raise SystemExit(f"error: data root not found: {root}")
    files = []
    for directory, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            full = os.path.join(directory, name)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if "\t" in rel or "\n" in rel:
                raise SystemExit(f"error: unsupported character in file name: {rel!r}")
            files.append(rel)
    files.sort()
    used_rules = set()
    for dataset, output in OUTPUTS.items():
        mine = [rel for rel in files if rel.split("/")[0] == dataset]
        if not mine:
            raise SystemExit(f"error: no files under {dataset}/ in {root}")
        classified = [(rel,) + classify(rel) for rel in mine]
        used_rules.update(pattern for _, pattern, _, _ in classified)
        sources = {source for _, _, source, _ in classified if source != "curated"}
        lines = [f"# Data manifest of the {dataset}/ folder of a data root ({len(mine)} files). Generated by tools/generate_data_manifest.py; do not edit by hand."]
        for name, url, note in SOURCES:
            if name in sources:
                lines.append(f"source\t{name}\t{url}\t{note}")
        for pattern, source, target in RULES:
            if source != "curated" and pattern.split("/")[0] == dataset:
                lines.append(f"map\t{source}\t{local_prefix(pattern)}\t{target}")
        for rel, pattern, source, target in classified:
            size = os.path.getsize(os.path.join(root, rel))
            line = f"file\t{rel}\t{size}\t{sha256(os.path.join(root, rel))}\t{source}"
            lines.append(line + f"\t{target}" if source == "curated" else line)
        path = os.path.join(REPO, output)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        print(f"wrote {output}: {len(mine)} files")
    unclaimed = [rel for rel in files if rel.split("/")[0] not in OUTPUTS]
    if unclaimed:
        raise SystemExit(f"error: files outside {sorted(OUTPUTS)}: {unclaimed[:5]}")
    unused = [p for p, _, _ in RULES if p not in used_rules]
    if unused:
        raise SystemExit(f"error: rules that match no file (stale?): {unused}")


if __name__ == "__main__":
    main()
