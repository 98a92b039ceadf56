package io.tracetrack.chaos;

import java.io.PrintStream;

/**
 * {@code ./tracetrack chaos --docks N --seconds S --seed X [--data DIR]}: one JSON line on stdout;
 * exit 0 when every invariant held, 1 when one did not (the first difference on stderr), 64 for a
 * bad flag, 70 when the run could not be carried out (a process that would not start).
 */
public final class ChaosMain {

  private ChaosMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    ChaosOptions options;
    try {
      options = ChaosOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("chaos: " + e.getMessage());
      err.println(ChaosOptions.USAGE);
      return 64;
    }
    Report report;
    ChaosRun run = new ChaosRun(options, err);
    try {
      report = run.run();
    } catch (Exception e) {
      err.println("chaos: the run could not be carried out: " + e);
      return 70;
    }
    out.println(report.json());
    if (report.clean()) {
      return 0;
    }
    err.println("chaos: first difference: " + report.differences().stream().findFirst()
        .orElse("(none recorded; see the counts)"));
    report.differences().stream().skip(1).limit(19).forEach(d -> err.println("chaos:   then " + d));
    if (report.differences().size() > 20) {
      err.println("chaos:   … " + (report.differences().size() - 20) + " more");
    }
    run.logTails();
    return 1;
  }
}
