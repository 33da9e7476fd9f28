#!/usr/bin/env bash
# Encodes the real player's test video (issue 17): a synthetic source (ffmpeg's testsrc2) as a DASH stream with the
# simulator's bitrate ladder (300, 750, 1200, 1850, 2850, 4300 kbps), 4-second segments, and writes the chunk-size
# files the simulator reads (video_size_0..5, bytes, one line per chunk) from the segment files themselves.
#
#   tools/player/make-media.sh OUT [--segments N] [--frame WxH]
#     --segments N   default 48 segments = 192 s, as the simulator's video
#     --frame WxH    encode every level at one small frame size (tests: ~5x faster to encode; the segments still
#                    follow the ladder's rates, as CBR filler pads them), default: 256x144 .. 854x480 per level
#
# OUT/manifest.mpd, OUT/init-stream<L>.m4s, OUT/chunk-stream<L>-<00001..N>.m4s   the DASH stream (video only)
# OUT/video_size_0..5                                                             N+1 lines each (the shipped tables'
#   convention: 48 chunks + 1; the extra last line repeats chunk N, as RobustMPC only looks one chunk past the end)
# OUT/media.json                                                                  what was encoded, with the ffmpeg version
#
# Sizes are the media segment files (moof+mdat) in bytes, i.e. what the player downloads for a chunk (the init
# segment, under 1 KB per level, is fetched once per level and not counted, as the simulator has none).
# x264 runs in CBR mode with HRD filler (nal-hrd=cbr) so every segment is close to rate x 4 s; one thread per
# encoder and a fixed source make the output deterministic for one ffmpeg build. Installs ffmpeg with apt-get if
# it is missing. Media is never committed: generate it into a folder outside git (or an ignored one).
set -euo pipefail
out="${1:?usage: make-media.sh OUT [--segments N]}"
shift
segments=48
frame=""
while [ $# -gt 0 ]; do
  case "$1" in
    --segments) segments="${2:?--segments needs a number}"; shift 2 ;;
    --frame) frame="${2:?--frame needs WxH}"; shift 2 ;;
    *) echo "make-media.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if ! [[ "$segments" =~ ^[0-9]+$ ]] || [ "$segments" -lt 2 ] || [ "$segments" -gt 48 ]; then
  echo "make-media.sh: --segments must be 2..48 (got $segments)" >&2; exit 2
fi
if ! command -v ffmpeg >/dev/null 2>&1; then
  echo "ffmpeg missing: apt-get install -y ffmpeg" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq ffmpeg >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq ffmpeg; }
fi

ladder=(300 750 1200 1850 2850 4300)
sizes=(256x144 426x240 640x360 640x360 854x480 854x480)
source=854x480
if [ -n "$frame" ]; then
  if ! [[ "$frame" =~ ^[0-9]+x[0-9]+$ ]]; then
    echo "make-media.sh: --frame must be WxH, e.g. 256x144 (got $frame)" >&2; exit 2
  fi
  sizes=("$frame" "$frame" "$frame" "$frame" "$frame" "$frame")
  source=$frame
fi
fps=24
gop=$((fps * 4))
duration=$((segments * 4))
mkdir -p "$out"
rm -f "$out"/*.m4s "$out"/manifest.mpd "$out"/video_size_*

args=(-hide_banner -loglevel error -y -threads 1 -f lavfi -i "testsrc2=size=$source:rate=$fps:duration=$duration")
filter="[0:v]split=6[s0][s1][s2][s3][s4][s5]"
for l in 0 1 2 3 4 5; do filter="$filter;[s$l]scale=${sizes[$l]}:flags=bicubic[v$l]"; done
args+=(-filter_complex "$filter" -filter_complex_threads 1)
for l in 0 1 2 3 4 5; do
  r=${ladder[$l]}
  args+=(-map "[v$l]" "-c:v:$l" libx264 "-b:v:$l" "${r}k" "-minrate:v:$l" "${r}k" "-maxrate:v:$l" "${r}k" "-bufsize:v:$l" "$((r * 2))k")
done
args+=(-preset veryfast -profile:v main -pix_fmt yuv420p -threads 1 -g $gop -keyint_min $gop -sc_threshold 0
       -x264-params "nal-hrd=cbr:force-cfr=1:threads=1:lookahead-threads=1" -bitexact -flags +bitexact
       -f dash -seg_duration 4 -use_template 1 -use_timeline 0 -single_file 0 -adaptation_sets "id=0,streams=v"
       -init_seg_name 'init-stream$RepresentationID$.m4s' -media_seg_name 'chunk-stream$RepresentationID$-$Number%05d$.m4s'
       "$out/manifest.mpd")
start=$(date +%s)
ffmpeg "${args[@]}"
elapsed=$(( $(date +%s) - start ))

for l in 0 1 2 3 4 5; do
  f="$out/video_size_$l"
  : > "$f"
  last=0
  for i in $(seq 1 "$segments"); do
    seg=$(printf '%s/chunk-stream%d-%05d.m4s' "$out" "$l" "$i")
    [ -f "$seg" ] || { echo "make-media.sh: missing segment $seg" >&2; exit 1; }
    last=$(stat -c %s "$seg")
    echo "$last" >> "$f"
  done
  echo "$last" >> "$f"
  got=$(ls "$out"/chunk-stream$l-*.m4s | wc -l)
  [ "$got" -eq "$segments" ] || { echo "make-media.sh: level $l has $got segments, expected $segments" >&2; exit 1; }
done
version=$(ffmpeg -version | head -n 1)
total=$(du -sb "$out" | cut -f1)
cat > "$out/media.json" <<JSON
{"segments": $segments, "segment_seconds": 4, "ladder_kbps": [300, 750, 1200, 1850, 2850, 4300], "fps": $fps, "frame": "${frame:-per level}", "encoder": "$version", "bytes": $total, "encode_seconds": $elapsed}
JSON
echo "wrote $out: $segments segments x 6 levels, $total bytes, ${elapsed}s"
