package io.tracetrack.edge;

import static io.tracetrack.web.testing.ArchitectureRules.assertBites;
import static io.tracetrack.web.testing.ArchitectureRules.onlyStoresBuildSql;
import static io.tracetrack.web.testing.ArchitectureRules.onlyStoresRunQueries;
import static io.tracetrack.web.testing.ArchitectureRules.neverReaches;
import static io.tracetrack.web.testing.ArchitectureRules.sharedCodeReachesNoApp;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.tracetrack.edge.archfixture.BadApi;
import io.tracetrack.edge.archfixture.BadService;
import io.tracetrack.edge.archfixture.EdgeIntoHub;
import io.tracetrack.web.testing.ArchitectureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The edge's layering, enforced: only stores ({@code StoreTx}, {@code EdgeDatabase}, {@code
 * LocalUserStore}...) hold SQL; the edge never reaches into the hub, and the shared modules into
 * neither app. The rules both apps share are built in web-kit's {@link ArchitectureRules}; the
 * hub's {@code ArchitectureTest} checks them for its side. {@link RulesBite} runs the rules over
 * fixtures that break them.
 */
class ArchitectureTest {

  /** The database packages: the connection, the schema and what sits below every feature. */
  /**
   * Classes that still hold SQL without being stores: each is to be split into a {@code @Store}
   * and the class that decides, as {@code bag/}, {@code bill/} and {@code sync/}'s push are. The
   * list may only shrink: {@link #notYetSplit_isExactlyWhatHoldsSqlOutsideTheStores} fails when a
   * class joins it and when one leaves it without coming off the list.
   */
  private static final java.util.Set<String> NOT_YET_SPLIT = java.util.Set.of();

  private static final String[] DB_PACKAGES = {"io.tracetrack.edge.db"};

  /** Where the edge's generated jOOQ classes live: handlers must not touch them. */
  private static final String GENERATED = "io.tracetrack.edge.db.jooq";

  private static JavaClasses main;

  @BeforeAll
  static void importMain() {
    main = ArchitectureRules.importMain();
  }

  static ArchRule edgeNeverReachesHub() {
    return neverReaches("io.tracetrack.edge", "io.tracetrack.hub");
  }

  /**
   * The scan path answers a scan with no network and knows nothing of sync; sync rebases the view
   * through the scan path's {@code ViewReplay}. One arrow, sync to scan, and no cycle among the
   * edge's packages at all.
   */
  static ArchRule scanNeverReachesSync() {
    return neverReaches("io.tracetrack.edge.scan", "io.tracetrack.edge.sync");
  }

  static ArchRule edgePackagesFreeOfCycles() {
    return com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching("io.tracetrack.edge.(*)..").should().beFreeOfCycles();
  }

  @Test
  void scanAndSync_pointOneWay_andNoPackagesCycle() {
    scanNeverReachesSync().check(main);
    edgePackagesFreeOfCycles().check(main);
  }

  @Test
  void notYetSplit_isExactlyWhatHoldsSqlOutsideTheStores() {
    org.assertj.core.api.Assertions.assertThat(io.tracetrack.web.testing.ArchitectureRules.sqlOutsideStores(main,
        GENERATED, DB_PACKAGES)).containsExactlyInAnyOrderElementsOf(NOT_YET_SPLIT);
  }

  @Test
  void onlyStores_buildSql() {
    onlyStoresBuildSql(GENERATED, NOT_YET_SPLIT, DB_PACKAGES).check(main);
  }

  @Test
  void onlyStores_runQueries() {
    onlyStoresRunQueries(NOT_YET_SPLIT, DB_PACKAGES).check(main);
  }

  @Test
  void modules_pointOneWay() {
    edgeNeverReachesHub().check(main);
    sharedCodeReachesNoApp().check(main);
  }

  @Nested
  class RulesBite {

    private final JavaClasses fixtures = new ClassFileImporter()
        .importClasses(BadApi.class, BadService.class, EdgeIntoHub.class, io.tracetrack.hub.archfixture.HubThing.class);

    @Test
    void sqlBuiltInAnApiClass_fails() {
      assertBites(onlyStoresBuildSql(GENERATED, java.util.Set.of(), DB_PACKAGES), fixtures, "BadApi", "org.jooq.impl.DSL", "java.sql");
    }

    @Test
    void queryRunInAService_fails() {
      assertBites(onlyStoresRunQueries(java.util.Set.of(), DB_PACKAGES), fixtures, "BadService", "fetchCount");
    }

    @Test
    void scanClassUsingSync_fails() {
      assertBites(scanNeverReachesSync(), new ClassFileImporter().importClasses(
          io.tracetrack.edge.scan.archfixture.ScanIntoSync.class), "ScanIntoSync");
    }

    @Test
    void edgeClassUsingAHubClass_fails() {
      assertBites(edgeNeverReachesHub(), fixtures, "EdgeIntoHub");
    }
  }
}
