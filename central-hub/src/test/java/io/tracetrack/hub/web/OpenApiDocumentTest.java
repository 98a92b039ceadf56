package io.tracetrack.hub.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API document as an integrator's tooling reads it (issue #16 item 6): swagger-parser, the
 * reference OpenAPI parser, finds no error in it, and every operation is complete: tags, a request
 * schema for every write that takes a body, a described 2xx answer with its schema (or the file
 * type it sends), and its refusals as problem+json.
 */
class OpenApiDocumentTest {

  /** Writes that take no body: the path says all (an action on a named thing). */
  private static final Set<String> NO_BODY = Set.of(
      "POST /api/v1/auth/logout", "DELETE /api/v1/auth/session", "POST /api/v1/auth/session/refresh",
      "POST /api/v1/audit/verify", "POST /api/v1/bills/{id}/reopen", "DELETE /api/v1/bills/{id}/parents/{parent}",
      "DELETE /api/v1/links/{child}", "POST /api/v1/docks/{name}/code", "POST /api/v1/docks/{name}/revoke",
      "POST /api/v1/users/{username}/unlock", "DELETE /api/v1/users/{username}",
      "DELETE /api/v1/users/{username}/dock-access/{area}", "POST /api/v1/me/logout-all", "POST /api/v1/me/totp",
      "POST /api/v1/promotion-requests/{id}/approve", "POST /api/v1/promotion-requests/{id}/reject",
      "POST /api/v1/sync/conflicts/{id}/ack", "POST /api/v1/eod/{day}/mail", "POST /api/bills",
      "POST /api/v1/webhooks/{id}/deliveries/{delivery}/retry");

  static OpenAPI api;
  static List<String> messages;

  @BeforeAll
  static void parse() throws IOException {
    String yaml;
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, options);
    api = result.getOpenAPI();
    messages = result.getMessages() == null ? List.of() : result.getMessages();
  }

  @Test
  void theReferenceParser_readsItWithoutAnError() {
    assertThat(api).as("parsed").isNotNull();
    assertThat(messages).as("what swagger-parser says about it").isEmpty();
    assertThat(api.getOpenapi()).startsWith("3.1");
  }

  @Test
  void everyOperation_isComplete() {
    List<String> gaps = new ArrayList<>();
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
      String name = method + " " + path;
      check(name, method, op, gaps);
    }));
    assertThat(gaps).as("operations the document leaves incomplete").isEmpty();
  }

  /** A response as written, or the component a {@code $ref} names. */
  private static ApiResponse resolve(ApiResponse response) {
    if (response.get$ref() == null) {
      return response;
    }
    String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
    return api.getComponents().getResponses().get(name);
  }

  private static void check(String name, PathItem.HttpMethod method, Operation op, List<String> gaps) {
    if (op.getTags() == null || op.getTags().isEmpty()) {
      gaps.add(name + ": no tag");
    }
    if (op.getSummary() == null || op.getSummary().isBlank()) {
      gaps.add(name + ": no summary");
    }
    boolean write = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
        || method == PathItem.HttpMethod.PATCH;
    if (write && !NO_BODY.contains(name)) {
      if (op.getRequestBody() == null || op.getRequestBody().getContent() == null || op.getRequestBody().getContent().isEmpty()) {
        gaps.add(name + ": no request body");
      } else {
        op.getRequestBody().getContent().forEach((type, media) -> {
          if (media.getSchema() == null) {
            gaps.add(name + ": request " + type + " has no schema");
          }
          if (type.contains("json") && media.getExample() == null && (media.getExamples() == null || media.getExamples().isEmpty())
              && media.getSchema() != null && media.getSchema().getExample() == null) {
            gaps.add(name + ": request has no example");
          }
        });
      }
    }
    if (op.getResponses() == null) {
      gaps.add(name + ": no responses");
      return;
    }
    boolean success = false;
    for (Map.Entry<String, ApiResponse> r : op.getResponses().entrySet()) {
      String code = r.getKey();
      ApiResponse response = resolve(r.getValue());
      if (code.startsWith("2")) {
        success = true;
        if (!code.equals("204") && (response.getContent() == null || response.getContent().isEmpty())) {
          gaps.add(name + ": " + code + " says nothing of its body");
        } else if (response.getContent() != null) {
          for (Map.Entry<String, MediaType> m : response.getContent().entrySet()) {
            if (m.getKey().contains("json") && m.getValue().getSchema() == null) {
              gaps.add(name + ": " + code + " " + m.getKey() + " has no schema");
            }
          }
        }
      } else if (code.startsWith("3")) {
        success = true; // the seed-era routes: a redirect is their answer
      } else if (code.startsWith("4") || code.startsWith("5")) {
        if (response.getContent() == null || !response.getContent().containsKey("application/problem+json")) {
          gaps.add(name + ": " + code + " is not problem+json");
        }
      }
    }
    if (!success) {
      gaps.add(name + ": no 2xx answer");
    }
  }
}
