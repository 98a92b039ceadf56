package io.tracetrack.web.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.regex.Pattern;

/**
 * The layering rules the edge and the hub share: only stores hold SQL, and the shared modules know
 * neither app. Each app's {@code ArchitectureTest} checks them against its own packages and keeps
 * its own rules and the fixtures that prove each rule still bites.
 */
public final class ArchitectureRules {

  /** jOOQ's query entry points: a class that calls these runs SQL of its own. */
  private static final Pattern QUERY_METHODS =
      Pattern.compile("select.*|insertInto|update|deleteFrom|fetch.*|execute|batch.*|mergeInto");

  /** By name: web-kit does not depend on jOOQ, the apps that check these rules do. */
  private static final String DSL_CONTEXT = "org.jooq.DSLContext";

  /** Routes, services, APIs and {@code Main}, with everything nested in them (lambdas, records). */
  public static final DescribedPredicate<JavaClass> HANDLERS = DescribedPredicate.describe(
      "are *Routes, *Service, *Api or Main (or nested in one)", c -> {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
          top = top.getEnclosingClass().get();
        }
        String name = top.getSimpleName();
        return name.endsWith("Routes") || name.endsWith("Service") || name.endsWith("Api") || name.equals("Main");
      });

  private ArchitectureRules() {}

  /** Every main class of the project on the class path; test classes (and test-jars) left out. */
  public static JavaClasses importMain() {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.tracetrack");
  }

  /** Handlers touch neither jOOQ's DSL, nor the app's generated jOOQ classes (in {@code generatedPackage}), nor JDBC. */
  public static ArchRule handlersBuildNoSql(String generatedPackage) {
    return noClasses().that(HANDLERS).should().dependOnClassesThat(DescribedPredicate.describe(
            "are jOOQ's DSL, the generated jOOQ classes or JDBC",
            (JavaClass c) -> c.getName().equals("org.jooq.impl.DSL") || c.getPackageName().startsWith(generatedPackage)
                || c.getPackageName().startsWith("java.sql")))
        .because("stores hold the SQL; routes and services parse, decide and map");
  }

  public static ArchRule handlersRunNoQueries() {
    return noClasses().that(HANDLERS).should().callMethodWhere(DescribedPredicate.describe(
            "a DSLContext query method (select*, insertInto, update, deleteFrom, fetch*, execute, batch*, mergeInto)",
            (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(DSL_CONTEXT)
                && QUERY_METHODS.matcher(call.getName()).matches()))
        .because("a DSLContext may be passed through to a store as the transaction handle, never queried");
  }

  /** No class under {@code from} depends on one under {@code into} (both package roots). */
  public static ArchRule neverReaches(String from, String into) {
    return noClasses().that().resideInAPackage(from + "..")
        .should().dependOnClassesThat().resideInAPackage(into + "..");
  }

  public static ArchRule sharedCodeReachesNoApp() {
    return noClasses().that().resideInAnyPackage("io.tracetrack.web..", "io.tracetrack.model..", "io.tracetrack.sync..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracetrack.edge..", "io.tracetrack.hub..")
        .because("web-kit, shared-model and sync-protocol are used by both apps and know neither");
  }

  /**
   * Proves a rule still bites: checked against fixtures that break it, it fails and its message
   * names each of {@code named} (the offending class, the forbidden target).
   */
  public static void assertBites(ArchRule rule, JavaClasses fixtures, String... named) {
    var failure = assertThatThrownBy(() -> rule.check(fixtures)).isInstanceOf(AssertionError.class);
    for (String name : named) {
      failure.hasMessageContaining(name);
    }
  }
}
