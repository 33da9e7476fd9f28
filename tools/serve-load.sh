#!/usr/bin/env bash
# Load measurement of `netllm serve` (issue 17): N concurrent playback sessions, each posting whole 48-chunk episodes
# back to back (no think time: the worst case; a real player asks once per 4 s chunk).
#
#   tools/serve-load.sh POLICY [N ...]          (default N: 1 2 4 8 16 32 64)
#
# POLICY is a baseline id (abr.bba, abr.mpc) or an adapted run directory. The requests replay one simulator episode
# (BBA on the first fcc-test trace of tests/fixtures, video1), built from `netllm test`'s result file the way the
# equivalence tests build them; every session posts the same reports. Environment: NETLLM (the CLI; default: the
# Release build of this checkout), THREADS (torch threads of the server, default 1), EPISODES (episodes per session,
# default 2), SEED (default 1).
# Prints one line per N: decisions, decisions/s, the server's decision time (decision_ms of every response: the
# policy's Observe+Act), the p99 of the wait for the inference lock (wait_ms; adapted runs), and the client's round
# trip (HTTP included), p50 / p99 / max in ms. The first requests of a run include JIT and first-pass warm-up. The client is one
# Python process on the same machine, so it takes part of the 2 cores too.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
policy="${1:?usage: tools/serve-load.sh POLICY [N ...]}"
shift
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(1 2 4 8 16 32 64)
netllm="${NETLLM:-$here/core/NetLlm.Cli/bin/Release/net10.0/netllm}"
threads="${THREADS:-1}"
episodes="${EPISODES:-2}"
seed="${SEED:-1}"
traces="$here/tests/fixtures/data/abr/traces/test/fcc-test"
video="$here/tests/fixtures/data/abr/videos/video1_sizes"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$netllm" test --task abr --policy abr.bba --traces "$traces" --video "$video" --deterministic --trace-count 1 \
  --out "$work/results" --progress none --threads 1 >/dev/null
result="$(ls "$work"/results/result_sim_abr_* | head -1)"

max=0
for n in "${counts[@]}"; do [ "$n" -gt "$max" ] && max="$n"; done
"$netllm" serve --task abr --policy "$policy" --video "$video" --threads "$threads" --seed "$seed" --max-sessions "$max" \
  >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1 600); do
  grep -q '^listening on ' "$work/serve.out" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$work/serve.out" | head -1)"
echo "policy $policy, server threads $threads, $episodes episodes per session, $(nproc) cores, $url" >&2

python3 - "$url" "$result" "$video" "$episodes" "${counts[@]}" <<'PY'
import http.client, json, sys, threading, time, urllib.parse

url, result, video, episodes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
counts = [int(n) for n in sys.argv[5:]]
ladder = [300, 750, 1200, 1850, 2850, 4300]
sizes = [[int(l) for l in open(f"{video}/video_size_{q}") if l.strip()] for q in range(6)]
rows = [l.rstrip("\n").split("\t") for l in open(result) if l.strip()]
requests = []
for k, r in enumerate(rows):
    requests.append(json.dumps({
        "chunk_index": k, "quality": ladder.index(int(r[1])), "chunk_bytes": int(r[4]), "download_ms": float(r[5]),
        "buffer_s": float(r[2]), "rebuffer_s": float(r[3]),
        "next_chunk_bytes": [sizes[q][k + 1] if k < 47 else 0 for q in range(6)], "chunks_remaining": 47 - k}))
host = urllib.parse.urlparse(url)

def pct(values, p):
    s = sorted(values)
    return s[max(0, min(len(s) - 1, -(-int(p * len(s) * 1000) // 1000) - 1))] if s else float("nan")

def session(out, errors):
    c = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
    try:
        for _ in range(episodes):
            c.request("POST", "/v1/sessions", "{}", {"Content-Type": "application/json"})
            r = c.getresponse(); body = json.loads(r.read())
            if r.status != 201: errors.append(f"open {r.status} {body}"); return
            sid = body["session"]
            for req in requests:
                t = time.perf_counter()
                c.request("POST", f"/v1/sessions/{sid}/decisions", req, {"Content-Type": "application/json"})
                r = c.getresponse(); body = json.loads(r.read())
                rtt = (time.perf_counter() - t) * 1000
                if r.status != 200: errors.append(f"decide {r.status} {body}"); return
                out.append((body["decision_ms"], rtt, body["wait_ms"]))
            c.request("DELETE", f"/v1/sessions/{sid}"); r = c.getresponse(); r.read()
            if r.status != 204: errors.append(f"delete {r.status}"); return
    finally:
        c.close()

print(f"{'N':>4} {'decisions':>9} {'dec/s':>8} {'decide p50':>10} {'p99':>8} {'max':>8} {'wait p99':>8} {'rtt p50':>8} {'p99':>8} {'max':>8}  errors")
for n in counts:
    outs, errors = [[] for _ in range(n)], []
    threads = [threading.Thread(target=session, args=(outs[i], errors)) for i in range(n)]
    start = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.perf_counter() - start
    samples = [s for o in outs for s in o]
    server, rtt, wait = [s[0] for s in samples], [s[1] for s in samples], [s[2] for s in samples]
    print(f"{n:>4} {len(samples):>9} {len(samples) / wall:>8.0f} {pct(server, .5):>10.3f} {pct(server, .99):>8.3f} {max(server):>8.3f} {pct(wait, .99):>8.3f} "
          f"{pct(rtt, .5):>8.3f} {pct(rtt, .99):>8.3f} {max(rtt):>8.3f}  {len(errors)}{' ' + errors[0] if errors else ''}", flush=True)
PY

kill -TERM "$server"
wait "$server" && code=0 || code=$?
echo "server exit code $code; $(grep '^stopped' "$work/serve.err" || true)" >&2
exit "$code"
