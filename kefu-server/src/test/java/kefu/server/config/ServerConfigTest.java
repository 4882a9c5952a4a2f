package kefu.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kefu.server.http.ClientLimits;
import kefu.protocol.limit.ApiLimit;
import kefu.protocol.limit.ApiLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir
  Path dir;

  Path yaml(String text) throws Exception {
    return Files.writeString(dir.resolve("kefu.yaml"), text);
  }

  @Test
  void a_config_file_sets_every_property_and_its_apps_replace_the_demo_app() throws Exception {
    ServerConfig c = ServerConfig.load(yaml("""
        bind: 0.0.0.0
        port: 9090
        data: /var/lib/kefu
        admin_token: change-me-please
        text_limit_bytes: 4096
        journal_retention: 500
        apps:
          - appid: wx0123456789abcdef
            secret: topsecret
            rules: current
            customer_service: false
          - appid: wxbench
            secret: s
            rules: {name: bench, enter: {count: 1, seconds: 60}, message: {count: 1000000, seconds: 172800}}
            push: {url: "https://dev.example.com/wx", token: kefutoken, format: xml, mode: secure,
                   encoding_aes_key: abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG}
        push_timeout_ms: 2000
        push_attempts: 4
        push_backoff_ms: 250
        agent_idle_seconds: 600
        agent_window_seconds: 3600
        max_connections: 50
        idle_timeout_seconds: 30
        read_timeout_seconds: 5
        max_body_bytes: 33554432
        """)).validate();
    assertThat(c.bind()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9090);
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/kefu"));
    assertThat(c.textLimitBytes()).isEqualTo(4096);
    assertThat(c.journalRetention()).isEqualTo(500);
    assertThat(c.apps()).extracting(a -> a.appid()).containsExactly("wx0123456789abcdef", "wxbench");
    assertThat(c.apps().get(0).secret()).isEqualTo("topsecret");
    assertThat(c.apps().get(0).app().secret().matches("topsecret")).isTrue();
    assertThat(c.apps().get(0).app().rules().name()).isEqualTo("current");
    assertThat(c.apps().get(0).app().customerServiceAllowed()).isFalse();
    assertThat(c.apps().get(1).app().rules().onMessage().count()).isEqualTo(1_000_000);
    assertThat(c.apps().get(1).app().push().url()).isEqualTo("https://dev.example.com/wx");
    assertThat(c.apps().get(1).app().push().mode().wireName()).isEqualTo("secure");
    assertThat(c.apps().get(0).app().push().active()).isFalse();
    assertThat(c.delivery().timeout().toMillis()).isEqualTo(2000);
    assertThat(c.delivery().attempts()).isEqualTo(4);
    assertThat(c.delivery().backoff().toMillis()).isEqualTo(250);
    assertThat(c.handOff().idleClose().toSeconds()).isEqualTo(600);
    assertThat(c.handOff().agentWindow().toSeconds()).isEqualTo(3600);
    assertThat(c.limits()).isEqualTo(new ClientLimits(50, Duration.ofSeconds(30), Duration.ofSeconds(5), 32 << 20));
  }

  @Test
  void secrets_and_tokens_are_masked_in_tostring() throws Exception {
    ServerConfig c = ServerConfig.load(yaml("admin_token: change-me-please\napps:\n  - {appid: wxa, secret: topsecret,"
        + " push: {url: 'http://x', token: pushtoken9, encoding_aes_key: abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG}}\n"));
    assertThat(c.toString()).doesNotContain("change-me-please").doesNotContain("topsecret")
        .doesNotContain("pushtoken9").doesNotContain("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
        .doesNotContain(c.apps().getFirst().app().secret().encoded()).contains("****");
  }

  @Test
  void an_apps_api_limits_are_switched_on_in_the_config_file() throws Exception {
    ServerConfig c = ServerConfig.load(yaml("""
        apps:
          - {appid: wxa, secret: s, limits: true}
          - {appid: wxb, secret: s, limits: {/cgi-bin/token: {daily: 5, per_minute: 1}}}
          - {appid: wxc, secret: s}
        """));
    assertThat(c.apps().get(0).app().limits()).isEqualTo(ApiLimits.wechat());
    assertThat(c.apps().get(1).app().limits().of("/cgi-bin/token")).isEqualTo(new ApiLimit(5, 1));
    assertThat(c.apps().get(2).app().limits()).as("off unless switched on").isEqualTo(ApiLimits.OFF);
    assertThatThrownBy(() -> ServerConfig.load(yaml("apps:\n  - {appid: wxa, secret: s, limits: {/x: null}}\n")))
        .hasMessageContaining("apps[0]").hasMessageContaining("limits./x: not a limited API path");
  }

  @Test
  void mistakes_name_the_property() throws Exception {
    assertThatThrownBy(() -> ServerConfig.load(yaml("prot: 8080\n"))).hasMessageContaining("unknown property 'prot'");
    assertThatThrownBy(() -> ServerConfig.load(yaml("port: eighty\n"))).hasMessageContaining("port must be an integer");
    assertThatThrownBy(() -> ServerConfig.load(yaml("apps:\n  - {appid: wxa}\n")))
        .hasMessageContaining("apps[0]").hasMessageContaining("secret");
    assertThatThrownBy(() -> ServerConfig.load(yaml("port: 70000\n")).validate()).hasMessageContaining("port");
    assertThatThrownBy(() -> ServerConfig.load(dir.resolve("missing.yaml"))).hasMessageContaining("cannot read");
    assertThatThrownBy(() -> ServerConfig.load(yaml("push_attempts: 0\n"))).hasMessageContaining("push_attempts");
    assertThatThrownBy(() -> ServerConfig.load(yaml("max_connections: 0\n"))).hasMessageContaining("max_connections");
    assertThatThrownBy(() -> ServerConfig.load(yaml("idle_timeout_seconds: 0\n")))
        .hasMessageContaining("idle_timeout_seconds");
    assertThatThrownBy(() -> ServerConfig.load(yaml("read_timeout_seconds: -1\n")))
        .hasMessageContaining("read_timeout_seconds");
    assertThatThrownBy(() -> ServerConfig.load(yaml("max_body_bytes: 10\n"))).hasMessageContaining("max_body_bytes");
    assertThatThrownBy(() -> ServerConfig.load(yaml("apps:\n  - {appid: wxa, secret: s, push: {url: ftp://x, token: abc}}\n")))
        .hasMessageContaining("apps[0]").hasMessageContaining("push.url");
  }
}
