package io.tracetrack.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tracetrack.hub.db.EmbeddedPostgresServer;
import io.tracetrack.hub.events.KafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/compose} run as written, short of Docker (this machine has no engine): the two hubs
 * are the real jar started with the compose file's environment, PostgreSQL and Kafka are real, and
 * the proxy is a real Caddy (Debian's; {@code .ci/run} installs it) running the compose Caddyfile.
 * Only what Docker would provide is put back by hand: the services' host names become this
 * machine's addresses and ports, the compose network's range in {@code HUB_TRUSTED_PROXIES} becomes
 * loopback (where Caddy connects from here), and Caddy listens on free ports instead of 80 and 443.
 *
 * <p>Through the proxy, over TLS checked against Caddy's own CA, from a client address other than
 * the proxy's: sign-in cookies are {@code Secure} (the proxy's {@code X-Forwarded-Proto} believed),
 * the audit trail names the client, not the proxy ({@code X-Forwarded-For}), requests reach both
 * hubs, {@code /metrics} is not served to the world, a write reaches Kafka under the compose file's
 * topic, and when a hub is killed every request still gets its answer from the other.
 */
@ExtendWith(SharedBackends.class)
class DeployComposeIT {

  private static final Path COMPOSE = Path.of("..", "deploy", "compose");
  private static final Path CADDY = Path.of("/usr/bin/caddy");
  private static final Path CURL = Path.of("/usr/bin/curl");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "Compose-Passw0rd!";
  /** The client's address: not the proxy's (127.0.0.1), so the audit trail shows whose it believed. */
  private static final String CLIENT = "127.0.0.2";
  private static final String SITE = "hub.localhost";

  @TempDir Path dir;

