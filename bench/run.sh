#!/usr/bin/env bash
# Runs the ws-listener benchmarks (not part of mvn verify). Usage: bench/run.sh [throughput|footprint|all] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-all}"
runs="${2:-5}"
mvn -B -q -DskipTests package test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
mkdir -p bench/results
run() { java -cp "$cp" "$@"; }
if [[ "$scenario" == throughput || "$scenario" == all ]]; then
    run io.wslistener.bench.BenchmarkMain 1000000 100 "$runs" | tee bench/results/throughput-100b.md
    run io.wslistener.bench.BenchmarkMain 100000 4096 "$runs" | tee bench/results/throughput-4k.md
fi
if [[ "$scenario" == footprint || "$scenario" == all ]]; then
    run io.wslistener.bench.FeedFootprint 0,10,100,1000 plain | tee bench/results/footprint-plain.md
    run io.wslistener.bench.FeedFootprint 0,10,100,1000 clustered | tee bench/results/footprint-clustered.md
fi
