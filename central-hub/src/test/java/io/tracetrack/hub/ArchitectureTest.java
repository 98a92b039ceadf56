package io.tracetrack.hub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.tracetrack.hub.archfixture.a.CycleA;
import io.tracetrack.hub.archfixture.b.CycleB;
import io.tracetrack.hub.archfixture.bad.BadRoutes;
import io.tracetrack.hub.archfixture.bad.BadService;
import io.tracetrack.hub.archfixture.bad.HubIntoEdge;
import io.tracetrack.hub.archfixture.bad.PeerReader;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The hub's layering, enforced: only stores hold SQL; the feature packages form no cycle; the
 * hub and the edge never reach into each other, and the shared web kit into neither. The rules
 * read the compiled main classes (tests excluded); {@link RulesBite} runs the same rules over
 * fixtures that break them, so a rule that silently stopped matching anything would show.
 */
class ArchitectureTest {

  /** jOOQ's query entry points: a class that calls these runs SQL of its own. */
  private static final Pattern QUERY_METHODS =
      Pattern.compile("select.*|insertInto|update|deleteFrom|fetch.*|execute|batch.*|mergeInto");

  private static JavaClasses main;

  @BeforeAll
  static void importMain() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.tracetrack");
  }

  /** Routes, services, APIs and {@code Main}, with everything nested in them (lambdas, records). */
  static final DescribedPredicate<JavaClass> HANDLERS = DescribedPredicate.describe(
      "are *Routes, *Service, *Api or Main (or nested in one)", c -> {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
          top = top.getEnclosingClass().get();
        }
        String name = top.getSimpleName();
        return name.endsWith("Routes") || name.endsWith("Service") || name.endsWith("Api") || name.equals("Main");
      });

  static ArchRule handlersBuildNoSql(String generatedPackage) {
    return noClasses().that(HANDLERS).should().dependOnClassesThat(DescribedPredicate.describe(
            "are jOOQ's DSL, the generated jOOQ classes or JDBC",
            (JavaClass c) -> c.getName().equals("org.jooq.impl.DSL") || c.getPackageName().startsWith(generatedPackage)
                || c.getPackageName().startsWith("java.sql")))
        .because("stores hold the SQL; routes and services parse, decide and map");
  }

  static ArchRule handlersRunNoQueries() {
    return noClasses().that(HANDLERS).should().callMethodWhere(DescribedPredicate.describe(
            "a DSLContext query method (select*, insertInto, update, deleteFrom, fetch*, execute, batch*, mergeInto)",
            (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(DSLContext.class)
                && QUERY_METHODS.matcher(call.getName()).matches()))
        .because("a DSLContext may be passed through to a store as the transaction handle, never queried");
  }

  static ArchRule featuresFreeOfCycles(String root) {
    return slices().matching(root + ".(*)..").namingSlices("$1").should().beFreeOfCycles();
  }

  static ArchRule hubNeverReachesEdge() {
    return noClasses().that().resideInAPackage("io.tracetrack.hub..")
        .should().dependOnClassesThat().resideInAPackage("io.tracetrack.edge..");
  }

  static ArchRule edgeNeverReachesHub() {
    return noClasses().that().resideInAPackage("io.tracetrack.edge..")
        .should().dependOnClassesThat().resideInAPackage("io.tracetrack.hub..")
        .allowEmptyShould(true); // the edge's classes are not on the hub's class path
  }

  static ArchRule sharedCodeReachesNoApp() {
    return noClasses().that().resideInAnyPackage("io.tracetrack.web..", "io.tracetrack.model..", "io.tracetrack.sync..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracetrack.edge..", "io.tracetrack.hub..")
        .because("web-kit, shared-model and sync-protocol are used by both apps and know neither");
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

  @Test
  void onlyClientAddresses_readsThePeer() {
    onlyClientAddressesReadsThePeer().check(main);
  }

  @Test
  void routesServicesAndMain_buildNoSql() {
    handlersBuildNoSql("io.tracetrack.hub.db.jooq").check(main);
  }

  @Test
  void routesServicesAndMain_runNoQueries() {
    handlersRunNoQueries().check(main);
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
      assertThatThrownBy(() -> handlersBuildNoSql("io.tracetrack.hub.db.jooq").check(fixtures))
          .isInstanceOf(AssertionError.class).hasMessageContaining("BadRoutes").hasMessageContaining("org.jooq.impl.DSL")
          .hasMessageContaining("java.sql");
    }

    @Test
    void queryRunInAService_fails() {
      assertThatThrownBy(() -> handlersRunNoQueries().check(fixtures))
          .isInstanceOf(AssertionError.class).hasMessageContaining("BadService").hasMessageContaining("fetchCount");
    }

    @Test
    void packagesUsingEachOther_fail() {
      assertThatThrownBy(() -> featuresFreeOfCycles("io.tracetrack.hub.archfixture").check(fixtures))
          .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle");
    }

    @Test
    void peerReadOutsideClientAddresses_fails() {
      assertThatThrownBy(() -> onlyClientAddressesReadsThePeer().check(fixtures))
          .isInstanceOf(AssertionError.class).hasMessageContaining("PeerReader").hasMessageContaining("remotePeer");
    }

    @Test
    void hubClassUsingAnEdgeClass_fails() {
      assertThatThrownBy(() -> hubNeverReachesEdge().check(fixtures))
          .isInstanceOf(AssertionError.class).hasMessageContaining("HubIntoEdge");
    }
  }
}
