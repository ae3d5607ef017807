#!/usr/bin/env bash
# ServerlessVideo entry point: sets the machine up (idempotent, quiet when done) and runs the local host.
#   ./sv demo    classify generated sample videos end to end on Azurite and print their labels
#   ./sv test    run every test (starts and stops its own Azurite on 127.0.0.1)
#   ./sv help    all commands
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${SV_STATE:-$ROOT/.sv}"        # local data: Azurite files, demo videos, work folder (git-ignored)
AZURITE_DIR="$ROOT/build/azurite"
AZURITE_BIN="$AZURITE_DIR/node_modules/.bin/azurite"
CONFIGURATION="${SV_CONFIGURATION:-Release}"
CLI_DLL="$ROOT/src/ServerlessVideo.Cli/bin/$CONFIGURATION/net10.0/sv.dll"
DEFAULT_URL="http://127.0.0.1:7071"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '%s\n' "$*" >&2; }
die() { say "sv: $*"; exit 1; }

# ---------------------------------------------------------------- set-up ---

need_root_for_apt() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root (or sudo) to install: $*"; fi
}

ensure_apt() {
  local missing=()
  command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
  dpkg -s libgtk-3-0 >/dev/null 2>&1 || missing+=(libgtk-3-0)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)   # the results pages' browser tests
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing ${missing[*]} (apt) …"
  need_root_for_apt apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive need_root_for_apt apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_tools() {
  command -v dotnet >/dev/null || die "the .NET SDK is required (https://dot.net)"
  command -v node >/dev/null && command -v npm >/dev/null || die "Node.js and npm are required (for Azurite)"
}

