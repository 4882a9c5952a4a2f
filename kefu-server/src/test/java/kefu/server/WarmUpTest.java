package kefu.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up the launcher records its class cache from: every request it makes succeeds, and it cleans up. */
class WarmUpTest {
  @TempDir
  Path parent;

  @Test
  void drives_the_demo_app_through_its_requests_and_leaves_nothing_behind() throws Exception {
    WarmUp.run(parent); // throws on any answer other than HTTP 200

    try (Stream<Path> left = Files.list(parent)) {
      assertThat(left).isEmpty();
    }
  }
}
