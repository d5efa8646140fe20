#!/usr/bin/env bash
# Starts a Flink 1.19 session cluster on this machine from Maven Central artifacts: one JobManager
# and N TaskManagers, every socket on 127.0.0.1. Waits until all TaskManagers are registered, then
# prints the REST address (HOST:PORT, what `specus preprocess --flink-master` takes) on stdout.
#
# Usage: start-cluster.sh [--taskmanagers N] [--workdir DIR] [--config FILE] [--ports auto]
#   --taskmanagers N  TaskManagers to start (default 2), each with the slots config.yaml gives
#   --workdir DIR     where the effective configuration, logs, temporary files and the PID list go
#                     (default: work/ beside this script); stop-cluster.sh takes the same --workdir
#   --config FILE     the cluster configuration (default: config.yaml beside this script)
#   --ports auto      pick free ports for the REST endpoint and the JobManager's RPC instead of the
#                     ones in the configuration (for tests and for several clusters on one machine)
#
# Needs Java 17 and either the Specus Maven wrapper (../../mvnw) or `mvn` on the PATH; the
# first run downloads ~70 MB of jars into ~/.m2. Stop the cluster with stop-cluster.sh, which ends
# exactly the processes listed in DIR/pids.
# Exit codes: 0 up; 1 the cluster did not come up (its processes are stopped again); 2 bad usage;
# 3 this machine cannot start a cluster at all (no java, the jars cannot be resolved).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

taskmanagers=2
workdir="$here/work"
config="$here/config.yaml"
ports=config
while [ $# -gt 0 ]; do
  case "$1" in
    --taskmanagers) taskmanagers="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --config) config="$2"; shift 2 ;;
    --ports) ports="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "start-cluster.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$taskmanagers" =~ ^[1-9][0-9]*$ ]] || { echo "start-cluster.sh: --taskmanagers must be a positive number, got '$taskmanagers'" >&2; exit 2; }
[ -f "$config" ] || { echo "start-cluster.sh: $config: no such configuration file" >&2; exit 2; }
[ "$ports" = config ] || [ "$ports" = auto ] || { echo "start-cluster.sh: --ports takes 'auto', got '$ports'" >&2; exit 2; }

say() { echo "start-cluster.sh: $*" >&2; }

http_get() { # http_get HOST:PORT PATH: the response body, or nothing if nobody answers (curl if present, else bash)
  if command -v curl >/dev/null; then curl -s --max-time 2 "http://$1$2" || true; return; fi
  ( exec 3<>"/dev/tcp/${1%:*}/${1##*:}" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$2" "$1" >&3
    timeout 2 cat <&3 | sed '1,/^\r$/d' ) 2>/dev/null
}

mkdir -p "$workdir"
workdir="$(cd "$workdir" && pwd)"
pids_file="$workdir/pids"
if [ -s "$pids_file" ]; then
  while read -r _role pid; do
    if kill -0 "$pid" 2>/dev/null; then
      say "a cluster started from $workdir is still running (pid $pid); run stop-cluster.sh --workdir $workdir first"
      exit 1
    fi
  done < "$pids_file"
fi
: > "$pids_file"

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$java" >/dev/null || { say "java not found (set JAVA_HOME or put java 17 on the PATH)"; exit 3; }

# --- The classpath, resolved once per change of pom.xml and shared by every work directory ---
classpath_file="$here/target/classpath.txt"
if [ ! -s "$classpath_file" ] || [ "$here/pom.xml" -nt "$classpath_file" ]; then
  if [ -x "$here/../../mvnw" ]; then mvn=("$here/../../mvnw"); elif command -v mvn >/dev/null; then mvn=(mvn); else
    say "neither ../../mvnw nor mvn found: cannot resolve the Flink jars"; exit 3
  fi
  say "resolving the Flink 1.19 jars through Maven..."
  mkdir -p "$here/target"
  tmp_cp="$classpath_file.$$"
  if ! "${mvn[@]}" -q -B -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$tmp_cp" >"$workdir/maven.log" 2>&1; then
    say "Maven could not resolve the Flink jars; see $workdir/maven.log"; tail -5 "$workdir/maven.log" >&2; exit 3
  fi
  mv "$tmp_cp" "$classpath_file"
fi
classpath="$(cat "$classpath_file")"

# --- Ports ---
free_port() {
  # A port nobody listens on; the JVM binds it a second later, so a clash is possible but unlikely.
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}
config_value() { sed -n "s/^$1:[[:space:]]*//p" "$config" | tail -1; }
if [ "$ports" = auto ]; then
  rest_port=$(free_port); rpc_port=$(free_port)
  while [ "$rpc_port" = "$rest_port" ]; do rpc_port=$(free_port); done
else
  rest_port=$(config_value rest.port); rest_port=${rest_port:-8081}
  rpc_port=$(config_value jobmanager.rpc.port); rpc_port=${rpc_port:-6123}
