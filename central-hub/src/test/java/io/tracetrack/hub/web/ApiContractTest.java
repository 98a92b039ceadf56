package io.tracetrack.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The contract every test's answers are held to can tell a wrong answer from a right one. */
class ApiContractTest {

  private static final String BAG = """
      {"code":"P1001-3","role":"PARENT","expectedCount":3,"limit":3,"childCount":1,"complete":false,"parent":null,
       "children":["C1"],"finishedBy":null,"finishedAt":null,"bill":null,"area":"NORTH","dock":null,"createdBy":"amir",
       "createdAt":"2026-12-05T10:00:00Z","history":[],"historyBefore":null}""";
  private static final String PROBLEM = """
      {"type":"about:blank","title":"Not Found","status":404,"code":"BAG_NOT_FOUND","detail":"no bag P9-3"}""";

  private final ApiContract contract = ApiContractHolder.get();

  @Test
  void aBagAsDocumented_passes() {
    assertThat(contract.check("GET", "/api/v1/bags/P1001-3", 200, "application/json", BAG)).isEmpty();
    assertThat(contract.check("GET", "/api/v1/bags/P9-3?x=1", 404, "application/problem+json", PROBLEM)).isEmpty();
  }

  @Test
  void aWrongType_aMissingField_anUnknownCode_aStrayStatus_orAnotherMediaType_areCaught() {
    assertThat(contract.check("GET", "/api/v1/bags/P1001-3", 200, "application/json", BAG.replace("\"childCount\":1", "\"childCount\":\"one\"")))
        .isPresent().get().asString().contains("childCount");
    assertThat(contract.check("GET", "/api/v1/bags/P1001-3", 200, "application/json", BAG.replace("\"code\":\"P1001-3\",", "")))
        .isPresent();
    assertThat(contract.check("GET", "/api/v1/bags/P9-3", 404, "application/problem+json", PROBLEM.replace("BAG_NOT_FOUND", "NO_SUCH_THING")))
        .isPresent();
    assertThat(contract.check("GET", "/api/v1/bags/P1001-3", 202, "application/json", BAG)).isPresent().get().asString()
        .contains("202");
    assertThat(contract.check("GET", "/api/v1/bags/P1001-3", 200, "text/csv", "code\nP1001-3\n")).isPresent();
    assertThat(contract.check("GET", "/api/v1/bags/P1001-3", 200, "application/json", "not json")).isPresent();
  }

  @Test
  void everyRequestExample_fitsItsOwnSchema() {
    assertThat(contract.badRequestExamples()).isEmpty();
  }

  @Test
  void aRouteTheDocumentDoesNotName_isLeftToOpenApiTest() {
    assertThat(contract.check("GET", "/api/v1/no-such-route", 404, "application/problem+json", PROBLEM)).isEmpty();
  }

  /** The one contract, as the tests' server uses it. */
  static final class ApiContractHolder {
    static ApiContract get() {
      return ApiContract.instance();
    }
  }
}
