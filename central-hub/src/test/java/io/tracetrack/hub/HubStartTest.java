package io.tracetrack.hub;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubStartTest {

  @TempDir Path data;

  @Test
  void portInUse_failsTheStart_insteadOfRunningWithoutAPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      HubConfig config = HubConfig.parse(new String[] {"--port", String.valueOf(taken.getLocalPort()),
          "--bind", "127.0.0.1", "--data", data.toString(), "--db", "h2"}, Map.of("HUB_ADMIN_PASSWORD", "Admin-Passw0rd!"));
      assertThatThrownBy(() -> Main.Hub.start(config, Clock.systemUTC()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
