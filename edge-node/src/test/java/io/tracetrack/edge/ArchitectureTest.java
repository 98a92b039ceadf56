package io.tracetrack.edge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.tracetrack.edge.archfixture.BadApi;
import io.tracetrack.edge.archfixture.BadService;
import io.tracetrack.edge.archfixture.EdgeIntoHub;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The edge's layering, enforced: only stores ({@code StoreTx}, {@code EdgeDatabase}, {@code
 * LocalUsers}...) hold SQL; the edge never reaches into the hub, and the shared modules into
 * neither app. The hub's {@code ArchitectureTest} holds the same rules for its side. {@link
 * RulesBite} runs the rules over fixtures that break them.
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

  static ArchRule handlersBuildNoSql() {
    return noClasses().that(HANDLERS).should().dependOnClassesThat(DescribedPredicate.describe(
            "are jOOQ's DSL, the generated jOOQ classes or JDBC",
            (JavaClass c) -> c.getName().equals("org.jooq.impl.DSL") || c.getPackageName().startsWith("io.tracetrack.edge.db.jooq")
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

  static ArchRule edgeNeverReachesHub() {
    return noClasses().that().resideInAPackage("io.tracetrack.edge..")
        .should().dependOnClassesThat().resideInAPackage("io.tracetrack.hub..");
  }

  static ArchRule sharedCodeReachesNoApp() {
    return noClasses().that().resideInAnyPackage("io.tracetrack.web..", "io.tracetrack.model..", "io.tracetrack.sync..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracetrack.edge..", "io.tracetrack.hub..")
        .because("web-kit, shared-model and sync-protocol are used by both apps and know neither");
  }

  @Test
  void routesServicesApisAndMain_buildNoSql() {
    handlersBuildNoSql().check(main);
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
      assertThatThrownBy(() -> handlersBuildNoSql().check(fixtures))
          .isInstanceOf(AssertionError.class).hasMessageContaining("BadApi").hasMessageContaining("org.jooq.impl.DSL")
          .hasMessageContaining("java.sql");
    }

    @Test
    void queryRunInAService_fails() {
      assertThatThrownBy(() -> handlersRunNoQueries().check(fixtures))
          .isInstanceOf(AssertionError.class).hasMessageContaining("BadService").hasMessageContaining("fetchCount");
    }

    @Test
    void edgeClassUsingAHubClass_fails() {
      assertThatThrownBy(() -> edgeNeverReachesHub().check(fixtures))
          .isInstanceOf(AssertionError.class).hasMessageContaining("EdgeIntoHub");
    }
  }
}
