package io.tracetrack.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubConfigTest {

  @Test
  void poolSize_defaultsToTheDatabasesCores_flagAndVariableWin() {
    int local = io.tracetrack.hub.db.PoolSize.forCores(Runtime.getRuntime().availableProcessors());
    assertThat(HubConfig.parse(new String[0], Map.of()).poolSize()).as("embedded PostgreSQL: this machine").isEqualTo(local);
    assertThat(HubConfig.parse(new String[] {"--db", "h2"}, Map.of()).poolSize()).isEqualTo(local);
    assertThat(HubConfig.parse(new String[] {"--db-url", "jdbc:postgresql://db.example/t", "--db-cores", "8"}, Map.of()).poolSize())
        .isEqualTo(17);
    assertThat(HubConfig.parse(new String[0], Map.of("HUB_DB_URL", "jdbc:postgresql://db.example/t", "HUB_DB_CORES", "4"))
        .poolSize()).isEqualTo(9);
    HubConfig remote = HubConfig.parse(new String[] {"--db-url", "jdbc:postgresql://db.example/t"}, Map.of());
    assertThat(remote.pool().reason()).contains("--db-cores");
    assertThat(HubConfig.parse(new String[] {"--pool-size", "40", "--db-cores", "8"}, Map.of()).poolSize()).isEqualTo(40);
    assertThat(HubConfig.parse(new String[0], Map.of("HUB_POOL_SIZE", "12")).poolSize()).isEqualTo(12);
    assertThatThrownBy(() -> HubConfig.parse(new String[] {"--db-cores", "0"}, Map.of()))
        .hasMessageContaining("--db-cores must be between 1 and 1024");
  }

  @Test
  void kafka_offByDefault_onFromFlagOrEnvironment_andItsMistakesNamed() {
    assertThat(HubConfig.parse(new String[0], Map.of()).events()).isNull();
    assertThat(HubConfig.parse(new String[] {"--kafka", "k1:9092, k2:9092"}, Map.of()).events())
        .isEqualTo(new HubConfig.Events("k1:9092,k2:9092", "tracetrack.events"));
    assertThat(HubConfig.parse(new String[0], Map.of("HUB_KAFKA", "k1:9092", "HUB_KAFKA_TOPIC", "tt.events")).events())
        .isEqualTo(new HubConfig.Events("k1:9092", "tt.events"));
    assertThatThrownBy(() -> HubConfig.parse(new String[] {"--kafka", "k1"}, Map.of()))
        .hasMessageStartingWith("--kafka must be HOST:PORT");
    assertThatThrownBy(() -> HubConfig.parse(new String[] {"--kafka", "k1:9092", "--kafka-topic", "a/b"}, Map.of()))
        .hasMessageStartingWith("--kafka-topic must be");
    assertThatThrownBy(() -> HubConfig.parse(new String[] {"--kafka-topic", "t"}, Map.of()))
        .hasMessageStartingWith("--kafka-topic needs --kafka");
  }

  @Test
  void defaults_embeddedPostgresOnPort8080() {
    HubConfig c = HubConfig.parse(new String[0], Map.of());
    assertThat(c.embedded()).isTrue();
    assertThat(c.db()).isEqualTo(HubConfig.Db.POSTGRES);
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("hub-data").toAbsolutePath());
    assertThat(c.tokenLifetime().toMinutes()).isEqualTo(15);
    assertThat(c.allowedHosts()).isEmpty(); // any Host: the hub runs behind proxies
    assertThat(c.trustedProxies().isEmpty()).as("X-Forwarded-For ignored unless proxies are named").isTrue();
  }

  @Test
  void trustedProxies_fromFlagOrEnvironment() {
    assertThat(HubConfig.parse(new String[] {"--trusted-proxies", "10.0.0.5, 10.1.0.0/16,fd00::/8"}, Map.of())
        .trustedProxies().ranges()).extracting(Object::toString)
        .containsExactly("10.0.0.5/32", "10.1.0.0/16", "fd00:0:0:0:0:0:0:0/8");
    assertThat(HubConfig.parse(new String[0], Map.of("HUB_TRUSTED_PROXIES", "127.0.0.1")).trustedProxies().ranges())
        .hasSize(1);
  }

  @Test
  void allowedHosts_fromEnvironment() {
    assertThat(HubConfig.parse(new String[0], Map.of("HUB_ALLOWED_HOSTS", "Hub.Example, 10.0.0.9")).allowedHosts())
        .containsExactly("hub.example", "10.0.0.9");
  }

  @Test
  void postgres_fromFlagsAndSecretsFromEnvironment() {
    HubConfig c = HubConfig.parse(new String[] {"--db-url", "jdbc:postgresql://db/tt", "--db-user", "tt"},
        Map.of("HUB_DB_PASSWORD", "s3cret", "HUB_PORT", "9090"));
    assertThat(c.embedded()).isFalse();
    assertThat(c.dbPassword()).isEqualTo("s3cret");
    assertThat(c.port()).isEqualTo(9090);
  }

  @Test
  void h2_isAnExplicitChoice_byFlagOrEnvironment() {
    assertThat(HubConfig.parse(new String[] {"--db", "h2"}, Map.of()).db()).isEqualTo(HubConfig.Db.H2);
    assertThat(HubConfig.parse(new String[0], Map.of("HUB_DB", "H2")).db()).isEqualTo(HubConfig.Db.H2);
    assertThat(HubConfig.parse(new String[] {"--db", "postgres"}, Map.of("HUB_DB", "h2")).db())
        .as("a flag wins over the environment").isEqualTo(HubConfig.Db.POSTGRES);
  }

  @Test
  void changeLogRetention_30DaysByDefault_fromFlagOrEnvironment() {
    assertThat(HubConfig.parse(new String[0], Map.of()).changeLogRetention()).isEqualTo(java.time.Duration.ofDays(30));
    assertThat(HubConfig.parse(new String[] {"--change-log-retention", "7"}, Map.of()).changeLogRetention())
        .isEqualTo(java.time.Duration.ofDays(7));
    assertThat(HubConfig.parse(new String[0], Map.of("HUB_CHANGE_LOG_RETENTION_DAYS", "90")).changeLogRetention())
        .isEqualTo(java.time.Duration.ofDays(90));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "secret as flag|--db-password hunter2|environment",
      "admin password as flag|--admin-password=x|environment",
      "unknown flag|--frobnicate 1|Unknown options: '--frobnicate', '1'",
      "port not a number|--port http|whole number",
      "port out of range|--port 70000|between",
      "not a postgres url|--db-url jdbc:mysql://x/y|PostgreSQL JDBC URL",
      "missing value|--port|Missing required parameter for option '--port'",
      "unknown database|--db mysql|postgres or h2",
      "h2 with a server url|--db h2 --db-url jdbc:postgresql://db/tt|exclude each other",
      "allowed host with port|--allowed-hosts hub.example:443|--allowed-hosts",
      "trusted proxy by name|--trusted-proxies proxy.example|--trusted-proxies: not an IP address",
      "trusted proxy with port|--trusted-proxies 10.0.0.5:80|--trusted-proxies: not an IP address",
      "trusted range too wide|--trusted-proxies 10.0.0.0/40|--trusted-proxies: prefix length",
      "trusted range with host bits|--trusted-proxies 10.0.0.7/8|--trusted-proxies: 10.0.0.7/8 has bits set",
      "trusted proxies trailing comma|--trusted-proxies 10.0.0.5,|--trusted-proxies: not an IP address",
      "no change-log retention|--change-log-retention 0|between 1 and 3650",
      "change-log retention not days|--change-log-retention 30d|whole number",
  })
  void hostileConfiguration_isRefusedClearly(String name, String args, String message) {
    assertThatThrownBy(() -> HubConfig.parse(args.split(" "), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
