#!/usr/bin/env bash
# Runs the ws-listener benchmarks (their own Maven project, bench/pom.xml; not part of mvn verify); see bench/README.md.
#
# Usage: bench/run.sh [throughput|kafka|feeds|halfopen|reconnect|memory|startup|footprint|spread|stops|bare-context|camel-routes|all] [runs]
#
# runs: rounds (throughput, memory, startup) or trials (halfopen, reconnect); each scenario has its own default.
# Each result is printed and written to bench/results/<scenario>.md (gitignored). Smaller or larger runs through
# environment variables (defaults shown):
#   THROUGHPUT_MESSAGES=1000000 THROUGHPUT_MESSAGES_4K=100000
#   THROUGHPUT_CANDIDATES=     a subset, e.g. "vertx-bare kamelet sink-file" (of vertx-bare kamelet sink-file host-kamelet kamelet-batch sink-file-batch kamelet-camel-meters stock)
#   BENCH_CHILD_ARGS=          JVM options for the measured JVMs, e.g. a JFR recording ({candidate} is replaced,
#                              in footprint {feeds})
#   KAFKA_MESSAGES=1000000 KAFKA_MESSAGES_4K=100000 KAFKA_PARTITIONS=1
#   KAFKA_CANDIDATES=          a subset, e.g. "kafka-bare kamelet-kafka" (of kafka-bare kamelet-kafka sink-kafka kamelet-kafka-no-headers kamelet-kafka-key kamelet-file)
#   HALFOPEN_STOCK_WATCH_SECONDS=30
#   RECONNECT_DOWN_SECONDS=0,5
#   FEEDS=10 FEEDS_MESSAGES=200000                       (messages per feed)
#   MEMORY_MESSAGES=1000000 MEMORY_SIZE=100 MEMORY_DELAY_MS=1 MEMORY_XMX=128m MEMORY_STALL_SECONDS=30 MEMORY_STOCK_SECONDS=120
#     (1,000,000 messages at 1 ms each take about 35 minutes on a busy machine; MEMORY_MESSAGES=200000 about 7)
#   STARTUP_DEMO_RATE=1000
#   FOOTPRINT_FEEDS=0,1000,5000,10000 FOOTPRINT_CLUSTERED_FEEDS=0,10,100,1000   (feed counts, each in a fresh JVM;
#     FOOTPRINT_CLUSTERED_FEEDS= (empty) skips the clustered curve)
#   FOOTPRINT_EXTRA_PROPERTIES=  properties appended to the shipped ones, separated by ';'
#   SPREAD_FEEDS=3000 SPREAD_SESSION_MS=6000
#   STOPS=              a subset of the stops, e.g. "graceful kill" (of graceful short-budget stalled-http stuck-route disk-full kill)
#   CAMEL_ROUTES=1000,2000,4000,8000   (camel-routes: route counts in a bare DefaultCamelContext, a diagnostic)
#   MVN_ARGS=           extra Maven arguments, e.g. -o
set -euo pipefail
cd "$(dirname "$0")/.."

scenario="${1:-all}"
runs="${2:-}"
case "$scenario" in
    throughput|kafka|feeds|halfopen|reconnect|memory|startup|footprint|spread|stops|bare-context|camel-routes|all) ;;
    *) echo "usage: bench/run.sh [throughput|kafka|feeds|halfopen|reconnect|memory|startup|footprint|spread|stops|bare-context|camel-routes|all] [runs]" >&2; exit 2 ;;
esac

# the application as shipped (target/ws-listener.jar, target/lib), then the benchmarks' own build against it
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -DskipTests package >&2
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -f bench/pom.xml compile >&2
cp="$PWD/bench/target/classes:$PWD/target/ws-listener.jar:$PWD/target/ws-listener-tests.jar:$PWD/target/lib/*:$PWD/bench/target/lib/*"
mkdir -p bench/results

run() { java -Dlog4j2.configurationFile=bench/log4j2.properties -cp "$cp" "$@"; }
wanted() { [[ "$scenario" == "$1" || "$scenario" == all ]]; }

# what every result file starts with: when, where, how
header() {
    echo "# $1"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -m | awk '/^Mem:/ {print $2}') MB memory, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- java: $(java -version 2>&1 | head -1)"
    echo "- command: bench/run.sh $scenario ${runs}"
}

if wanted throughput; then
    # shellcheck disable=SC2086
    { header "Throughput as shipped"
      run io.wslistener.bench.ShippedThroughput . "${THROUGHPUT_MESSAGES:-1000000}" 100 "${runs:-3}" ${THROUGHPUT_CANDIDATES:-}
      run io.wslistener.bench.ShippedThroughput . "${THROUGHPUT_MESSAGES_4K:-100000}" 4096 "${runs:-3}" ${THROUGHPUT_CANDIDATES:-}
    } | tee bench/results/throughput.md
