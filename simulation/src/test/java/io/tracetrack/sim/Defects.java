package io.tracetrack.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The five defects of issue 14 as the simulation sees them ({@code issue14-defects.properties}):
 * the fault kinds that exercise each, the violation text it shows as, the seeds that caught it on
 * the code it was found in, and whether it is still open on this branch.
 */
record Defects(List<Defect> all) {

  record Defect(int number, String title, Set<FaultKind> faults, int steps, Pattern signature, List<Long> seeds,
      boolean open) {
    boolean explains(String violation) {
      return signature.matcher(violation).find();
    }

    @Override
    public String toString() {
      return "defect " + number + " (" + title + ")";
    }
  }

  static Defects load() {
    Properties p = new Properties();
    try (InputStream in = Defects.class.getResourceAsStream("/issue14-defects.properties")) {
      p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Defect> all = new ArrayList<>();
    for (int n = 1; p.containsKey("defect." + n + ".title"); n++) {
      String k = "defect." + n + ".";
      String faults = p.getProperty(k + "faults", "");
      all.add(new Defect(n, p.getProperty(k + "title"),
          faults.strip().equals("standard") ? FaultKind.standard() : FaultKind.parseList(faults),
          Integer.parseInt(p.getProperty(k + "steps", Integer.toString(Simulation.Config.DEFAULT_STEPS)).strip()),
          Pattern.compile(p.getProperty(k + "signature")),
          Arrays.stream(p.getProperty(k + "seeds", "").split(",")).map(String::strip).filter(s -> !s.isEmpty())
              .map(Long::parseLong).toList(),
          Boolean.parseBoolean(p.getProperty(k + "open", "false"))));
    }
    return new Defects(List.copyOf(all));
  }

  List<Defect> open() {
    return all.stream().filter(Defect::open).toList();
  }

  /**
   * True when open defects account for every violation of a seed. A dock whose pull stopped for
   * good (defect 3, while open) misses everything after, so its other violations (a replica
   * behind, users not yet moved) are that defect's consequences too.
   */
  boolean explainsAll(List<String> violations) {
    Set<String> stuck = new java.util.HashSet<>();
    all.stream().filter(d -> d.open() && d.number() == 3).findFirst().ifPresent(d -> violations.stream()
        .filter(d::explains).forEach(v -> stuck.add(dockOf(v))));
    return violations.stream().allMatch(v -> explainedByOpen(v) || stuck.contains(dockOf(v)));
  }

  /** The dock a violation line names: {@code step N: DOCK...} up to its first ':' or ' '. */
  static String dockOf(String violation) {
    String rest = violation.replaceFirst("^step \\d+: ", "");
    int end = rest.length();
    for (char c : new char[] {':', ' '}) {
      int i = rest.indexOf(c);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    return rest.substring(0, end);
  }

  /** True when a defect still open on this branch accounts for {@code violation}. */
  boolean explainedByOpen(String violation) {
    return open().stream().anyMatch(d -> d.explains(violation));
  }
}
