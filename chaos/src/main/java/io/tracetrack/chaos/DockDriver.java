package io.tracetrack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One dock's scanner: sends its {@link ScanScript} to the station over HTTP for as long as the run
 * lasts, through the dock's kills (it waits for the dock to serve again and signs in again when its
 * session is gone), and keeps the ledger the checks hold the hub to: every op the dock answered
 * accepted, and every scan whose answer was lost (sent, then the dock died or the line timed out),
 * which may or may not have taken effect.
 */
final class DockDriver {

  static final String STATION = "station-1";
  private static final Pattern UNDONE = Pattern.compile("^Undone: (\\S+) removed from (\\S+) ");

  /**
   * An op the dock made, as its answer told it: {@code type} is the op type the hub records in a
   * bag's history (CREATE_PARENT, LINK, UNLINK, FINISH), {@code bag} the bag it is about (the
   * child for links and unlinks), {@code parent} the parent it names (null for a creation).
   * {@code certain} is false for a scan whose answer never came: {@code seq} is then null and
   * {@code bag}/{@code parent} are the best guess.
   */
  record Op(String dock, String type, String bag, String parent, Long seq, boolean certain) {}

  private final EdgeNode edge;
  private final ScanScript script;
  private final String user;
  private final String password;
  private final List<Op> ops = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Set<String> touched = new LinkedHashSet<>();
  private volatile boolean stop;
  private int scans;
  private int acked;
  private String stationParent;
  private String firstError;
  private Thread thread;

  DockDriver(EdgeNode edge, ScanScript script, String user, String password) {
    this.edge = edge;
    this.script = script;
    this.user = user;
    this.password = password;
  }

  void start() {
    thread = Thread.ofPlatform().name("driver-" + edge.name).start(this::run);
  }

  /** Stops after the scan in flight and waits for it. */
  void stop() throws InterruptedException {
    stop = true;
    thread.join();
  }

  List<Op> ops() {
    return ops;
  }

  /** How many ops the ledger holds now (a backup's mark). */
  int mark() {
    return ops.size();
  }

  /**
   * The dock was restored from a backup taken at {@code mark}: what it acknowledged since then is
   * gone from the dock if it had not reached the hub, so it may or may not be at the hub.
   */
  void restoredTo(int mark) {
    synchronized (ops) {
      for (int i = mark; i < ops.size(); i++) {
        Op op = ops.get(i);
        ops.set(i, new Op(op.dock(), op.type(), op.bag(), op.parent(), null, false));
      }
      restored++;
    }
  }

  private int restored;

  int restores() {
    return restored;
  }

  /** The bag codes this dock scanned (commands aside). */
  Set<String> touched() {
    return touched;
  }

  int scans() {
    return scans;
  }

  int acked() {
    return acked;
  }

  /** A surprise the driver met (an answer it could not read), or null. */
  String firstError() {
    return firstError;
  }

  private void run() {
    try {
      while (!stop) {
        ScanScript.Step step = script.next();
        for (String code : step.codes()) {
          scan(code);
        }
        Thread.sleep(step.thinkMs());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void scan(String code) throws InterruptedException {
    boolean command = code.startsWith("CMD-");
    if (!command) {
      touched.add(code);
    }
    String parentBefore = stationParent;
    for (int attempt = 0; attempt < 3 && !stop; attempt++) {
      if (!awaitSignedIn()) {
        return;
      }
      Http.Reply reply;
      try {
        reply = edge.scan(code);
      } catch (ConnectException e) {
        continue; // the dock is down: the scan never left, nothing to record; try when it is back
      } catch (IOException e) {
        // sent, no answer: the dock may have committed it before it died
        scans++;
        uncertain(code, parentBefore);
        return;
      }
      if (reply.status() == 401) {
        signedIn = false;
        continue;
      }
      scans++;
      if (reply.status() != 200) {
        uncertain(code, parentBefore);
        return;
      }
      record(code, parentBefore, reply.json());
      return;
    }
  }

  private boolean signedIn;

  /** Waits until the dock serves and the dispatcher is signed in; false when the run ends first. */
  private boolean awaitSignedIn() throws InterruptedException {
    while (!stop) {
      if (edge.up() && signedIn) {
        return true;
      }
      if (edge.up()) {
        try {
          edge.signIn(STATION, user, password);
          signedIn = true;
          return true;
        } catch (IOException | IllegalStateException e) {
          // restarting, or the line to it went: look again
        }
      }
      Thread.sleep(100);
    }
    return false;
  }

  private void record(String code, String parentBefore, JsonNode r) {
    stationParent = r.path("parent").isTextual() ? r.get("parent").asText() : null;
    if (!r.path("accepted").asBoolean()) {
      return;
    }
    acked++;
    if (!r.hasNonNull("seq")) {
      return; // accepted without an op: a parent reopened, a finish of a complete parent, a cancel
    }
    long seq = r.get("seq").asLong();
    String dock = edge.name;
    switch (code) {
      case ScanScript.UNDO -> {
        Matcher m = UNDONE.matcher(r.path("message").asText());
        if (m.find()) {
          ops.add(new Op(dock, "UNLINK", m.group(1), m.group(2), seq, true));
        } else {
          noteError("UNDO answered without naming the link: " + r);
        }
      }
      case ScanScript.FINISH -> ops.add(new Op(dock, "FINISH", parentBefore, parentBefore, seq, true));
      default -> {
        if ("PARENT".equals(r.path("kind").asText())) {
          ops.add(new Op(dock, "CREATE_PARENT", code, null, seq, true));
        } else {
          ops.add(new Op(dock, "LINK", code, r.path("parent").asText(), seq, true));
        }
      }
    }
  }

  private void uncertain(String code, String parentBefore) {
    String dock = edge.name;
    switch (code) {
      case ScanScript.UNDO -> ops.add(new Op(dock, "UNLINK", null, null, null, false));
      case ScanScript.FINISH -> ops.add(new Op(dock, "FINISH", parentBefore, parentBefore, null, false));
      default -> ops.add(code.startsWith("P") ? new Op(dock, "CREATE_PARENT", code, null, null, false)
          : new Op(dock, "LINK", code, parentBefore, null, false));
    }
    // the station's parent after a lost answer is unknown until the next answer says
  }

  private void noteError(String what) {
    if (firstError == null) {
      firstError = edge.name + ": " + what;
    }
  }
}