ensure_azurite() {
  local stamp="$AZURITE_DIR/node_modules/.sv-lock.sha"
  local want; want="$(sha256sum "$AZURITE_DIR/package-lock.json" | cut -d' ' -f1)"
  if [ -x "$AZURITE_BIN" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "Installing Azurite from the pinned npm lock …"
  (cd "$AZURITE_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  echo "$want" >"$stamp"
}

# Builds unless nothing under src/, tests/ or the build files changed since the last good build.
build() {
  local log="$STATE/build.log" stamp="$STATE/build.stamp"
  mkdir -p "$STATE"
  if [ -f "$stamp" ] && [ -z "$(cd "$ROOT" && find src tests models Directory.*.props global.json ServerlessVideo.sln \
      \( -name bin -o -name obj -o -name bin-gpu -o -name obj-gpu \) -prune -o -type f -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  if ! dotnet build "$ROOT/ServerlessVideo.sln" -c "$CONFIGURATION" -nologo -v:q -clp:ErrorsOnly >"$log" 2>&1; then
    cat "$log" >&2
    die "build failed (log: $log)"
  fi
  touch "$stamp"
}

# Only the CLI and what it references (bench needs nothing else, and builds are slow on a busy machine); msbuild's
# own incremental check makes a repeat quick.
build_cli() {
  local log="$STATE/build-cli.log"
  mkdir -p "$STATE"
  if ! dotnet build "$ROOT/src/ServerlessVideo.Cli" -c "$CONFIGURATION" -nologo -v:q -clp:ErrorsOnly >"$log" 2>&1; then
    cat "$log" >&2
    die "build failed (log: $log)"
  fi
}

# SV_NO_BUILD=1 uses the build that is there (the tests that drive ./sv itself set it).
setup() { ensure_tools; ensure_apt; ensure_azurite; [ "${SV_NO_BUILD:-}" = 1 ] || build; }

# --------------------------------------------------------------- Azurite ---

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# Waits until something listens on 127.0.0.1:$1: up to 60 s (Azurite has taken longer than 10 s to start here), and
# no longer than process $2, when given, stays alive.
wait_port() {
  local port=$1 pid=${2:-} tries=600
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || return 1
    tries=$((tries - 1)); [ $tries -gt 0 ] || return 1; sleep 0.1
  done
}

# Starts Azurite on free loopback ports with its data in $1; exports the connection string; records the pid.
start_azurite() {
  local data=$1 blob queue table
  blob=$(free_port); queue=$(free_port); table=$(free_port)
  while [ "$queue" = "$blob" ]; do queue=$(free_port); done
  while [ "$table" = "$blob" ] || [ "$table" = "$queue" ]; do table=$(free_port); done
  mkdir -p "$data"
  # --disableTelemetry: Azurite otherwise calls outside addresses. --skipApiVersionCheck: the current SDKs send a
  # newer API version than this Azurite knows. --loose: tolerate headers Azurite does not implement.
  # setsid: a session of its own, so a Ctrl-C meant for the host does not kill storage under it; sv stops it last.
  # SV_AZURITE_DEBUG=FILE logs every request Azurite serves to FILE (to count what a run costs in storage).
  setsid "$AZURITE_BIN" --silent --disableTelemetry --skipApiVersionCheck --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$blob" --queuePort "$queue" --tablePort "$table" \
    --location "$data" ${SV_AZURITE_DEBUG:+--debug "$SV_AZURITE_DEBUG"} >"$data/azurite.log" 2>&1 &
  AZURITE_PID=$!
  echo "$AZURITE_PID" >"$data/azurite.pid"
  for p in "$blob" "$queue" "$table"; do wait_port "$p" "$AZURITE_PID" || { stop_azurite; die "Azurite did not start (log: $data/azurite.log)"; }; done
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export Pipeline__StorageConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
}

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  AZURITE_PID=""
}

# The sv CLI (src/ServerlessVideo.Cli): every command below that is not about setting the machine up.
cli() { [ -f "$CLI_DLL" ] || build; dotnet "$CLI_DLL" "$@"; }

# One owner of .sv/azurite at a time: a second serve or demo would start another Azurite on the same files.
own_local_data() {
  mkdir -p "$STATE"
  exec 9>"$STATE/serve.lock"
  if ! flock -n 9; then
    die "another ./sv serve or demo (pid $(cat "$STATE/serve.pid" 2>/dev/null || echo '?')) is using $STATE/azurite; stop it first (Ctrl-C), or submit to it from this shell with ./sv submit"
  fi
  echo $$ >"$STATE/serve.pid"
}

# The running host's API address, for the CLI commands that talk to it (SV_API overrides).
api_url() { echo "${SV_API:-$(cat "$STATE/api-url" 2>/dev/null || echo "$DEFAULT_URL")}"; }

host_env() {
  export Inference__ModelsPath="${Inference__ModelsPath:-$ROOT/models}"
  export Pipeline__WorkFolder="${Pipeline__WorkFolder:-$STATE/work}"
}

# A long-running worker (serve, and the bench's, which stands for one) compiles each method once, optimised, instead of
# recompiling its hot code in the background for minutes: in ./sv bench's batch the host used about a fifth less CPU,
# for about 0.25 s more at start-up.
worker_env() {
  export DOTNET_TieredCompilation="${DOTNET_TieredCompilation:-0}"
}

# -------------------------------------------------------------- commands ---

cmd_demo() {
  setup
  host_env
  own_local_data
  start_azurite "$STATE/azurite"
  trap stop_azurite EXIT
  cli demo "$@"
}

# Like demo, plus what the bench measures besides this process: Azurite's pid (its CPU time in /proc) and where the
# state folder is (the JSON goes to $STATE/bench/).
cmd_bench() {
  if wants_help "$@"; then cli bench --help; return; fi
  ensure_tools; ensure_apt; ensure_azurite
  [ "${SV_NO_BUILD:-}" = 1 ] || build_cli
  host_env
  worker_env
  own_local_data
  # Storage of its own, empty at every run: the numbers do not depend on how many videos .sv/azurite has seen
  # (Azurite's table queries slow down as its tables grow), and the bench leaves the user's results alone.
  rm -rf "$STATE/bench/azurite"
  start_azurite "$STATE/bench/azurite"
  trap 'stop_azurite; rm -rf "$STATE/bench/azurite"' EXIT
  export SV_AZURITE_PID="$AZURITE_PID" SV_STATE="$STATE"
  cli bench "$@"
}

# The URL the host will listen on: the value of --urls if given, else the default.
serve_url() {
  local url=$DEFAULT_URL
  while [ $# -gt 0 ]; do
    case "$1" in --urls) url=${2:-$url}; shift ;; --urls=*) url=${1#--urls=} ;; esac
    shift
  done
  echo "$url"
}

# Ctrl-C or SIGTERM: the host stops first (it still needs storage to release its leases), Azurite after it. A second
# signal kills the host.
SERVE_SIGNALS=0
stop_host() {
  SERVE_SIGNALS=$((SERVE_SIGNALS + 1))
  if [ "$SERVE_SIGNALS" -eq 1 ]; then
    say "sv: stopping the host (again to force) …"
    kill -TERM "$HOST_PID" 2>/dev/null || true
  else
    say "sv: forcing the host to stop"
    kill -KILL "$HOST_PID" 2>/dev/null || true
  fi
}

end_serve() {
  [ -n "${HOST_PID:-}" ] && kill -KILL "$HOST_PID" 2>/dev/null || true
  stop_azurite
  rm -f "$STATE/connection" "$STATE/api-url" "$STATE/serve.pid" "$STATE/host.pid"
}

cmd_serve() {
  setup
  host_env
  worker_env
  own_local_data
  local url; url=$(serve_url "$@")
  start_azurite "$STATE/azurite"
  trap end_serve EXIT
  echo "$Pipeline__StorageConnectionString" >"$STATE/connection"
  echo "$url" >"$STATE/api-url"
  say "Azurite: $Pipeline__StorageConnectionString"
  say "HTTP API: $url/api/videos   (./sv submit FILE in another shell uploads to container 'videos')"
  # In the background so this shell can forward signals at once; a background job ignores the terminal's SIGINT.
  # dotnet itself, not a subshell running it, so that HOST_PID is the process to signal.
  if printf '%s\n' "$@" | grep -q -- '^--urls'; then dotnet "$CLI_DLL" serve "$@" & else dotnet "$CLI_DLL" serve --urls "$url" "$@" & fi
  HOST_PID=$!
  echo "$HOST_PID" >"$STATE/host.pid"
  trap stop_host INT TERM
  local rc=0
  while :; do
    wait "$HOST_PID" && rc=0 || rc=$?
    kill -0 "$HOST_PID" 2>/dev/null || break
  done
  HOST_PID=""
  return "$rc"
}

cmd_submit() {
  if ! wants_help "$@" && [ -z "${Pipeline__StorageConnectionString:-}" ]; then
    [ -f "$STATE/connection" ] || die "no running host: start ./sv serve first (or set Pipeline__StorageConnectionString)"
    export Pipeline__StorageConnectionString; Pipeline__StorageConnectionString="$(cat "$STATE/connection")"
  fi
  SV_API="$(api_url)" cli submit "$@"
}

wants_help() { for a in "$@"; do case "$a" in -h | --help | -\?) return 0 ;; esac; done; return 1; }

cmd_train() {
  setup
  local train="$ROOT/src/ServerlessVideo.Training/bin/$CONFIGURATION/net10.0/sv-train.dll"
  # Alone it lists the model ids and commands: asked for, so not an error.
  [ $# -ge 1 ] || { dotnet "$train" 2>&1 | sed 's/sv-train/.\/sv train/' || true; exit 0; }
  case "$1" in
    synth-videos) dotnet "$train" "$@" ;;                                   # DIR is the user's, relative to here
    readme | parity | evaluate | open-set | consensus | resnet18-probe) (cd "$ROOT" && dotnet "$train" "$@") ;;  # they read ./models
    -*) die "train: unknown option $1 (./sv train lists the commands)" ;;
    *) dotnet "$train" "$1" "$ROOT/models" "${@:2}" ;;                      # a model id: retrain into models/<id>
  esac
}

