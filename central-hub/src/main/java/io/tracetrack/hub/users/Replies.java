package io.tracetrack.hub.users;

import io.helidon.webserver.http.ServerResponse;
import io.tracetrack.hub.web.Http;
import java.util.function.Function;

/** Maps an {@link Outcome} to an answer: the value as JSON, or problem+json with the refusal's code. */
final class Replies {

  private Replies() {}

  static <T> void answer(ServerResponse res, Outcome<T> outcome, int status, Function<T, Object> body) {
    switch (outcome) {
      case Outcome.Done<T> done -> Http.json(res, status, body.apply(done.value()));
      case Outcome.Refused<T> refused -> Http.problem(res, refused.code().status(), refused.code(), refused.message());
    }
  }

  static <T> void answer(ServerResponse res, Outcome<T> outcome, int status) {
    answer(res, outcome, status, v -> v);
  }
}
