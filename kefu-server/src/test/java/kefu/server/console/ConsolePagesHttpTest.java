package kefu.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consoles' files and the dashboard's token list, over HTTP, without a browser. */
class ConsolePagesHttpTest {
  ConsoleKefu kefu;

  @BeforeEach
  void start() {
    kefu = ConsoleKefu.start(c -> c.withAdminToken("console-test-token"));
  }

  @AfterEach
  void stop() throws IOException {
    kefu.close();
  }

  @Test
  void pages_and_assets_are_served_with_their_content_types_and_without_the_admin_token() {
    for (String page : new String[] {"/phone", "/agent", "/dev"}) {
      HttpResponse<String> r = kefu.raw(page);
      assertThat(r.statusCode()).as(page).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(r.body()).contains("<meta http-equiv=\"Content-Security-Policy\"").contains("/console/console.js");
    }
    assertThat(kefu.raw("/console/console.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    for (String js : new String[] {"console", "phone", "agent", "dev"}) {
      HttpResponse<String> r = kefu.raw("/console/" + js + ".js");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.body()).as("user data is never parsed as HTML").doesNotContain(".innerHTML", ".outerHTML",
          "insertAdjacentHTML(", "document.write(");
    }
    assertThat(kefu.raw("/kefu/v1/apps").statusCode()).as("the API still needs the token").isEqualTo(401);
  }

  @Test
  void a_revalidated_asset_answers_304_not_modified() throws Exception {
    HttpResponse<String> first = kefu.raw("/console/console.css");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(kefu.url("/console/console.css"))).header("If-None-Match", etag).timeout(Duration.ofSeconds(5))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void nothing_else_on_the_classpath_is_reachable() {
    for (String path : new String[] {"/console/", "/console/nope.js", "/console/../logback.xml",
        "/console/%2e%2e/logback.xml", "/console/..%2flogback.xml", "/console/phone.html", "/logback.xml",
        "/phone/x", "/console/console.css/.."}) {
      HttpResponse<String> r = kefu.raw(path);
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(r.body()).as(path).doesNotContain("<configuration");
    }
  }

  @Test
  void the_dashboard_lists_tokens_with_their_states() {
    kefu.token();
    kefu.token();
    var tokens = kefu.get(ConsoleKefu.APP + "/tokens").path("tokens");
    assertThat(tokens).hasSize(2);
    assertThat(tokens.get(0).path("state").asText()).isEqualTo("valid");
    assertThat(tokens.get(1).path("state").asText()).isEqualTo("in_grace");
    assertThat(tokens.get(0).path("kind").asText()).isEqualTo("ordinary");
    assertThat(tokens.get(0).path("expires_in").asLong()).isEqualTo(7200);
    assertThat(tokens.get(1).path("revoked_at_ms").asLong() - tokens.get(0).path("issued_at_ms").asLong())
        .isEqualTo(300_000);
    assertThat(kefu.get("/kefu/v1/apps/wx-nope/tokens").path("errcode").asInt()).isEqualTo(40013);

    kefu.post("/kefu/v1/clock", "{\"advance_seconds\":300}");
    assertThat(kefu.get(ConsoleKefu.APP + "/tokens").path("tokens")).extracting(t -> t.path("state").asText())
        .containsExactly("valid", "superseded");
    kefu.post("/kefu/v1/clock", "{\"advance_seconds\":6900}");
    assertThat(kefu.get(ConsoleKefu.APP + "/tokens").path("tokens")).extracting(t -> t.path("state").asText())
        .containsExactly("expired", "superseded");
  }
}
