#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft) for development and tests, built from Maven Central
# artifacts: no Docker, no tarball download. Needs Java 17+ and Maven.
#
#   infra/kafka/kafka.sh fetch    resolve the broker's jars (lib/) and Kafka's tools (tools/lib/) (cached)
#   infra/kafka/kafka.sh start    fetch the broker, format the storage once, start in the background, wait until ready
#   infra/kafka/kafka.sh wait     wait until the broker accepts connections
#   infra/kafka/kafka.sh stop     stop the broker started by `start`
#   infra/kafka/kafka.sh status   print whether it runs
#   infra/kafka/kafka.sh reset    stop and delete its data
#
# Kafka's own command-line tools (org.apache.kafka:kafka-tools), against KAFKA_BOOTSTRAP:
#   infra/kafka/kafka.sh consume <topic> [options]  print a topic from the beginning: partition, offset,
#                                                   headers (ce_id, ce_type, traceparent, …), key, value
#   infra/kafka/kafka.sh produce <topic> [options]  send stdin lines as messages (key<TAB>value)
#   infra/kafka/kafka.sh groups [options]           consumer groups (default --list; --describe --group G)
#   infra/kafka/kafka.sh topics [options]           topics (default --list; --describe --topic T)
#   infra/kafka/kafka.sh tool <class> [args]        any other tool class, e.g. org.apache.kafka.tools.GetOffsetShell
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_RUN_DIR (infra/kafka/run),
# KAFKA_HEAP (512m), KAFKA_BOOTSTRAP (127.0.0.1:$KAFKA_PORT). With KAFKA_NAMESPACE set, services
# prefix every topic and group with `<namespace>.`: name them so here.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib="$here/lib"
tools_lib="$here/tools/lib"
port=${KAFKA_PORT:-9092}
cport=${KAFKA_CONTROLLER_PORT:-9093}
run=${KAFKA_RUN_DIR:-$here/run}
heap=${KAFKA_HEAP:-512m}
pidfile="$run/kafka.pid"
bootstrap=${KAFKA_BOOTSTRAP:-127.0.0.1:$port}

need() { command -v "$1" >/dev/null 2>&1 || { echo "kafka.sh: '$1' is required ($2)" >&2; exit 3; }; }

# Resolves the runtime jars of a pom into a directory, once per change of the pom.
resolve() {
  local pom=$1 dir=$2 what=$3
  if [ -f "$dir/.complete" ] && [ "$dir/.complete" -nt "$pom" ]; then return 0; fi
  need java "a JDK 17+ runs $what"
  need mvn "Maven resolves $what from Maven Central"
  echo "kafka.sh: resolving $what from Maven Central into $dir" >&2
  rm -rf "$dir"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir" >&2
  touch "$dir/.complete"
}

fetch() { resolve "$here/pom.xml" "$lib" "the Apache Kafka broker"; }
fetch_tools() { resolve "$here/tools/pom.xml" "$tools_lib" "Kafka's command-line tools"; }

# Runs one of Kafka's tools with the bootstrap server set; its log goes to stderr at WARN.
tool() {
  fetch_tools
  local class=$1; shift
  java -Xmx256m -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/tools/log4j2.properties" \
    -cp "$(printf '%s:' "$tools_lib"/*.jar)" "$class" --bootstrap-server "$bootstrap" "$@"
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
  fetch) fetch; fetch_tools ;;
  consume)
    [ -n "${2:-}" ] || { echo "usage: kafka.sh consume <topic> [ConsoleConsumer options]" >&2; exit 2; }
    topic=$2; shift 2
    tool org.apache.kafka.tools.consumer.ConsoleConsumer --topic "$topic" --from-beginning \
      --formatter-property print.partition=true --formatter-property print.offset=true \
      --formatter-property print.headers=true --formatter-property print.key=true "$@" ;;
  produce)
    [ -n "${2:-}" ] || { echo "usage: kafka.sh produce <topic> [ConsoleProducer options]" >&2; exit 2; }
    topic=$2; shift 2
    tool org.apache.kafka.tools.ConsoleProducer --topic "$topic" --reader-property parse.key=true "$@" ;;
  groups) shift; if [ $# -eq 0 ]; then set -- --list; fi; tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand "$@" ;;
  topics) shift; if [ $# -eq 0 ]; then set -- --list; fi; tool org.apache.kafka.tools.TopicCommand "$@" ;;
  tool) shift; [ -n "${1:-}" ] || { echo "usage: kafka.sh tool <class> [args]" >&2; exit 2; }; tool "$@" ;;
  start) start ;;
  wait) wait_ready ;;
  stop) stop ;;
  status) if is_running; then echo "running (pid $(cat "$pidfile"), 127.0.0.1:$port)"; else echo "stopped"; exit 1; fi ;;
  reset) stop; rm -rf "$run" ;;
  *) sed -n '2,22p' "$0"; exit 2 ;;
esac
