#!/usr/bin/env bash
# A/B throughput of two Tollgate builds or configs on a noisy machine: both gateways run at once,
# pinned to core 0, and are measured alternately (closed loop, autocannon, 100 connections, 3 s per
# round) with the stand-in upstream and the load generator on core 1; prints each round and the
# medians. Alternating rounds share the machine's slow and fast minutes, which runs minutes apart
# do not.
#
#   bash bench/tools/ab-throughput.sh                     # dist/ against itself (the noise floor)
#   DIST_A=/tmp/old/dist bash bench/tools/ab-throughput.sh  # an older build (git worktree + npm run build)
#   CFG_B=bench/configs/passthrough-access-log.yaml bash bench/tools/ab-throughput.sh
#   KEY=tg-bench-0123456789abcdef0123456789abcdef CFG_A=bench/configs/production.yaml CFG_B=bench/configs/production.yaml ...
#   MODEL=anthropic-standin/claude-sonnet-4-5 CFG_A=bench/configs/translated.yaml CFG_B=bench/configs/translated.yaml ...
#   FLAGS_B="--single-threaded-gc" bash bench/tools/ab-throughput.sh   # Node/V8 flags added to npm start's
#   ENV_B="MALLOC_ARENA_MAX=1" bash bench/tools/ab-throughput.sh        # environment over npm start's
#
# Needs root for nice -20 (drop NICE=0 otherwise) and taskset; traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${ROUNDS:-8}
nice_level=${NICE:--20}
node=node_modules/.bin/node
export BENCH_STREAM_PREFIX=/shape/20x20 BENCH_MANY_STREAMS_PREFIX=/shape/20x100 BENCH_UPSTREAM_URL=http://127.0.0.1:18090
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
nice -n "$nice_level" taskset -c 1 $node bench/upstream.ts --port=18090 > /dev/null 2>&1 &
pids+=($!)
start_gateway() { # $4: extra node flags, $5: extra environment (NAME=value ...)
  env BENCH_DATA_DIR="$(mktemp -d)" BENCH_GATEWAY_PORT="$1" MALLOC_ARENA_MAX=1 ${5:-} nice -n "$nice_level" taskset -c 0 \
    $node --v8-pool-size=1 --max-semi-space-size=8 --heap-growing-percent=60 ${4:-} "$2/cli/main.js" start --config "$3" > /dev/null 2>&1 &
  pids+=($!)
}
start_gateway 18080 "${DIST_A:-dist}" "${CFG_A:-bench/configs/passthrough.yaml}" "${FLAGS_A:-}" "${ENV_A:-}"
start_gateway 18081 "${DIST_B:-dist}" "${CFG_B:-bench/configs/passthrough.yaml}" "${FLAGS_B:-}" "${ENV_B:-}"
sleep 3
body="{\"model\":\"${MODEL:-standin/gpt-4o-mini}\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}"
measure() {
  nice -n "$nice_level" taskset -c 1 node_modules/.bin/autocannon -c 100 -d "$2" -m POST -H content-type=application/json \
    -H "authorization=Bearer ${KEY:-unused}" -b "$body" "http://127.0.0.1:$1/v1/chat/completions" -j 2>/dev/null |
    $node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{const r=JSON.parse(s);console.log(r.non2xx+r.errors>0?"errors":Math.round(r.requests.total/r.duration))})'
}
measure 18080 4 > /dev/null
measure 18081 4 > /dev/null
a_rounds=()
b_rounds=()
for round in $(seq "$rounds"); do
  if (( round % 2 )); then a=$(measure 18080 3); b=$(measure 18081 3); else b=$(measure 18081 3); a=$(measure 18080 3); fi
  a_rounds+=("$a")
  b_rounds+=("$b")
  echo "round $round: A $a req/s, B $b req/s"
done
$node -e '
const [a, b] = process.argv.slice(1).map((list) => list.split(" ").map(Number).sort((x, y) => x - y));
const median = (values) => values[Math.floor(values.length / 2)];
if ([...a, ...b].some(Number.isNaN)) { console.log("a round had errors: no verdict"); process.exit(1); }
console.log(`median A ${median(a)} req/s, B ${median(b)} req/s, B/A ${(median(b) / median(a)).toFixed(3)}`);
' "${a_rounds[*]}" "${b_rounds[*]}"
