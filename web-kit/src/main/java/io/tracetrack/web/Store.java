package io.tracetrack.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The role of a class whose job is a feature's SQL: it reads and writes rows inside the transaction
 * its caller hands it and maps them to records; it decides nothing, audits nothing and knows no
 * HTTP. Both apps' architecture tests allow SQL only in classes with this role and in their
 * database packages (the connection, the schema, the change log and the write path), whatever a
 * class is called: a service that runs a query fails the build, and so does a "helper".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Store {}
