package io.tracetrack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code ./tracetrack bench edge [--n N] | hub [--parents N] [--seconds S] | sync [--docks K] [--batches B]
 * [--scans N] [--peer-n N] [--latency-n N] [--parents N] | export [--parents N] [--csv-runs N] [--xlsx-runs N] | import [--runs N] | dashboard [--parents N] [--runs N]
 * | fleet [--docks N] [--hubs 1|2] [--seconds S] [--scan-every-ms M] [--warmup-seconds W] | relay [--events N] [--rate R] [--seconds S]}
 * (all take {@code --dir DIR --out BENCHMARKS.md}):
 * runs a benchmark and
 * replaces its section of BENCHMARKS.md (between {@code <!-- NAME:begin -->} and {@code <!--
 * NAME:end -->}), leaving the other sections alone.
 */
public final class BenchMain {

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 ? args[0] : "edge";
    int n = 5000;
    int parents = 60_000;
    int seconds = 10;
    int docks = 8;
    int batches = 20;
    int scans = 100_000;
    int peerN = 10_000;
    int latencyN = 200;
    int csvRuns = 3;
    int xlsxRuns = 2;
    Integer runs = null; // per benchmark: import 3, dashboard 20
    Integer fleetDocks = null; // fleet: 1,000 (sync's --docks default is 8)
    Integer fleetSeconds = null; // fleet: 30, relay: 20
    int events = 100_000;
    int rate = 5_000;
    int hubs = 1;
    int scanEveryMs = 10_000;
    int warmupSeconds = 60;
    Path dir = Path.of("bench", "target", "bench-data");
    Path out = Path.of("BENCHMARKS.md");
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--n" -> n = Integer.parseInt(args[i + 1]);
        case "--dir" -> dir = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--parents" -> parents = Integer.parseInt(args[i + 1]);
        case "--seconds" -> {
          seconds = Integer.parseInt(args[i + 1]);
          fleetSeconds = seconds;
        }
        case "--docks" -> {
          docks = Integer.parseInt(args[i + 1]);
          fleetDocks = docks;
        }
        case "--hubs" -> hubs = Integer.parseInt(args[i + 1]);
        case "--scan-every-ms" -> scanEveryMs = Integer.parseInt(args[i + 1]);
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[i + 1]);
        case "--events" -> events = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--batches" -> batches = Integer.parseInt(args[i + 1]);
        case "--scans" -> scans = Integer.parseInt(args[i + 1]);
        case "--peer-n" -> peerN = Integer.parseInt(args[i + 1]);
        case "--latency-n" -> latencyN = Integer.parseInt(args[i + 1]);
        case "--csv-runs" -> csvRuns = Integer.parseInt(args[i + 1]);
        case "--xlsx-runs" -> xlsxRuns = Integer.parseInt(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    deleteRecursively(dir);
    String section = switch (what) {
      case "edge" -> new EdgeBench(dir, n).run();
      case "hub" -> new HubBench(dir, parents, seconds).run();
      case "sync" -> new SyncBench(dir, docks, batches, scans, peerN, latencyN, parents).run();
      case "export" -> new ExportBench(dir, parents, csvRuns, xlsxRuns).run();
      case "import" -> new ImportBench(dir, runs == null ? 3 : runs).run();
      case "dashboard" -> new DashboardBench(dir, parents, runs == null ? 20 : runs).run();
      case "fleet" -> new FleetBench(dir, fleetDocks == null ? 1000 : fleetDocks, hubs, fleetSeconds == null ? 30 : fleetSeconds,
          scanEveryMs, warmupSeconds).run();
      case "relay" -> new RelayBench(dir, events, rate, fleetSeconds == null ? 20 : fleetSeconds).run();
      default -> throw new IllegalArgumentException("unknown benchmark '" + what
          + "' (edge, hub, sync, export, import, dashboard, fleet, relay)");
    };
    System.out.println(section);
    // the fleet of one hub and of two are tables of their own
    writeSection(out, what.equals("fleet") && hubs == 2 ? "fleet2" : what, section);
    System.out.println("written to " + out.toAbsolutePath());
  }

  static void writeSection(Path file, String name, String section) throws IOException {
    String begin = "<!-- " + name + ":begin -->";
    String end = "<!-- " + name + ":end -->";
    String block = begin + "\n" + section + end;
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8)
        : "# Benchmarks\n\nFigures measured on this project's machines; each beside its limit measured in the same run.\n\n";
    int b = text.indexOf(begin);
    int e = text.indexOf(end);
    if (b >= 0 && e > b) {
      text = text.substring(0, b) + block + text.substring(e + end.length());
    } else {
      text = text + (text.endsWith("\n\n") ? "" : "\n") + block + "\n";
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
