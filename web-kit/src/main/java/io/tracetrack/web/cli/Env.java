package io.tracetrack.web.cli;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The environment variable a flag falls back to: a flag given on the command line wins, then this
 * variable (when set and not blank), then the flag's default. Sits next to the {@code @Option} so
 * the name of a flag and of its variable are read, and changed, together; the help lists them
 * from here. Secrets never get one: they have no flag at all.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Env {

  /** The variable's name, e.g. {@code EDGE_PORT}. */
  String value();
}