  @Test
  void composeHubsBehindItsCaddy_tlsForwardedHeadersBothHubsKafka_andAKilledHubGoesUnnoticed(EmbeddedPostgresServer pg, KafkaBroker kafka)
      throws Exception {
    assumeThat(Files.isExecutable(CADDY) && Files.isExecutable(CURL))
        .as("Caddy and curl from Debian (apt-get install caddy curl)").isTrue();
    JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.resolve("compose.yaml").toFile());
    String topic = compose.at("/x-hub/environment/HUB_KAFKA_TOPIC").asText();
    String dbUser = compose.at("/x-hub/environment/HUB_DB_USER").asText();
    String dbPassword = "db-" + Long.toHexString(new SecureRandom().nextLong());
    // what the postgres service's POSTGRES_USER/POSTGRES_DB make: the hub's own role owning its database
    String database = compose.at("/services/postgres/environment/POSTGRES_DB").asText();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), ""); Statement s = c.createStatement()) {
      s.execute("create role " + dbUser + " login password '" + dbPassword + "'");
      s.execute("create database " + database + " owner " + dbUser);
    }
    kafka.createTopic(topic, 3);

    Map<String, String> env = hereFor(compose, pg, kafka);
    env.putAll(secrets(dbPassword));
    // both at once, as compose starts them
    CompletableFuture<HubProcess> second = CompletableFuture.supplyAsync(() -> hub(dir.resolve("hub-2"), env));
    HubProcess one = hub(dir.resolve("hub-1"), env);
    try (HubProcess two = second.join(); Caddy proxy = Caddy.start(dir.resolve("caddy"),
        Map.of("hub-1:" + env.get("HUB_PORT"), "127.0.0.1:" + one.port(), "hub-2:" + env.get("HUB_PORT"), "127.0.0.1:" + two.port()))) {
      Answer ready = proxy.await("/health/ready");
      assertThat(ready.status()).as("the hubs' readiness through the proxy").isEqualTo(200);

      // a browser's sign-in: through the proxy the cookie is Secure; straight at a hub over HTTP it is not
      String form = JSON.writeValueAsString(Map.of("username", "admin", "password", PASSWORD));
      Answer session = proxy.send("POST", "/api/v1/auth/session", null, form);
      assertThat(session.status()).as(session.body()).isEqualTo(200);
      assertThat(session.header("set-cookie")).as("session cookie behind the TLS proxy").containsIgnoringCase("; Secure");
      Answer direct = Curl.http("POST", "http://127.0.0.1:" + one.port() + "/api/v1/auth/session", null, form);
      assertThat(direct.status()).isEqualTo(200);
      assertThat(direct.header("set-cookie")).as("session cookie over plain HTTP").doesNotContainIgnoringCase("secure");

      Answer token = proxy.send("POST", "/api/v1/auth/token", null, form);
      String admin = JSON.readTree(token.body()).get("access_token").asText();

      // the world gets no metrics (Prometheus scrapes each hub on the inside network)
      assertThat(proxy.send("GET", "/metrics", null, null).status()).as("/metrics through the proxy").isEqualTo(404);
      assertThat(Curl.http("GET", "http://127.0.0.1:" + one.port() + "/metrics", null, null).status()).isEqualTo(200);

      // requests spread over both hubs
      Map<Integer, Double> before = Map.of(one.port(), served(one.port()), two.port(), served(two.port()));
      for (int i = 0; i < 24; i++) {
        assertThat(proxy.send("GET", "/api/v1/me", admin, null).status()).isEqualTo(200);
      }
      assertThat(served(one.port()) - before.get(one.port())).as("requests hub-1 answered").isPositive();
      assertThat(served(two.port()) - before.get(two.port())).as("requests hub-2 answered").isPositive();

      // a write through the proxy reaches Kafka under the compose file's topic
      Answer created = proxy.send("POST", "/api/v1/bags", admin, "{\"code\":\"P1-7\"}");
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      List<String> subjects = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> r : kafka.read(topic, 1, Duration.ofSeconds(30))) {
        subjects.add(JSON.readTree(r.value()).get("subject").asText());
      }
      assertThat(subjects).as("events on " + topic).contains("P1-7");
      // the audit trail names the client, whose address only the proxy's X-Forwarded-For carries
      Answer audit = proxy.send("GET", "/api/v1/audit?entityId=P1-7", admin, null);
      List<String> ips = new ArrayList<>();
      JSON.readTree(audit.body()).get("entries").forEach(e -> ips.add(e.path("ip").asText()));
      assertThat(ips).as("client addresses in the audit trail: " + audit.body()).isNotEmpty().containsOnly(CLIENT);

      // hub-1 dies: every request still gets its answer, from hub-2, and a write is made once
      one.killJvm();
      for (int i = 0; i < 12; i++) {
        Answer me = proxy.send("GET", "/api/v1/me", admin, null);
        assertThat(me.status()).as("request " + i + " after hub-1's death: " + me.body()).isEqualTo(200);
      }
      Answer after = proxy.send("POST", "/api/v1/bags", admin, "{\"code\":\"P1-8\"}");
      assertThat(after.status()).as(after.body()).isEqualTo(201);
      assertThat(proxy.send("GET", "/api/v1/bags/P1-8", admin, null).status()).isEqualTo(200);
      assertThat(proxy.send("GET", "/health/ready", null, null).status()).isEqualTo(200);
    } finally {
      one.close();
    }
  }

  /**
   * The compose file's hub environment as it reads on this machine: service names become the
   * addresses of the real PostgreSQL and Kafka here, and the compose network's range becomes
   * loopback. Every other setting is taken as written.
   */
  private static Map<String, String> hereFor(JsonNode compose, EmbeddedPostgresServer pg, KafkaBroker kafka) {
    Map<String, String> env = new TreeMap<>();
    compose.at("/x-hub/environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    assertThat(env).containsKeys("HUB_DB_URL", "HUB_KAFKA", "HUB_TRUSTED_PROXIES", "HUB_PORT");
    env.put("HUB_DB_URL", env.get("HUB_DB_URL").replace("//postgres:5432/", "//127.0.0.1:" + pg.port() + "/"));
    env.put("HUB_KAFKA", env.get("HUB_KAFKA").replace("kafka:9092", kafka.bootstrap()));
    env.put("HUB_TRUSTED_PROXIES", "127.0.0.1");
    assertThat(env.get("HUB_DB_URL")).as("HUB_DB_URL names the postgres service").contains("127.0.0.1:" + pg.port());
    assertThat(env.get("HUB_KAFKA")).as("HUB_KAFKA names the kafka service").isEqualTo(kafka.bootstrap());
    return env;
  }

  private static HubProcess hub(Path data, Map<String, String> env) {
    try {
      return HubProcess.start(data, env);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names of {@code hub.secrets.env.example}, filled in as a person would. */
  private static Map<String, String> secrets(String dbPassword) throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> filled = Map.of("HUB_DB_PASSWORD", dbPassword, "HUB_JWT_SECRET", Base64.getEncoder().encodeToString(key),
        "HUB_ADMIN_PASSWORD", PASSWORD);
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(COMPOSE.resolve("hub.secrets.env.example"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String name = line.substring(0, line.indexOf('='));
        assertThat(filled).as("a secret this test does not know how to fill").containsKey(name);
        out.put(name, filled.get(name));
      }
    }
    return out;
  }

  /** Requests this hub has answered, by its own {@code http_server_requests} count. */
  private static double served(int port) throws Exception {
    Answer metrics = Curl.http("GET", "http://127.0.0.1:" + port + "/metrics", null, null);
    double sum = 0;
    Matcher m = Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*route=\"/api/v1/me\"[^}]*} (\\S+)$")
        .matcher(metrics.body());
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  /** curl, run once a request: it checks the proxy's certificate as any client would. */
  private static final class Curl {
    private static Answer run(List<String> args) throws Exception {
      List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "-i", "--max-time", "20"));
      command.addAll(args);
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (p.exitValue() != 0) {
        return new Answer(-p.exitValue(), Map.of(), "curl: " + err.strip());
      }
      String text = new String(out, StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String body = split < 0 ? "" : text.substring(split + 4);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip(),
              (a, b) -> a + "\n" + b);
        }
      }
      return new Answer(status, headers, body);
    }

    static Answer http(String method, String url, String token, String json) throws Exception {
      return run(request(method, url, token, json));
    }

    static List<String> request(String method, String url, String token, String json) {
      List<String> args = new ArrayList<>(List.of("-X", method));
      if (token != null) {
        args.addAll(List.of("-H", "Authorization: Bearer " + token));
      }
      if (json != null) {
        args.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", json));
      }
      args.add(url);
      return args;
    }
  }

  /**
   * The compose file's Caddyfile run by a real Caddy: the upstreams' service names replaced by
   * {@code upstreams}, listening on free ports, keeping its data (its local CA) in {@code home}.
   */
  private record Caddy(Process process, Path home, int httpsPort) implements AutoCloseable {

    static Caddy start(Path home, Map<String, String> upstreams) throws Exception {
      Files.createDirectories(home);
      // the file as written first: Caddy's own check of every directive and option in it
      Process validate = caddy(home, "validate.log", "validate", "--config", COMPOSE.resolve("Caddyfile").toString()).start();
      assertThat(validate.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(validate.exitValue()).as("caddy validate:\n" + Files.readString(home.resolve("validate.log"))).isZero();
      String caddyfile = Files.readString(COMPOSE.resolve("Caddyfile"));
      for (var u : upstreams.entrySet()) {
        assertThat(caddyfile).as("the Caddyfile's upstreams").contains(u.getKey());
        caddyfile = caddyfile.replace(u.getKey(), u.getValue());
      }
      assertThat(caddyfile).as("the Caddyfile's site").contains(SITE + " {");
      int http = freePort();
      int https = freePort();
      // in compose Caddy owns 80 and 443 in its container; here it takes free ports and no admin endpoint
      String global = "{\n\tadmin off\n\tskip_install_trust\n\thttp_port " + http + "\n\thttps_port " + https
          + "\n\tstorage file_system " + home.resolve("data") + "\n}\n";
      Path config = home.resolve("Caddyfile");
      Files.writeString(config, global + caddyfile);
      return new Caddy(caddy(home, "caddy.log", "run", "--config", config.toString()).start(), home, https);
    }

    /** A Caddy command on a Caddyfile, its output to {@code log} and its files under {@code home}. */
    private static ProcessBuilder caddy(Path home, String log, String... args) {
      List<String> command = new ArrayList<>(List.of(CADDY.toString()));
      command.addAll(List.of(args));
      command.addAll(List.of("--adapter", "caddyfile"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(home.resolve(log).toFile());
      builder.environment().put("HOME", home.toString());
      builder.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
      builder.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
      return builder;
    }

    Answer send(String method, String path, String token, String json) throws Exception {
      List<String> args = new ArrayList<>(List.of("--cacert", home.resolve("data/pki/authorities/local/root.crt").toString(),
          "--resolve", SITE + ":" + httpsPort + ":127.0.0.1", "--interface", CLIENT));
      args.addAll(Curl.request(method, "https://" + SITE + ":" + httpsPort + path, token, json));
      return Curl.run(args);
    }

    /** The first answer to {@code path} once Caddy has its certificate, or the last failure after 30 s. */
    Answer await(String path) throws Exception {
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Answer last;
      do {
        assertThat(process.isAlive()).as("caddy:\n" + log()).isTrue();
        last = Files.exists(home.resolve("data/pki/authorities/local/root.crt")) ? send("GET", path, null, null)
            : new Answer(-1, Map.of(), "no CA yet");
        if (last.status() > 0) {
          return last;
        }
        Thread.sleep(100);
      } while (System.nanoTime() < until);
      throw new AssertionError("no answer through Caddy: " + last.body() + "\n" + log());
    }

    String log() throws IOException {
      return Files.readString(home.resolve("caddy.log"));
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      }
    }
  }
}
