package kefu.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresOptionsTest {
  @Test
  void a_libpq_url_becomes_a_jdbc_url_with_the_default_schema_and_pool() {
    PostgresOptions options = PostgresOptions.fromUrl("postgresql://127.0.0.1:5432/test?user=postgres&password=pw",
        500);

    assertThat(options).isEqualTo(new PostgresOptions("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=pw",
        "kefu", 500, PostgresOptions.DEFAULT_POOL_SIZE));
  }

  @Test
  void credentials_before_the_host_become_parameters_and_a_schema_parameter_picks_the_schema() {
    PostgresOptions options = PostgresOptions.fromUrl(
        "postgres://kefu%40ops:p%2Bss+w@db.internal/kefu_prod?sslmode=require&schema=tenant_a", 10);

    assertThat(options.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.internal/kefu_prod?user=kefu%40ops&password=p%2Bss%2Bw&sslmode=require");
    assertThat(options.schema()).isEqualTo("tenant_a");
  }

  @Test
  void a_jdbc_url_is_taken_as_it_is() {
    assertThat(PostgresOptions.fromUrl("jdbc:postgresql://localhost/test?user=postgres", 10).jdbcUrl())
        .isEqualTo("jdbc:postgresql://localhost/test?user=postgres");
  }

  @Test
  void anything_but_a_postgresql_url_is_refused() {
    assertThatThrownBy(() -> PostgresOptions.fromUrl("mysql://localhost/test", 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgresql://");
    assertThatThrownBy(() -> PostgresOptions.fromUrl("postgresql:///test", 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
  }

  @Test
  void options_are_validated_with_the_property_named() {
    PostgresOptions valid = PostgresOptions.fromUrl("postgresql://localhost/test", 10);

    assertThatThrownBy(() -> valid.withSchema("Kefu; DROP")).hasMessageContaining("schema");
    assertThatThrownBy(() -> valid.withSchema("")).hasMessageContaining("schema");
    assertThatThrownBy(() -> valid.withJournalRetention(0)).hasMessageContaining("journalRetention");
    assertThatThrownBy(() -> valid.withPoolSize(1)).hasMessageContaining("poolSize");
    assertThatThrownBy(() -> new PostgresOptions("jdbc:sqlite:kefu.db", "kefu", 10, 10))
        .hasMessageContaining("jdbcUrl");
  }

  @Test
  void to_string_masks_the_password() {
    assertThat(PostgresOptions.fromUrl("postgresql://u:s3cret@localhost/test", 10).toString())
        .doesNotContain("s3cret").contains("password=****");
    assertThat(PostgresOptions.fromUrl("postgresql://localhost/test?password=s3cret&user=u", 10).toString())
        .doesNotContain("s3cret").contains("user=u");
    assertThat(PostgresOptions.mask("postgresql://u:s3cret@localhost/test"))
        .isEqualTo("postgresql://u:****@localhost/test");
  }
}
