package io.tracetrack.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

  private final JsonBody body = new JsonBody(1024, 4);

  @Test
  void isJson_exactTypeWithParameters() {
    assertThat(JsonBody.isJson("application/json")).isTrue();
    assertThat(JsonBody.isJson("APPLICATION/JSON ; charset=\"utf-8\"")).isTrue();
    assertThat(JsonBody.isJson("application/jsonx")).isFalse();
    assertThat(JsonBody.isJson("application/json+x")).isFalse();
    assertThat(JsonBody.isJson("application/json; charset=utf-16")).isFalse();
    assertThat(JsonBody.isJson("")).isFalse();
  }

  @Test
  void parse_duplicateKey_refused() {
    assertThatThrownBy(() -> parse("{\"a\":1,\"a\":2}")).isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> parse("{\"o\":{\"a\":1,\"a\":1}}")).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void parse_trailingData_refused() {
    assertThatThrownBy(() -> parse("{} []")).isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> parse("{}}")).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void parse_trailingWhitespace_fine() throws Exception {
    assertThat(parse("{\"a\":1}\r\n ").get("a").intValue()).isEqualTo(1);
  }

  @Test
  void parse_tooDeep_refused() {
    assertThatThrownBy(() -> parse("[[[[[[1]]]]]]")).isInstanceOf(JsonProcessingException.class);
  }

  private com.fasterxml.jackson.databind.JsonNode parse(String json) throws java.io.IOException {
    return body.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
