#!/usr/bin/env bash
# Codegen benchmark: Courier's Maven plugin beside ascopes' protobuf-maven-plugin with
# protoc-gen-grpc-java, on Google Pub/Sub's protos, whole-process wall time of `mvn -o -q`.
#
#   flock -s /tmp/courier-cpu.lock benchmarks/codegen/run.sh setup     (a build: about a minute)
#   flock -x /tmp/courier-cpu.lock benchmarks/codegen/run.sh [runs]    (default 7 runs per cell)
#
# setup (not timed) installs this checkout's Courier into a private local repository
# (target/m2, filled from ~/.m2 and Central), unpacks the Pub/Sub protos from Central's
# proto-google-cloud-pubsub-v1 jar into two copies of project/, one per side, and builds each once
# online. Run it again after changing Courier. The benchmark then runs, offline, rounds of every
# command on the Courier and the ascopes copy alternately, and prints the median of each cell, the
# ratio Courier/ascopes, and the two goals both as the medians' difference (ratio) and as the
# median of the rounds' differences (ratios). Versions come from project/pom.xml
# only. Set BENCH_COMPILE=1 to add `clean compile` (about 2.5 minutes more).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mode="${1:-7}"
target="$here/target"
repo="$target/m2"
pubsub_version="1.160.0"
mvn_common=(-B -Dstyle.color=never -s "$here/settings.xml" "-Dmaven.repo.local=$repo" "-Dbuilder.m2.url=file://$HOME/.m2/repository")
export MAVEN_OPTS="${MAVEN_OPTS:-}"

setup() {
mkdir -p "$target"
echo "setup: installing Courier from $root into $repo" >&2
mvn "${mvn_common[@]}" -q -ntp -f "$root/pom.xml" -pl plugin -am install -DskipTests -Pfast >&2

for side in courier ascopes; do
  dir="$target/$side"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$here/project/pom.xml" "$dir/pom.xml"
  mvn "${mvn_common[@]}" -q -ntp -f "$dir/pom.xml" dependency:unpack \
    "-Dartifact=com.google.api.grpc:proto-google-cloud-pubsub-v1:$pubsub_version:jar" \
    "-DoutputDirectory=$dir/src/main/proto" -Dmdep.unpack.includes='**/*.proto' >&2
  # One online build per side resolves every plugin and dependency into the private repository.
  mvn "${mvn_common[@]}" -q -ntp -f "$dir/pom.xml" "-P$side" clean compile >&2
done
}

if [[ "$mode" == "setup" ]]; then
  setup
  exit 0
fi
runs="$mode"
if [[ ! -d "$target/courier" || ! -d "$target/ascopes" ]]; then
  echo "run '$0 setup' first (under flock -s /tmp/courier-cpu.lock)" >&2
  exit 2
fi

# Wall time of one offline build in seconds, to the millisecond.
time_one() {
  local side="$1"; shift
  local start end
  start=$(date +%s%N)
  mvn "${mvn_common[@]}" -o -q -f "$target/$side/pom.xml" "-P$side" "$@" >/dev/null
  end=$(date +%s%N)
  echo "scale=3; ($end - $start) / 1000000000" | bc
}

median() {
  sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# Clean first, so that the no-op run after it finds that run's outputs.
commands=("validate" "clean generate-sources" "generate-sources")
if [[ "${BENCH_COMPILE:-0}" == "1" ]]; then
  commands+=("clean compile")
fi

echo
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | sed -n 1p), $(mvn -B -v 2>/dev/null | sed -n 1p | sed -e 's/\x1b\[[0-9;]*m//g' -e 's/ (.*//')"
echo "median wall seconds of $runs rounds; each round runs every command once on each side, alternating sides,"
echo "so the machine's state drifts alike for every cell; Pub/Sub protos (proto-google-cloud-pubsub-v1 $pubsub_version)"
echo
# generate-sources without clean must find the outputs of a previous run: make one.
for side in courier ascopes; do
  mvn "${mvn_common[@]}" -o -q -f "$target/$side/pom.xml" "-P$side" generate-sources >/dev/null
done
declare -A times
for ((i = 0; i < runs; i++)); do
  for cmd in "${commands[@]}"; do
    read -r -a args <<<"$cmd"
    for side in courier ascopes; do
      times["$cmd,$side"]+="$(time_one "$side" "${args[@]}") "
    done
  done
done

printf '| %-34s | %8s | %8s | %6s |\n' "command (mvn -o -q ...)" "Courier" "ascopes" "ratio"
printf '|%s|%s|%s|%s|\n' "------------------------------------" "---------:" "---------:" "-------:"
declare -A med
for cmd in "${commands[@]}"; do
  c=$(printf '%s\n' ${times["$cmd,courier"]} | median)
  a=$(printf '%s\n' ${times["$cmd,ascopes"]} | median)
  med["$cmd,courier"]=$c; med["$cmd,ascopes"]=$a
  printf '| %-34s | %8s | %8s | %5.2f× |\n' "\`$cmd\`" "$c" "$a" "$(echo "scale=4; $c / $a" | bc)"
done

# Per round: Courier's no-op minus its validate of the same round, and Courier's clean run over
# ascopes' of the same round. Their medians take out the drift between rounds that the difference
# (or ratio) of two medians keeps.
paired() {
  local op="$1" x=(${times["$2"]}) y=(${times["$3"]})
  for ((i = 0; i < ${#x[@]}; i++)); do
    echo "scale=4; ${x[$i]} $op ${y[$i]}" | bc
  done | median
}
echo
echo "Courier no-op generate-sources minus Courier validate (goal: <= 0.15 s):"
echo "  difference of the medians $(echo "scale=3; ${med["generate-sources,courier"]} - ${med["validate,courier"]}" | bc) s;" \
  "median of the $runs rounds' differences $(paired - "generate-sources,courier" "validate,courier") s"
echo "Courier/ascopes clean generate-sources (goal: <= 0.9×):"
echo "  ratio of the medians $(echo "scale=3; ${med["clean generate-sources,courier"]} / ${med["clean generate-sources,ascopes"]}" | bc)×;" \
  "median of the $runs rounds' ratios $(paired / "clean generate-sources,courier" "clean generate-sources,ascopes")×"
