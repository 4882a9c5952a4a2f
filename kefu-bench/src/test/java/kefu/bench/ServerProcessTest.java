package kefu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerProcessTest {
  @Test
  void the_heap_is_the_whole_heap_line_of_gc_heap_info() {
    String g1 = """
        12345:
         garbage-first heap   total reserved 6291456K, committed 260096K, used 51712K [0x0000000680000000, 0x0000000800000000)
          region size 4096K, 13 young (53248K), 2 survivors (8192K)
         Metaspace       used 21590K, committed 21888K, reserved 1114112K
        """;
    assertThat(ServerProcess.parseHeap(g1)).contains(new ServerProcess.Heap(51712L * 1024, 260096L * 1024));
    assertThat(ServerProcess.parseHeap("12345:\nCommand not found")).isEmpty();
  }
}