fi
if wanted kafka; then
    # the broker (the test suite's KafkaBroker) runs in the harness JVM on Kafka's server classes: bench/target/kafka-lib
    # shellcheck disable=SC2086
    { header "Kafka sink throughput as shipped"
      java -Dlog4j2.configurationFile=bench/log4j2.properties -cp "$cp:$PWD/bench/target/kafka-lib/*" \
          io.wslistener.bench.KafkaThroughput . "${KAFKA_MESSAGES:-1000000}" 100 "${runs:-3}" "${KAFKA_PARTITIONS:-1}" ${KAFKA_CANDIDATES:-}
      java -Dlog4j2.configurationFile=bench/log4j2.properties -cp "$cp:$PWD/bench/target/kafka-lib/*" \
          io.wslistener.bench.KafkaThroughput . "${KAFKA_MESSAGES_4K:-100000}" 4096 "${runs:-3}" "${KAFKA_PARTITIONS:-1}" ${KAFKA_CANDIDATES:-}
    } | tee bench/results/kafka.md
fi
if wanted stops; then
    # shellcheck disable=SC2086
    { header "Exit time per kind of stop, as shipped"
      run io.wslistener.bench.ShippedStops . ${STOPS:-}
    } | tee bench/results/stops.md
fi
if [[ "$scenario" == bare-context ]]; then
    # a diagnostic only, never a headline: the routes in a bare DefaultCamelContext (no camel-main, no properties, no
    # metrics, no management server), which bounds from below what the routing itself costs
    { header "Throughput in a bare CamelContext (diagnostic lower bound, not what ships)"
      run io.wslistener.bench.BenchmarkMain "${THROUGHPUT_MESSAGES:-1000000}" 100 "${runs:-3}"
    } | tee bench/results/bare-context.md
fi
if [[ "$scenario" == camel-routes ]]; then
    # a diagnostic only: Camel alone (no ws-listener), N routes made from a route template and as plain routes, the
    # reproducer of the start-up costs that grow with the square of the route count (BENCHMARKS.md section 7)
    { header "Camel alone: creating and starting N routes (diagnostic)"
      run io.wslistener.bench.CamelRouteScaling "${CAMEL_ROUTES:-1000,2000,4000,8000}" template
      run io.wslistener.bench.CamelRouteScaling "${CAMEL_ROUTES:-1000,2000,4000,8000}" plain
    } | tee bench/results/camel-routes.md
fi
if wanted halfopen; then
    { header "Half-open detection"
      run io.wslistener.bench.HalfOpenBenchmark "${runs:-20}" "${HALFOPEN_STOCK_WATCH_SECONDS:-30}"
    } | tee bench/results/halfopen.md
fi
if wanted reconnect; then
    { header "Reconnect latency"
      run io.wslistener.bench.ReconnectBenchmark "${runs:-10}" "${RECONNECT_DOWN_SECONDS:-0,5}"
    } | tee bench/results/reconnect.md
fi
if wanted memory; then
    { header "Memory as shipped, behind a slow route"
      # the stock route has no backpressure and takes the same 1 ms per message on up to 20 workers: watched for
      # MEMORY_STOCK_SECONDS only
      run io.wslistener.bench.ShippedMemory . "${MEMORY_MESSAGES:-1000000}" "${MEMORY_SIZE:-100}" \
          "${MEMORY_DELAY_MS:-1}" "${MEMORY_XMX:-128m}" "${MEMORY_STALL_SECONDS:-30}" 3600 kamelet
      run io.wslistener.bench.ShippedMemory . "${MEMORY_MESSAGES:-1000000}" "${MEMORY_SIZE:-100}" \
          "${MEMORY_DELAY_MS:-1}" "${MEMORY_XMX:-128m}" "${MEMORY_STALL_SECONDS:-30}" "${MEMORY_STOCK_SECONDS:-120}" stock
    } | tee bench/results/memory.md
fi
if wanted feeds; then
    { header "Many feeds in one JVM"
      run io.wslistener.bench.ManyFeeds . "${FEEDS:-10}" "${FEEDS_MESSAGES:-200000}" 100 "${runs:-2}"
    } | tee bench/results/feeds.md
fi
if wanted startup; then
    { header "Start-up"
      run io.wslistener.bench.StartupBenchmark "${runs:-10}" target/ws-listener.jar "${STARTUP_DEMO_RATE:-1000}"
    } | tee bench/results/startup.md
fi
if wanted footprint; then
    { header "Per-feed footprint"
      run io.wslistener.bench.FeedFootprint "${FOOTPRINT_FEEDS:-0,1000,5000,10000}" plain
      clustered_feeds="${FOOTPRINT_CLUSTERED_FEEDS-0,10,100,1000}"
      if [[ -n "$clustered_feeds" ]]; then
          run io.wslistener.bench.FeedFootprint "$clustered_feeds" clustered
      fi
    } | tee bench/results/footprint.md
fi
if wanted spread; then
    { header "Feeds spread over instances (ZooKeeper)"
      run io.wslistener.bench.SpreadBenchmark "${SPREAD_FEEDS:-3000}" "${SPREAD_SESSION_MS:-6000}"
    } | tee bench/results/spread.md
fi
