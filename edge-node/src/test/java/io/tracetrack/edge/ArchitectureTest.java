package io.tracetrack.edge;

import static io.tracetrack.web.testing.ArchitectureRules.assertBites;
import static io.tracetrack.web.testing.ArchitectureRules.handlersBuildNoSql;
import static io.tracetrack.web.testing.ArchitectureRules.handlersRunNoQueries;
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
 * LocalUsers}...) hold SQL; the edge never reaches into the hub, and the shared modules into
 * neither app. The rules both apps share are built in web-kit's {@link ArchitectureRules}; the
 * hub's {@code ArchitectureTest} checks them for its side. {@link RulesBite} runs the rules over
 * fixtures that break them.
 */
class ArchitectureTest {

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
  void routesServicesApisAndMain_buildNoSql() {
    handlersBuildNoSql(GENERATED).check(main);
  }

  @Test
  void routesServicesApisAndMain_runNoQueries() {
    handlersRunNoQueries().check(main);
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
      assertBites(handlersBuildNoSql(GENERATED), fixtures, "BadApi", "org.jooq.impl.DSL", "java.sql");
    }

    @Test
    void queryRunInAService_fails() {
      assertBites(handlersRunNoQueries(), fixtures, "BadService", "fetchCount");
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
