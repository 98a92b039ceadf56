package io.tracetrack.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, run exactly as written (issue #16 item 7): the shell block between
 * {@code <!-- quickstart:begin -->} and {@code <!-- quickstart:end -->}, in bash with {@code -e},
 * from a fresh folder. The only stand-in is {@code ./tracetrack}: a script that starts the jars this
 * build made, as the real one does once it has built them (it would otherwise build from the folder
 * it lives in). A step that fails, or a bag that never reaches the hub, fails the test with the
 * block's output and the two servers' logs.
 */
class QuickStartIT {

  private static final Pattern BLOCK =
      Pattern.compile("<!-- quickstart:begin -->\\s*```sh\\n(.*?)```\\s*<!-- quickstart:end -->", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void theReadmesQuickStart_runsAsWritten_andTheDocksScanReachesTheHub() throws Exception {
    Path readme = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");
    Matcher m = BLOCK.matcher(Files.readString(readme));
    assertThat(m.find()).as("README.md has a quick-start block").isTrue();
    String block = m.group(1);
    assertThat(block).contains("./tracetrack hub").contains("./tracetrack enroll").contains("./tracetrack dock");

    String java = ProcessHandle.current().info().command().orElse("java");
    Path launcher = dir.resolve("tracetrack");
    Files.writeString(launcher, """
        #!/usr/bin/env bash
        # the jars this build made, started as ./tracetrack starts them
        cmd="$1"; shift
        case "$cmd" in
          hub) exec "%1$s" -jar "%2$s" "$@" ;;
          dock) exec "%1$s" -jar "%3$s" serve "$@" ;;
          scan|users|status|enroll|sync) exec "%1$s" -jar "%3$s" "$cmd" "$@" ;;
          *) echo "quick start: ./tracetrack $cmd is not part of it" >&2; exit 64 ;;
        esac
        """.formatted(java, System.getProperty("hub.jar"), System.getProperty("edge.jar")));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    // the servers the block leaves running in the background stop with it, pass or fail
    String script = "trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\nset -euo pipefail\n" + block;

    Process bash = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("quickstart.out").toFile()).start();
    boolean finished = bash.waitFor(4, TimeUnit.MINUTES);
    if (!finished) {
      bash.descendants().forEach(ProcessHandle::destroy);
      bash.destroy();
      bash.waitFor(30, TimeUnit.SECONDS);
    }
    String report = "output:\n" + read("quickstart.out") + "\nhub.log:\n" + read("hub.log") + "\ndock.log:\n" + read("dock.log");
    assertThat(finished).as("the quick start finished within 4 minutes\n%s", report).isTrue();
    assertThat(bash.exitValue()).as(report).isZero();
    String out = read("quickstart.out");
    // step 6's four scans, each taken at the dock, and step 7's bag as the hub has it
    assertThat(out).as(report).contains("{\"code\":\"P1001-3\",\"accepted\":true")
        .contains("{\"code\":\"C3\",\"accepted\":true,\"count\":3}")
        .contains("{\"code\":\"P1001-3\",\"childCount\":3,\"dock\":\"DOCK-1\",\"children\":[");
  }

  private String read(String name) throws IOException {
    Path file = dir.resolve(name);
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(none)";
  }
}
