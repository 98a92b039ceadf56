package io.tracetrack.edge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracetrack.edge.TestEdge;
import io.tracetrack.edge.db.DataFolder;
import io.tracetrack.edge.db.EdgeDatabase;
import io.tracetrack.edge.scan.EdgeIdentity;
import io.tracetrack.model.CodeGrammar;
import io.tracetrack.sync.Change;
import io.tracetrack.sync.ChangeEntry;
import io.tracetrack.sync.ChangePage;
import io.tracetrack.sync.WireCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dock process killed (SIGKILL) while it catches up with {@code synchronous=NORMAL} steps: the
 * file it leaves opens, the cursor and the replica agree (every change up to the cursor is in,
 * none after it), and pulling the log again from the cursor ends in the right state.
 */
class SyncCrashTest {

  static final int PARENTS = 400;
  static final int CHILDREN = 20;
  static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir
  Path dir;

  /** The hub's log both processes agree on: parents, each with its children created and linked. */
  static List<ChangeEntry> log() {
    WireCodec wire = new WireCodec();
    List<ChangeEntry> all = new ArrayList<>();
    for (int p = 0; p < PARENTS; p++) {
      String parent = "P" + (5000 + p) + "-25";
      add(all, wire, new Change.Bag(parent, "PARENT", 25, 25, null));
      for (int c = 0; c < CHILDREN; c++) {
        String child = "C" + (1_000_000 + p * 100 + c);
        add(all, wire, new Change.Bag(child, "CHILD", null, null, null));
        add(all, wire, new Change.Link(parent, child));
      }
    }
    return all;
  }

  private static void add(List<ChangeEntry> all, WireCodec wire, Change change) {
    all.add(new ChangeEntry(all.size() + 1, change.type().wire(), change.key(), AT, "admin", wire.payload(change)));
  }

  /** The process to kill: applies the log in pages, printing the cursor after each, then waits to be killed. */
  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    DataFolder.prepare(folder);
    Clock clock = Clock.fixed(AT, ZoneOffset.UTC);
    try (EdgeDatabase db = EdgeDatabase.open(folder.resolve("edge.db"), Duration.ofSeconds(5))) {
      EdgeIdentity.ensure(db, "DOCK-K", clock);
      SqliteSyncStore store = new SqliteSyncStore(db, CodeGrammar.defaults(), clock);
      List<ChangeEntry> all = log();
      for (int from = 0; from < all.size(); from += 500) {
        List<ChangeEntry> page = all.subList(from, Math.min(all.size(), from + 500));
        store.applyPage(new ChangePage(page, page.getLast().seq(), all.size()));
        System.out.println(store.pullCursor());
        System.out.flush();
      }
      Thread.sleep(Duration.ofMinutes(5)); // killed before this ends
    }
  }

  @Test
  void killedMidCatchUp_cursorAndReplicaAgree_thenPullingOnEndsRight() throws Exception {
    List<ChangeEntry> all = log();
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), SyncCrashTest.class.getName(),
        dir.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      // killed in the middle of the log, while it writes the next page
      for (int pages = 0; pages < 7; pages++) {
        assertThat(out.readLine()).as("the child's progress").isNotNull();
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
      child.waitFor();
    }

    try (TestEdge edge = new TestEdge(dir)) {
      SqliteSyncStore store = new SqliteSyncStore(edge.db, CodeGrammar.defaults(), edge.clock);
      long cursor = store.pullCursor();
      assertThat(cursor).isBetween(3_500L, (long) all.size() - 1);
      long bagsUpTo = all.stream().filter(e -> e.seq() <= cursor && e.type().equals("bag.v1")).count();
      long linksUpTo = all.stream().filter(e -> e.seq() <= cursor && e.type().equals("link.v1")).count();
      assertThat(edge.count("select count(*) from hub_bag")).isEqualTo(bagsUpTo);
      assertThat(edge.count("select coalesce(sum(child_count), 0) from hub_bag")).isEqualTo(linksUpTo);
      assertThat(edge.count("select coalesce(sum(child_count), 0) from bag")).isEqualTo(linksUpTo);
      assertThat(edge.count("select count(*) from bag")).isEqualTo(bagsUpTo);

      // the worker pulls from its cursor; a page overlapping what is in changes nothing twice
      List<ChangeEntry> rest = all.subList((int) Math.max(0, cursor - 100), all.size());
      store.applyPage(new ChangePage(rest, all.size(), all.size()));

      assertThat(store.pullCursor()).isEqualTo(all.size());
      assertThat(edge.count("select count(*) from bag where role = 'PARENT' and child_count = " + CHILDREN)).isEqualTo(PARENTS);
      assertThat(edge.count("select count(*) from hub_bag")).isEqualTo(PARENTS * (CHILDREN + 1));
      assertThat(edge.count("select count(*) from bag")).isEqualTo(PARENTS * (CHILDREN + 1));
    }
  }
}
