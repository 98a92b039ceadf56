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

  /**
   * Classes whose role is SQL: a top-level class marked {@link io.tracetrack.web.Store} (and what
   * is nested in it), or one in the app's database packages ({@code dbPackages}, each a package
   * root). Decided by role and package, never by what a class is called.
   */
  public static DescribedPredicate<JavaClass> stores(String... dbPackages) {
    return DescribedPredicate.describe("are @Store classes or in " + String.join(", ", dbPackages), c -> {
      JavaClass top = c;
      while (top.getEnclosingClass().isPresent()) {
        top = top.getEnclosingClass().get();
      }
      if (top.isAnnotatedWith(io.tracetrack.web.Store.class)) {
        return true;
      }
      for (String p : dbPackages) {
        if (c.getPackageName().equals(p) || c.getPackageName().startsWith(p + ".")) {
          return true;
        }
      }
      return false;
    });
  }

  private ArchitectureRules() {}

  /** Every main class of the project on the class path; test classes (and test-jars) left out. */
  public static JavaClasses importMain() {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.tracetrack");
  }

  /**
   * Only stores build SQL: no other class touches jOOQ's DSL, the app's generated jOOQ classes (in
   * {@code generatedPackage}) or JDBC.
   */
  public static ArchRule onlyStoresBuildSql(String generatedPackage, java.util.Set<String> notYetSplit,
      String... dbPackages) {
    return noClasses().that(checked(notYetSplit, dbPackages)).should().dependOnClassesThat(sql(generatedPackage))
        .because("stores hold the SQL; routes, services and every other class parse, decide and map");
  }

  /** Only stores run queries: any other class may pass a DSLContext on as the transaction handle, never query it. */
  public static ArchRule onlyStoresRunQueries(java.util.Set<String> notYetSplit, String... dbPackages) {
    return noClasses().that(checked(notYetSplit, dbPackages)).should().callMethodWhere(DescribedPredicate.describe(
            "a DSLContext query method (select*, insertInto, update, deleteFrom, fetch*, execute, batch*, mergeInto)",
            (JavaMethodCall call) -> call.getTargetOwner().isAssignableTo(DSL_CONTEXT)
                && QUERY_METHODS.matcher(call.getName()).matches()))
        .because("a DSLContext may be passed through to a store as the transaction handle, never queried");
  }

  /** Every class but the stores and those listed as not yet split (top-level names; what is nested in them goes with them). */
  private static DescribedPredicate<JavaClass> checked(java.util.Set<String> notYetSplit, String... dbPackages) {
    DescribedPredicate<JavaClass> store = stores(dbPackages);
    return DescribedPredicate.describe("are neither stores nor listed as not yet split", c -> {
      JavaClass top = c;
      while (top.getEnclosingClass().isPresent()) {
        top = top.getEnclosingClass().get();
      }
      return !store.test(c) && !notYetSplit.contains(top.getName());
    });
  }

  /** jOOQ's DSL, the app's generated jOOQ classes (in {@code generatedPackage}) or JDBC. */
  private static DescribedPredicate<JavaClass> sql(String generatedPackage) {
    return DescribedPredicate.describe("are jOOQ's DSL, the generated jOOQ classes or JDBC",
        (JavaClass c) -> c.getName().equals("org.jooq.impl.DSL") || c.getPackageName().startsWith(generatedPackage)
            || c.getPackageName().startsWith("java.sql"));
  }

  /**
   * The top-level classes outside the stores that hold SQL today (build it or run it): what
   * {@link #onlyStoresBuildSql} and {@link #onlyStoresRunQueries} would name, by class. An app
   * keeps the list of those not yet split into a store and a class that decides, and its test
   * checks that list is exactly this set, so it can only shrink.
   */
  public static java.util.SortedSet<String> sqlOutsideStores(JavaClasses classes, String generatedPackage,
      String... dbPackages) {
    DescribedPredicate<JavaClass> store = stores(dbPackages);
    DescribedPredicate<JavaClass> sql = sql(generatedPackage);
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    for (JavaClass c : classes) {
      if (store.test(c)) {
        continue;
      }
      boolean holds = c.getDirectDependenciesFromSelf().stream().anyMatch(d -> sql.test(d.getTargetClass()))
          || c.getMethodCallsFromSelf().stream().anyMatch(call -> call.getTargetOwner().isAssignableTo(DSL_CONTEXT)
              && QUERY_METHODS.matcher(call.getName()).matches());
      if (holds) {
        JavaClass top = c;
        while (top.getEnclosingClass().isPresent()) {
          top = top.getEnclosingClass().get();
        }
        out.add(top.getName());
      }
    }
    return out;
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
