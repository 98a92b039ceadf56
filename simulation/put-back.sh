#!/usr/bin/env bash
# Shows that the real-code simulation catches each of the five sync defects issue #14 found by
# reading the code (and defect 7, found by CI seed 1453): puts one back at a time, in a throwaway git worktree of HEAD (your checkout is
# never touched), builds, and runs the CI's seeds on it. Prints one line per defect: the JSON line
# of the run and the seeds that failed. Usage: [DEFECTS="1 7"] simulation/put-back.sh [seeds, default 2000: the CI run]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. scripts/select-jdk.sh
tt_select_jdk
seeds="${1:-2000}"
work="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$work/tree" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/tree" HEAD
cd "$work/tree"

# defect number | file | the line of the fix | the same line with the fix switched off
put_back() {
  case "$1" in
    1) echo "edge-node/src/main/java/io/tracetrack/edge/sync/SqliteSyncStore.java|if (reply.logPosition() != null && acked > 0) {|if (false && reply.logPosition() != null && acked > 0) {" ;;
    2) echo "central-hub/src/main/java/io/tracetrack/hub/sync/Ingest.java|if (before == null || before.equals(op.fingerprint())) {|if (true || before == null || before.equals(op.fingerprint())) {" ;;
    3) echo "edge-node/src/main/java/io/tracetrack/edge/sync/SqliteSyncStore.java|unreadable.put(changes.size(), entry.type()|if (true) { throw e; } unreadable.put(changes.size(), entry.type()" ;;
    4) echo "central-hub/src/main/java/io/tracetrack/hub/users/UserChanges.java|if (!reachesNow.contains(a)) {|if (false \&\& !reachesNow.contains(a)) {" ;;
    5) echo "central-hub/src/main/java/io/tracetrack/hub/sync/ChangeFeed.java|if (held.isPresent() && from < held.get() - 1) {|if (false \&\& held.isPresent() \&\& from < held.get() - 1) {" ;;
    7) echo "edge-node/src/main/java/io/tracetrack/edge/sync/SqliteSyncStore.java|raiseReplicaSeq(dsl, replicaSeqBefore, replicaSeq, dirty);|dsl.execute(\"update sync_state set replica_seq = ? where id = 1\", replicaSeq);" ;;
  esac
}
titles=("" "a link made at two docks, undone at one, replayed at the other" "a restored backup's reused seqs taken as duplicates"
  "one unreadable change stops a dock's pull" "a user moved to another area still reaches the old area's docks"
  "a prune between the feed's cursor check and its read" ""
  "a pull step ends its own ops' pending without rebasing their bags")
for d in ${DEFECTS:-1 2 3 4 5 7}; do
  git checkout -q -- .
  IFS='|' read -r file fix broken <<<"$(put_back "$d")"
  python3 - "$file" "$fix" "$broken" <<'PY'
import sys
path, fix, broken = sys.argv[1], sys.argv[2], sys.argv[3].replace('\\&', '&')
text = open(path).read()
if fix not in text:
    sys.exit(f"{path}: the fix's line is gone ({fix!r}); update put-back.sh")
open(path, 'w').write(text.replace(fix, broken, 1))
PY
  ./mvnw -q -B -o -pl simulation -am -DskipTests package >"$work/build-$d.log" 2>&1 \
    || ./mvnw -q -B -pl simulation -am -DskipTests package >"$work/build-$d.log" 2>&1
  set +e
  line="$(java --enable-native-access=ALL-UNNAMED -cp simulation/target/simulation.jar io.tracetrack.sim.SimMain \
    --seeds "$seeds" --seed 1 --steps 20 2>"$work/run-$d.err")"
  set -e
  echo "defect $d (${titles[$d]}) put back: $line"
  grep -m1 "seeds failed" "$work/run-$d.err" | sed 's/^/  /' || echo "  NOT CAUGHT in $seeds seeds"
  grep -m1 "violation:" "$work/run-$d.err" | cut -c1-240 || true
done
