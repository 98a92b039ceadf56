package io.tracetrack.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tracetrack.web.cli.EnvironmentDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy files (compose, Kubernetes, systemd) name only what the hub reads: every {@code HUB_*}
 * variable is one of its flags' variables or secrets, every probe path answers 200 on a running
 * hub, and every port the files route to is the port they set. A renamed flag or route fails here,
 * not at someone's deployment.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeployManifestsTest {

  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private HubTestServer hub;
  @TempDir Path copies;

  @BeforeAll
  void start() throws Exception {
    hub = HubTestServer.start("h2");
  }

  @AfterAll
  void stop() {
    hub.close();
  }

  /** The variables the hub reads: its flags' and its secrets'. */
  private static Set<String> known() {
    Set<String> names = new TreeSet<>();
    var root = HubCommandLine.commandLine(Map.of());
    root.getCommandSpec().options().forEach(o -> EnvironmentDefaults.variable(o).ifPresent(names::add));
    names.addAll(List.of("HUB_DB_PASSWORD", "HUB_ADMIN_PASSWORD", "HUB_JWT_SECRET", "HUB_SMTP_PASSWORD"));
    return names;
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
        if (d != null && !d.isNull()) {
          docs.add(d);
        }
      });
    }
    return docs;
  }

  /** The {@code NAME=value} lines of an environment file. */
  private static Map<String, String> envFile(Path file) throws IOException {
    Map<String, String> vars = new java.util.LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
        vars.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
      }
    }
    return vars;
  }

  @Test
  void compose_namesOnlyVariablesTheHubReads_andItsProxyProbesAPathTheHubServes() throws Exception {
    Path dir = DEPLOY.resolve("compose");
    JsonNode compose = documents(dir.resolve("compose.yaml")).getFirst();
    Set<String> named = new TreeSet<>();
    List<String> ports = new ArrayList<>();
    for (String service : List.of("hub-1", "hub-2")) {
      JsonNode hubService = compose.at("/services/" + service);
      assertThat(hubService.isMissingNode()).as(service).isFalse();
      // the anchor's merge is the YAML parser's: the service's environment is the shared one
      JsonNode env = hubService.has("environment") ? hubService.get("environment") : compose.at("/x-hub/environment");
      env.fieldNames().forEachRemaining(named::add);
      ports.add(env.get("HUB_PORT").asText());
      compose.at("/x-hub/expose").forEach(p -> assertThat(p.asText()).isEqualTo(env.get("HUB_PORT").asText()));
    }
    named.addAll(envFile(dir.resolve("hub.secrets.env.example")).keySet());
    assertThat(named).as("HUB_* variables compose sets").isSubsetOf(known());
    assertThat(named).contains("HUB_DB_URL", "HUB_KAFKA", "HUB_JWT_SECRET");
    String caddy = Files.readString(dir.resolve("Caddyfile"));
    assertThat(caddy).contains("hub-1:" + ports.getFirst()).contains("hub-2:" + ports.getLast());
    String probe = caddy.replaceAll("(?s).*health_uri\\s+(\\S+).*", "$1");
    assertThat(hub.send("GET", probe, null, null, null).status()).as("the proxy's health_uri " + probe).isEqualTo(200);
  }

  @Test
  void kubernetes_namesOnlyVariablesTheHubReads_probesPathsItServes_onThePortItIsTold() throws Exception {
    List<JsonNode> docs = documents(DEPLOY.resolve("k8s").resolve("hub.yaml"));
    JsonNode config = docs.stream().filter(d -> d.path("kind").asText().equals("ConfigMap")).findFirst().orElseThrow();
    JsonNode deployment = docs.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
    JsonNode service = docs.stream().filter(d -> d.path("kind").asText().equals("Service")).findFirst().orElseThrow();
    assertThat(docs).extracting(d -> d.path("kind").asText())
        .contains("PodDisruptionBudget", "HorizontalPodAutoscaler");
    Set<String> named = new TreeSet<>();
    config.get("data").fieldNames().forEachRemaining(named::add);
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    container.path("env").forEach(e -> named.add(e.get("name").asText()));
    assertThat(named).as("HUB_* variables the manifests set").isSubsetOf(known());
    int port = config.get("data").get("HUB_PORT").asInt();
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(port);
    assertThat(service.at("/spec/ports/0/targetPort").asInt()).isEqualTo(port);
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      JsonNode get = container.at("/" + probe + "/httpGet");
      assertThat(get.get("port").asInt()).as(probe + " port").isEqualTo(port);
      assertThat(hub.send("GET", get.get("path").asText(), null, null, null).status()).as(probe + " " + get.get("path"))
          .isEqualTo(200);
    }
  }

  /** Each kind the Kubernetes file holds, at the API version it must name, as Kubernetes' model has it. */
  private static final Map<String, Map.Entry<String, Class<?>>> KUBERNETES_KINDS = Map.of(
      "ConfigMap", Map.entry("v1", io.fabric8.kubernetes.api.model.ConfigMap.class),
      "Service", Map.entry("v1", io.fabric8.kubernetes.api.model.Service.class),
      "Deployment", Map.entry("apps/v1", io.fabric8.kubernetes.api.model.apps.Deployment.class),
      "PodDisruptionBudget", Map.entry("policy/v1", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
      "HorizontalPodAutoscaler",
      Map.entry("autoscaling/v2", io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class));

  /**
   * Every field of the Kubernetes file is one Kubernetes defines, of the type it defines, for the
   * kind and API version the object names: what {@code kubectl apply --validate=strict} would
   * refuse (a misspelt {@code readinesProbe}, a port given as a word) fails here, short of a
   * cluster. Read with fabric8's object model, generated from Kubernetes' API schema: a field it
   * does not know lands in the object's {@code additionalProperties}, which must stay empty.
   */
  @Test
  void kubernetes_everyFieldIsOneKubernetesDefines() throws Exception {
    List<JsonNode> docs = documents(DEPLOY.resolve("k8s").resolve("hub.yaml"));
    assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactlyInAnyOrderElementsOf(KUBERNETES_KINDS.keySet());
    for (JsonNode doc : docs) {
      var kind = KUBERNETES_KINDS.get(doc.path("kind").asText());
      assertThat(doc.path("apiVersion").asText()).as(doc.path("kind").asText()).isEqualTo(kind.getKey());
      Object typed = YAML.treeToValue(doc, kind.getValue());
      List<String> unknown = new ArrayList<>();
      unknownFields(typed, doc.path("kind").asText(), unknown);
      assertThat(unknown).as("fields Kubernetes does not define").isEmpty();
    }
  }

  /** The paths of the fields fabric8's model kept aside as unknown, anywhere under {@code o}. */
  private static void unknownFields(Object o, String path, List<String> out) throws Exception {
    if (o == null) {
      return;
    }
    if (o instanceof Iterable<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", out);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      for (var e : map.entrySet()) {
        unknownFields(e.getValue(), path + "." + e.getKey(), out);
      }
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (var method : o.getClass().getMethods()) {
      if (method.getParameterCount() != 0 || !method.getName().startsWith("get") || method.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value = method.invoke(o);
      if (method.getName().equals("getAdditionalProperties")) {
        ((Map<?, ?>) value).keySet().forEach(k -> out.add(path + "." + k));
      } else {
        unknownFields(value, path + "." + method.getName().substring(3), out);
      }
    }
  }

  /**
   * systemd's own check of both units (a misspelt key, a bad value, a missing section), as {@code
   * systemctl} would load them. {@code ExecStart} runs {@code /usr/bin/java}; where this machine has
   * none there, the check runs on a copy naming the Java this test runs on.
   */
  @Test
  void systemd_units_loadWithoutAWarning() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeThat(Files.isExecutable(analyze)).as("systemd-analyze (Debian's systemd package)").isTrue();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    for (Path unit : List.of(DEPLOY.resolve("hub").resolve("tracetrack-hub.service"),
        DEPLOY.resolve("edge").resolve("tracetrack-edge.service"))) {
      Path checked = unit;
      if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
        checked = copies.resolve(unit.getFileName().toString());
        Files.writeString(checked, Files.readString(unit).replace("ExecStart=/usr/bin/java ", "ExecStart=" + java + " "));
      }
      Process p = new ProcessBuilder(analyze.toString(), "verify", checked.toAbsolutePath().toString()).redirectErrorStream(true).start();
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(unit + ": " + said).isZero();
      assertThat(said).as(unit + ": systemd-analyze verify").isBlank();
    }
  }

  @Test
  void systemd_environment_namesOnlyVariablesTheHubReads() throws Exception {
    Set<String> named = new TreeSet<>(envFile(DEPLOY.resolve("hub").resolve("hub.env")).keySet());
    // the commented-out ones are settings too: a person uncomments them
    for (String line : Files.readAllLines(DEPLOY.resolve("hub").resolve("hub.env"))) {
      if (line.matches("#HUB_[A-Z_]+=.*")) {
        named.add(line.substring(1, line.indexOf('=')));
      }
    }
    assertThat(named).isNotEmpty().isSubsetOf(known());
  }
}