# Runs `dotnet test` on $2… (a solution or project, then options) with output in $1 and one summary line.
# Returns non-zero when dotnet test does, when any test failed, or when no test passed.
run_tests() {
  local out=$1 rc=0; shift
  # Minimal verbosity: one summary line per test assembly, and the details of any failure. Under pipefail the
  # pipeline's status is dotnet's unless tee itself fails; `&& … || …` keeps `set -e` from ending the script.
  dotnet test "$@" -c "$CONFIGURATION" --no-build -nologo -v:q --logger "console;verbosity=minimal" 2>&1 | tee "$out" \
    && rc=0 || rc=$?
  # Each test assembly ends with "Failed: a, Passed: b, Skipped: c, Total: d"; add them up.
  local passed failed skipped
  passed=$(sum_of Passed "$out"); failed=$(sum_of Failed "$out"); skipped=$(sum_of Skipped "$out")
  echo "$passed passed, $failed failed, $skipped skipped"
  if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then [ "$rc" -ne 0 ] || rc=1; fi
  return "$rc"
}

sum_of() { grep -oE "$1: +[0-9]+" "$2" | awk '{ s += $2 } END { print s + 0 }'; }

# The gate tests itself: a test made to fail on purpose must make run_tests fail and be counted, or nothing after
# this can be trusted to go red.
check_gate() {
  local out="$STATE/gate-check.log" rc=0
  SV_GATE_SELF_CHECK=1 run_tests "$out" "$ROOT/tests/ServerlessVideo.Gate.Tests" >"$out.summary" && rc=0 || rc=$?
  if [ "$rc" -eq 0 ] || [ "$(sum_of Failed "$out")" -ne 1 ]; then
    cat "$out" "$out.summary" >&2
    die "the test gate is broken: a failing test did not make the run fail (rc $rc)"
  fi
  say "Gate check: a failing test fails the run (rc $rc)."
}