fi
rest_host=$(config_value rest.address); rest_host=${rest_host:-127.0.0.1}
rest="$rest_host:$rest_port"
if [ -n "$(http_get "$rest" /overview)" ]; then
  say "something already answers on $rest; stop it or use --ports auto"; exit 1
fi

# --- The effective configuration: the given file with this cluster's ports and directories ---
conf="$workdir/conf"
mkdir -p "$conf" "$workdir/plugins" "$workdir/log" "$workdir/tmp" "$workdir/web-tmp" "$workdir/web-upload"
grep -v -E '^(rest\.port|jobmanager\.rpc\.port|io\.tmp\.dirs|web\.tmpdir|web\.upload\.dir):' "$config" > "$conf/config.yaml"
cat >> "$conf/config.yaml" <<EOF

# --- Set by start-cluster.sh for this work directory ---
rest.port: $rest_port
jobmanager.rpc.port: $rpc_port
io.tmp.dirs: $workdir/tmp
web.tmpdir: $workdir/web-tmp
web.upload.dir: $workdir/web-upload
EOF
cp "$here/log4j.properties" "$conf/log4j.properties"

# Flink's own scripts pass env.java.opts.all to every JVM (on Java 17: the --add-opens list).
read -r -a java_opts <<< "$(config_value env.java.opts.all)"

# BashJavaUtils turns the memory settings into JVM flags (line 1) and -D properties (line 2), as
# Flink's scripts do.
resource_params() {
  local out
  out=$("$java" -cp "$classpath" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$conf" 2>"$workdir/log/bash-java-utils.err") || {
    say "cannot compute the memory settings ($1):"; cat "$workdir/log/bash-java-utils.err" >&2; return 1; }
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<< "$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

# Stops what this run started if it cannot finish starting.
started=()
abort() {
  say "$1"
  for f in "$workdir"/log/*.log; do [ -f "$f" ] && { echo "--- $f" >&2; grep -E 'ERROR|Exception' "$f" | tail -5 >&2 || true; }; done
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  exit 1
}

launch() { # launch ROLE MAIN-CLASS JVM-PARAMS DYNAMIC-CONFIGS [extra -D ...]
  local role=$1 main=$2 jvm_params=$3 dynamic=$4; shift 4
  local jvm dyn
  read -r -a jvm <<< "$jvm_params"
  read -r -a dyn <<< "$dynamic"
  # The subshell execs java, so $! is the JVM's PID; its working directory is the work directory.
  (cd "$workdir" && FLINK_PLUGINS_DIR="$workdir/plugins" exec nohup "$java" "${jvm[@]}" "${java_opts[@]}" \
    -Dlog.file="$workdir/log/$role.log" -Dlog4j.configurationFile="file:$conf/log4j.properties" \
    -cp "$classpath" "$main" --configDir "$conf" "${dyn[@]}" "$@" \
    >"$workdir/log/$role.out" 2>&1 < /dev/null) &
  local pid=$!
  started+=("$pid")
  echo "$role $pid" >> "$pids_file"
}

jm_out=$(resource_params GET_JM_RESOURCE_PARAMS) || exit 1
mapfile -t jm_params <<< "$jm_out"
launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "${jm_params[0]}" "${jm_params[1]:-}"

deadline=$(( SECONDS + 90 ))
until [ -n "$(http_get "$rest" /overview)" ]; do
  [ $SECONDS -lt $deadline ] || abort "the JobManager's REST endpoint did not come up at $rest within 90 s"
  kill -0 "${started[0]}" 2>/dev/null || abort "the JobManager exited; see $workdir/log/jobmanager.log and .out"
  sleep 0.5
done

tm_out=$(resource_params GET_TM_RESOURCE_PARAMS) || abort "cannot start TaskManagers"
mapfile -t tm_params <<< "$tm_out"
for i in $(seq 1 "$taskmanagers"); do
  # A readable resource id, so the REST API's TaskManager ids map to the PIDs in DIR/pids.
  launch "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner "${tm_params[0]}" "${tm_params[1]:-}" \
    -D "taskmanager.resource-id=taskmanager-$i"
done

deadline=$(( SECONDS + 120 ))
while :; do
  registered=$(http_get "$rest" /overview | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p')
  [ "${registered:-0}" -ge "$taskmanagers" ] && break
  [ $SECONDS -lt $deadline ] || abort "only ${registered:-0} of $taskmanagers TaskManagers registered within 120 s"
  for pid in "${started[@]}"; do kill -0 "$pid" 2>/dev/null || abort "a cluster process ($pid) exited; see $workdir/log/"; done
  sleep 0.5
done

echo "$rest" > "$workdir/rest-address"
say "Flink cluster up: $taskmanagers TaskManager(s), web UI and REST at http://$rest, logs in $workdir/log"
say "stop it with: $here/stop-cluster.sh --workdir $workdir"
echo "$rest"
