package io.tracetrack.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static io.tracetrack.web.testing.ArchitectureRules.assertBites;
import static io.tracetrack.web.testing.ArchitectureRules.onlyStoresBuildSql;
import static io.tracetrack.web.testing.ArchitectureRules.onlyStoresRunQueries;
import static io.tracetrack.web.testing.ArchitectureRules.neverReaches;
import static io.tracetrack.web.testing.ArchitectureRules.sharedCodeReachesNoApp;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import io.tracetrack.hub.archfixture.a.CycleA;
import io.tracetrack.hub.archfixture.b.CycleB;
import io.tracetrack.hub.archfixture.bad.BadRoutes;
import io.tracetrack.hub.archfixture.bad.BadService;
import io.tracetrack.hub.archfixture.bad.HubIntoEdge;
import io.tracetrack.hub.archfixture.bad.PeerReader;
import io.tracetrack.web.testing.ArchitectureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The hub's layering, enforced: only stores hold SQL; the feature packages form no cycle; the
 * hub and the edge never reach into each other, and the shared web kit into neither. The rules
 * read the compiled main classes (tests excluded); the rules both apps share are built in web-kit's
 * {@link ArchitectureRules}. {@link RulesBite} runs the same rules over fixtures that break them,
 * so a rule that silently stopped matching anything would show.
 */
class ArchitectureTest {

  /**
   * Classes that hold SQL without being stores: none. Every one was split into a {@code @Store} and
   * the class that decides; {@link #notYetSplit_isExactlyWhatHoldsSqlOutsideTheStores} keeps it so.
   */
  private static final java.util.Set<String> NOT_YET_SPLIT = java.util.Set.of();

  /** The database packages: the connection, the schema and what sits below every feature. */
  private static final String[] DB_PACKAGES = {"io.tracetrack.hub.db", "io.tracetrack.hub.log", "io.tracetrack.hub.write"};

  private static JavaClasses main;

  @BeforeAll
  static void importMain() {
    main = ArchitectureRules.importMain();
  }

  static ArchRule featuresFreeOfCycles(String root) {
    return slices().matching(root + ".(*)..").namingSlices("$1").should().beFreeOfCycles();
  }

  static ArchRule hubNeverReachesEdge() {
    return neverReaches("io.tracetrack.hub", "io.tracetrack.edge");
  }

  static ArchRule edgeNeverReachesHub() {
    return neverReaches("io.tracetrack.edge", "io.tracetrack.hub")
        .allowEmptyShould(true); // the edge's classes are not on the hub's class path
  }

  /**
   * Behind a proxy the peer is the proxy: whoever reads it directly keys locks and audits on the
   * proxy's address. Only {@code ClientAddresses} may, and it applies {@code --trusted-proxies}.
   */
  static ArchRule onlyClientAddressesReadsThePeer() {
    return noClasses().that().doNotHaveFullyQualifiedName("io.tracetrack.hub.web.ClientAddresses")
        .should().callMethodWhere(DescribedPredicate.describe("remotePeer() of a request",
            (JavaMethodCall call) -> call.getName().equals("remotePeer")))
        .because("the client address comes from hub.web.ClientAddresses, which knows the trusted proxies");
  }