cmd_test() {
  setup
  check_gate
  TEST_DATA="$STATE/test-azurite"
  rm -rf "$TEST_DATA"
  start_azurite "$TEST_DATA"
  trap 'stop_azurite; rm -rf "$TEST_DATA"' EXIT
  export SV_TEST_STORAGE="$Pipeline__StorageConnectionString"
  unset Pipeline__StorageConnectionString
  run_tests "$STATE/test-output.log" "$ROOT/ServerlessVideo.sln" "$@"
}

usage() {
  cat <<'EOF'
usage: ./sv <command> [options]        (./sv <command> --help for a command's options)

set-up and local services (this script):
  demo                 set up, start Azurite, classify generated sample videos, print labels and URLs
  bench [--quick] [--only NAME[,NAME]] [--out FILE]
                       measure the pipeline against ffmpeg and bare ONNX Runtime side by side (batch, inference,
                       long, rss); print the ratios, write JSON to .sv/bench/
  test [OPTIONS]       set up and run every test (unit, orchestration, end-to-end, durability); OPTIONS go to
                       dotnet test (e.g. --filter FullyQualifiedName~FrameExtractor). Exits non-zero if any test fails
  serve [--urls URL]   Azurite + the worker host (durable worker, blob watcher, HTTP API; default http://127.0.0.1:7071)
  train [MODEL-ID|COMMAND]  retrain a built-in model on SynthMotion, or evaluate/open-set/consensus/synth-videos/parity (./sv train lists them)
  setup                install what is missing and build

the sv CLI (talks to the host ./sv serve runs):
  submit PATH... [--wait] [--overwrite]   upload videos (files or folders); print each id and URL
  status ID [--json]   one video: status, labels, each model's answer
  list [--limit N] [--cursor C] [--json]  one page of videos
  check-models         load every model (Inference__ExecutionProvider=cuda tries the GPU); print its provider
  models add MODEL.onnx --preset torchvision/r3d_18 [--id ID] [--labels kinetics-400]
                       add your export with a preset's manifest, checked against the graph
  models list          every model: family, label space, inputs, sampling, preprocessing, provider
  models presets       the presets and the export command each expects
  flow VIDEO [opts]    colour-wheel PNGs of the optical flow the pipeline computes
  write-baseline DIR   the known-answer colour-mean model the tests use
EOF
}

main() {
  local cmd=${1:-help}; shift || true
  case "$cmd" in
    demo) cmd_demo "$@" ;;
    bench) cmd_bench "$@" ;;
    test) cmd_test "$@" ;;
    train) cmd_train "$@" ;;
    serve) if wants_help "$@"; then cli serve --help; else cmd_serve "$@"; fi ;;
    submit) cmd_submit "$@" ;;
    status | list) SV_API="$(api_url)" cli "$cmd" "$@" ;;
    check-models) host_env; cli check-models "$@" ;;
    models) host_env; export Inference__PresetsPath="${Inference__PresetsPath:-$ROOT/models}"; cli models "$@" ;;
    flow) setup; cli flow "$@" ;;
    write-baseline) cli write-baseline "$@" ;;
    setup) setup ;;
    help | -h | --help) usage ;;
    *) say "sv: unknown command '$cmd'"; usage >&2; exit 2 ;;
  esac
}

main "$@"
