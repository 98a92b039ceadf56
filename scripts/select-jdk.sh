# Sourced by ./tracetrack and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, then the `java` on PATH, then the newest JDK under /usr/lib/jvm.
# The machines this runs on ship Java 17 as the default `java`, so the fallback matters.

tt_java_major() { # prints the feature version of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

tt_select_jdk() {
  local candidate major best="" best_major=0
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(tt_java_major "$candidate/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ]; then
      # the first acceptable one in the order above wins; an explicit JAVA_HOME is respected
      best="$candidate"; best_major="$major"; break
    fi
  done
  if [ -z "$best" ]; then
    echo "tracetrack: no JDK 21 or newer found (looked at \$JAVA_HOME, the java on PATH and /usr/lib/jvm/*)." >&2
    echo "tracetrack: install one (for example a Temurin 21+ JDK) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  # JDK 24+: Maven's own Guice calls sun.misc.Unsafe and the JDK warns on stderr at every build;
  # JDK 21 does not know the flag, so it is set here rather than in .mvn/jvm.config
  if [ "$best_major" -ge 24 ] && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe-memory-access* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
  fi
  echo "tracetrack: using JDK $best_major at $JAVA_HOME" >&2
}
