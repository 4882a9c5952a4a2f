package kefu.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kefu.protocol.Json;

/**
 * The machine and JDK a run measured on, as far as the system tells ({@code /proc} on Linux; what is unknown reads as
 * "unknown"): CPU model and count, memory, the operating system, the load average when the run began (others' work on
 * a shared machine shows there), and the JDK every JVM of the run used. Immutable.
 */
record Machine(int cpus, String cpuModel, long memoryBytes, String os, String loadAverage, String jdk, String jdkVendor) {
  static Machine here() {
    return new Machine(Runtime.getRuntime().availableProcessors(),
        proc("cpuinfo").flatMap(l -> field(l, "model name")).orElse("unknown"),
        proc("meminfo").flatMap(l -> field(l, "MemTotal")).map(Machine::kilobytes).orElse(-1L),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        proc("loadavg").map(l -> String.join(" ", List.of(l.getFirst().split(" ")).subList(0, 3))).orElse("unknown"),
        Runtime.version().toString() + " (" + System.getProperty("java.vm.name") + ")",
        System.getProperty("java.vendor"));
  }

  ObjectNode json() {
    return Json.newObject()
        .put("cpus", cpus)
        .put("cpu_model", cpuModel)
        .put("memory_gib", memoryBytes < 0 ? -1 : Math.round(memoryBytes / 1024.0 / 1024 / 1024 * 10) / 10.0)
        .put("os", os)
        .put("load_average_at_start", loadAverage)
        .put("jdk", jdk)
        .put("jdk_vendor", jdkVendor);
  }

  private static Optional<List<String>> proc(String file) {
    try {
      return Optional.of(Files.readAllLines(Path.of("/proc", file)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The value of the first {@code name : value} line. */
  static Optional<String> field(List<String> lines, String name) {
    return lines.stream().filter(l -> l.startsWith(name) && l.indexOf(':') > 0)
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
  }

  private static long kilobytes(String value) {
    return Long.parseLong(value.replaceAll("[^0-9]", "")) * 1024;
  }
}
