#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft) for development and tests, built from Maven Central
# artifacts: no Docker, no tarball download. Needs Java 17+ and Maven.
#
#   infra/kafka/kafka.sh fetch    resolve the broker's jars into infra/kafka/lib (cached)
#   infra/kafka/kafka.sh start    fetch, format the storage once, start in the background, wait until ready
#   infra/kafka/kafka.sh wait     wait until the broker accepts connections
#   infra/kafka/kafka.sh stop     stop the broker started by `start`
#   infra/kafka/kafka.sh status   print whether it runs
#   infra/kafka/kafka.sh reset    stop and delete its data
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_RUN_DIR (infra/kafka/run),
# KAFKA_HEAP (512m).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib="$here/lib"
port=${KAFKA_PORT:-9092}
cport=${KAFKA_CONTROLLER_PORT:-9093}
run=${KAFKA_RUN_DIR:-$here/run}
heap=${KAFKA_HEAP:-512m}
pidfile="$run/kafka.pid"

need() { command -v "$1" >/dev/null 2>&1 || { echo "kafka.sh: '$1' is required ($2)" >&2; exit 3; }; }

fetch() {
  if [ -f "$lib/.complete" ] && [ "$lib/.complete" -nt "$here/pom.xml" ]; then return 0; fi
  need java "a JDK 17+ runs the broker"
  need mvn "Maven resolves the broker from Maven Central"
  echo "kafka.sh: resolving Apache Kafka from Maven Central into $lib" >&2
  rm -rf "$lib"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$lib" >&2
  touch "$lib/.complete"
}

classpath() { printf '%s:' "$lib"/*.jar; }

java_run() {
  java -Xmx"$heap" -Xms128m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$run/logs" \
    -cp "$(classpath)" "$@"
}

write_config() {
  mkdir -p "$run/data" "$run/logs"
  cat > "$run/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$run/data
num.partitions=3
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
default.replication.factor=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=24
log.segment.bytes=16777216
PROPS
}

is_running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

wait_ready() {
  local deadline=$((SECONDS + ${KAFKA_WAIT_SECONDS:-90}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && grep -q "Kafka Server started\|KafkaRaftServer.*started\|\[KafkaRaftServer nodeId=1\] Kafka Server started" "$run/logs/server.log" 2>/dev/null; do
    if ! is_running; then echo "kafka.sh: broker exited; see $run/logs/server.log and $run/stdout.log" >&2; tail -20 "$run/stdout.log" >&2 || true; exit 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "kafka.sh: broker not ready after ${KAFKA_WAIT_SECONDS:-90}s" >&2; exit 1; fi
    sleep 0.5
  done
  echo "kafka.sh: broker ready on 127.0.0.1:$port" >&2
}

start() {
  if is_running; then echo "kafka.sh: already running (pid $(cat "$pidfile"))" >&2; wait_ready; return 0; fi
  fetch
  write_config
  if [ ! -f "$run/data/meta.properties" ]; then
    local id
    id=$(java_run kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    java_run kafka.tools.StorageTool format -t "$id" -c "$run/server.properties" >/dev/null
  fi
  : > "$run/logs/server.log"
  nohup java -Xmx"$heap" -Xms128m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$run/logs" \
    -cp "$(classpath)" kafka.Kafka "$run/server.properties" > "$run/stdout.log" 2>&1 &
  echo $! > "$pidfile"
  wait_ready
}

stop() {
  if ! is_running; then rm -f "$pidfile"; return 0; fi
  local pid; pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; echo "kafka.sh: stopped" >&2; return 0; }; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  wait) wait_ready ;;
  stop) stop ;;
  status) if is_running; then echo "running (pid $(cat "$pidfile"), 127.0.0.1:$port)"; else echo "stopped"; exit 1; fi ;;
  reset) stop; rm -rf "$run" ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