  /**
   * The change log is the bottom every writer stands on: it may use the database and the shared
   * modules, never a feature (the features import it, so a use the other way is a cycle in waiting).
   */
  static ArchRule logReachesNoFeature() {
    return noClasses().that().resideInAPackage("io.tracetrack.hub.log..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
        .because("hub.log is the bottom: writers of every feature append to it");
  }

  /**
   * The one write path of bags is shared by the API, the push and the import: it may use the log
   * and the dashboard's counters, never the features that call it.
   */
  static ArchRule writePathReachesNoFeature() {
    return noClasses().that().resideInAPackage("io.tracetrack.hub.write..")
        .should().dependOnClassesThat().resideInAnyPackage(java.util.Arrays.stream(FEATURES)
            .filter(p -> !p.equals("io.tracetrack.hub.stats..")).toArray(String[]::new))
        .because("hub.write is below every writer: bag/, sync/ and io/ write bags through it");
  }

  private static final String[] FEATURES = {"io.tracetrack.hub.sync..", "io.tracetrack.hub.bag..",
      "io.tracetrack.hub.bill..", "io.tracetrack.hub.users..", "io.tracetrack.hub.io..", "io.tracetrack.hub.cache..",
      "io.tracetrack.hub.audit..", "io.tracetrack.hub.auth..", "io.tracetrack.hub.stats..", "io.tracetrack.hub.eod..",
      "io.tracetrack.hub.search..", "io.tracetrack.hub.ui..", "io.tracetrack.hub.web..", "io.tracetrack.hub.ops.."};

  @Test
  void writePath_reachesNoFeature() {
    writePathReachesNoFeature().check(main);
  }

  @Test
  void changeLog_reachesNoFeature() {
    logReachesNoFeature().check(main);
  }

  @Test
  void onlyClientAddresses_readsThePeer() {
    onlyClientAddressesReadsThePeer().check(main);
  }

  @Test
  void notYetSplit_isExactlyWhatHoldsSqlOutsideTheStores() {
    org.assertj.core.api.Assertions.assertThat(io.tracetrack.web.testing.ArchitectureRules.sqlOutsideStores(main,
        "io.tracetrack.hub.db.jooq", DB_PACKAGES)).containsExactlyInAnyOrderElementsOf(NOT_YET_SPLIT);
  }

  @Test
  void onlyStores_buildSql() {
    onlyStoresBuildSql("io.tracetrack.hub.db.jooq", NOT_YET_SPLIT, DB_PACKAGES).check(main);
  }

  @Test
  void onlyStores_runQueries() {
    onlyStoresRunQueries(NOT_YET_SPLIT, DB_PACKAGES).check(main);
  }

  @Test
  void featurePackages_areFreeOfCycles() {
    featuresFreeOfCycles("io.tracetrack.hub").check(main);
  }

  @Test
  void modules_pointOneWay() {
    hubNeverReachesEdge().check(main);
    edgeNeverReachesHub().check(main);
    sharedCodeReachesNoApp().check(main);
  }

  @Nested
  class RulesBite {

    private final JavaClasses fixtures = new ClassFileImporter()
        .importClasses(BadRoutes.class, BadService.class, CycleA.class, CycleB.class, HubIntoEdge.class, PeerReader.class,
            io.tracetrack.edge.archfixture.EdgeThing.class);

    @Test
    void sqlBuiltInARoutesClass_fails() {
      assertBites(onlyStoresBuildSql("io.tracetrack.hub.db.jooq", java.util.Set.of(), DB_PACKAGES), fixtures, "BadRoutes", "org.jooq.impl.DSL", "java.sql");
    }

    @Test
    void queryRunInAService_fails() {
      assertBites(onlyStoresRunQueries(java.util.Set.of(), DB_PACKAGES), fixtures, "BadService", "fetchCount");
    }

    @Test
    void packagesUsingEachOther_fail() {
      assertBites(featuresFreeOfCycles("io.tracetrack.hub.archfixture"), fixtures, "Cycle");
    }

    @Test
    void peerReadOutsideClientAddresses_fails() {
      assertBites(onlyClientAddressesReadsThePeer(), fixtures, "PeerReader", "remotePeer");
    }

    @Test
    void logClassUsingAFeature_fails() {
      assertBites(logReachesNoFeature(), new ClassFileImporter().importClasses(
          io.tracetrack.hub.log.archfixture.LogIntoSync.class), "LogIntoSync");
    }

    @Test
    void writePathUsingAFeature_fails() {
      assertBites(writePathReachesNoFeature(), new ClassFileImporter().importClasses(
          io.tracetrack.hub.write.archfixture.WriteIntoBag.class), "WriteIntoBag");
    }

    @Test
    void hubClassUsingAnEdgeClass_fails() {
      assertBites(hubNeverReachesEdge(), fixtures, "HubIntoEdge");
    }
  }
}
