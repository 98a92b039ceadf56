package io.tracetrack.web.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one way the modules run their JavaScript unit tests: every {@code *.test.mjs} under the
 * module's {@code src/test/js}, under Node's own test runner as a real process, so a failing
 * script test fails the Maven build with Node's output in the report. Node is required, not
 * optional: where it is missing the test fails and says how to install it ({@code .ci/run} does).
 *
 * <p>The apps serve the web kit's files ({@code /scan-kit.js}) beside their own, so a page's
 * {@code import '../scan-kit.js'} has no file beside it in the source tree; Node is started with
 * {@code web-kit/src/test/js/serve-kit.mjs}, a resolve hook that finds such a file in the kit's
 * resources the way the server does.
 */
public final class NodeTests {

  private static final Pattern PASSED = Pattern.compile("(?m)^# pass (\\d+)$");
  private static final Pattern FAILED = Pattern.compile("(?m)^# fail (\\d+)$");

  private NodeTests() {}

  /**
   * Runs every {@code *.test.mjs} under {@code src/test/js} of the module the build runs in, and
   * fails with Node's output unless all passed.
   *
   * @return how many tests passed (at least one)
   */
  public static int runAll() throws IOException, InterruptedException {
    Path node = onPath("node");
    if (node == null) {
      fail("node is not on the PATH: the JavaScript unit tests need Node.js 18.19 or later"
          + " (Debian: apt-get install nodejs; .ci/run installs it when it is missing)");
    }
    Path folder = Path.of("src/test/js").toAbsolutePath();
    List<String> tests;
    try (Stream<Path> files = Files.walk(folder)) {
      tests = files.filter(f -> f.getFileName().toString().endsWith(".test.mjs")).map(Path::toString).sorted().toList();
    }
    assertThat(tests).as("*.test.mjs files in " + folder).isNotEmpty();
    List<String> command = new ArrayList<>(List.of(node.toString(), "--import", kitHook().toUri().toString(),
        "--test", "--test-reporter=tap"));
    command.addAll(tests);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("node --test did not finish in 120 s:\n" + output);
    }
    assertThat(process.exitValue()).as("node --test exit code; its output:\n" + output).isZero();
    assertThat(count(FAILED, output)).as("failed tests; node's output:\n" + output).isZero();
    int passed = count(PASSED, output);
    assertThat(passed).as("passed tests; node's output:\n" + output).isPositive();
    return passed;
  }

  /** The resolve hook, found from any module of the checkout (the build runs in the module's folder). */
  private static Path kitHook() {
    Path hook = Path.of("..", "web-kit", "src", "test", "js", "serve-kit.mjs").toAbsolutePath().normalize();
    assertThat(hook).as("the web kit's resolve hook for Node").isRegularFile();
    return hook;
  }

  private static int count(Pattern line, String output) {
    Matcher m = line.matcher(output);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static Path onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
