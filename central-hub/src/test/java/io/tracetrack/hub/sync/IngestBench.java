package io.tracetrack.hub.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tracetrack.hub.Concurrently;
import io.tracetrack.hub.TestDatabases;
import io.tracetrack.hub.db.HubDatabase;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.sync.Hlc;
import io.tracetrack.sync.Op;
import io.tracetrack.sync.OpEnvelope;
import io.tracetrack.sync.OpId;
import io.tracetrack.sync.OpOutcome;
import io.tracetrack.sync.PushBatch;
import io.tracetrack.sync.PushReply;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A throughput harness for {@link Ingest}, not a test of it: K docks push B batches of N ops each at
 * once, straight into {@link Ingest#push} on the embedded PostgreSQL (fsync and synchronous_commit
 * on), and it prints ops per second. Off unless {@code -Dtracetrack.ingestbench=true}; sizes from
 * {@code -Dtracetrack.ingestbench.docks/batches/ops/pool}. It asserts only that every op applied,
 * never a speed: a slow machine is not a failure.
 *
 * <pre>./mvnw -B -q -pl central-hub -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=IngestBench \
 *     -Dtracetrack.ingestbench=true test</pre>
 *
 * <p>Each batch is what a busy dock sends: a new parent of 19, then its 19 new children linked, over
 * and over (every op creates a bag, writes a history row and a change-log entry).
 */
@EnabledIfSystemProperty(named = "tracetrack.ingestbench", matches = "true")
public class IngestBench {

  private static final int DOCKS = Integer.getInteger("tracetrack.ingestbench.docks", 4);
  private static final int BATCHES = Integer.getInteger("tracetrack.ingestbench.batches", 10);
  private static final int OPS = Integer.getInteger("tracetrack.ingestbench.ops", 1000);
  private static final int POOL = Integer.getInteger("tracetrack.ingestbench.pool", 20);
  private static final int ROUNDS = Integer.getInteger("tracetrack.ingestbench.rounds", 3);

  /** The same run without Maven: {@code java -cp <test classpath> io.tracetrack.hub.sync.IngestBench}. */
  public static void main(String[] args) throws Exception {
    new IngestBench().pushes();
    System.exit(0);
  }

  @Test
  void pushes() throws Exception {
    try (HubDatabase db = TestDatabases.postgres(POOL)) {
      Ingest ingest = new Ingest(db, CodeGrammar.defaults(), Clock.systemUTC(), new SimpleMeterRegistry());
      long[] seqs = new long[DOCKS];
      long[] codes = {1_000_000};
      // a warm-up round (JIT, pool, the first pages of each table), then the measured rounds
      for (int round = 0; round <= ROUNDS; round++) {
        int batches = round == 0 ? 2 : BATCHES;
        List<List<PushBatch>> work = new ArrayList<>();
        for (int d = 0; d < DOCKS; d++) {
          List<PushBatch> mine = new ArrayList<>();
          for (int b = 0; b < batches; b++) {
            mine.add(batch(d, seqs, codes));
          }
          work.add(mine);
        }
        long start = System.nanoTime();
        List<long[]> times = Concurrently.run(DOCKS, d -> () -> {
          long[] each = new long[batches];
          for (int b = 0; b < batches; b++) {
            long t = System.nanoTime();
            PushBatch batch = work.get(d).get(b);
            Ingest.Result result = ingest.push(new Docks.Device.Known(batch.dock(), "NORTH", batch.edgeId()), batch);
            each[b] = System.nanoTime() - t;
            PushReply reply = ((Ingest.Result.Done) result).reply();
            assertThat(reply.outcomes()).extracting(OpOutcome::status).containsOnly(OpOutcome.Status.APPLIED);
          }
          return each;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = (long) DOCKS * batches * OPS;
        List<Long> all = new ArrayList<>();
        times.forEach(t -> { for (long x : t) all.add(x / 1_000_000); });
        all.sort(null);
        System.out.printf(Locale.ROOT, "ingestbench %s: %d docks x %d batches x %d ops in %.2f s = %.0f ops/s;"
                + " per batch ms p50 %d max %d%n", round == 0 ? "warm-up" : "round " + round, DOCKS, batches, OPS,
            seconds, total / seconds, all.get(all.size() / 2), all.getLast());
      }
    }
  }

  /** The next batch of dock {@code d}: parents of 19 and their children, all new. */
  private static PushBatch batch(int d, long[] seqs, long[] codes) {
    String edge = "edge-bench-" + d;
    String dock = "BENCH-" + d;
    List<OpEnvelope> ops = new ArrayList<>(OPS);
    String parent = null;
    for (int i = 0; i < OPS; i++) {
      Op op;
      if (i % 20 == 0) {
        parent = "P" + (codes[0]++) + "-19";
        op = new Op.CreateParent(parent, 19, 19);
      } else {
        op = new Op.Link(parent, "C" + (codes[0]++));
      }
      long now = System.currentTimeMillis();
      ops.add(new OpEnvelope(new OpId(edge, ++seqs[d]), new Hlc(now, 0), "nina", dock, "station-1", op));
    }
    return new PushBatch(edge, dock, new Hlc(System.currentTimeMillis(), 0), 0, null, "bench", ops);
  }
}
