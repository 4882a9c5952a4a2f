package kefu.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in a JVM of its own, started by the bench with the same JDK and the same JVM options as every
 * other server it compares, on a loopback port the bench picked, its output going to a log file. Started means
 * healthy: {@link #start} returns once a GET of the server's health path answers HTTP 200, and notes how long that
 * took from just before the process was spawned. {@link #close()} asks it to stop (SIGTERM) and kills it if it has not
 * stopped within {@value #STOP_SECONDS} s.
 *
 * <p>Not thread-safe; the bench's main thread starts, measures and stops it.
 */
final class ServerProcess implements AutoCloseable {
  private static final long STOP_SECONDS = 20;
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final Pattern HEAP = Pattern.compile("committed (\\d+)K, used (\\d+)K");

  /**
   * What to run after {@code java} and the JVM options: {@code -jar FILE args…} or {@code -cp PATH MAIN args…}, and
   * the path that answers HTTP 200 once the server is ready.
   */
  record Command(String name, List<String> program, String healthPath) {
    Command {
      program = List.copyOf(program);
    }

    static Command jar(String name, Path jar, String healthPath, List<String> args) {
      List<String> p = new ArrayList<>(List.of("-jar", jar.toString()));
      p.addAll(args);
      return new Command(name, p, healthPath);
    }

    static Command main(String name, String classPath, String mainClass, String healthPath, List<String> args) {
      List<String> p = new ArrayList<>(List.of("-cp", classPath, mainClass));
      p.addAll(args);
      return new Command(name, p, healthPath);
    }
  }

  /** The heap as {@code jcmd PID GC.heap_info} reports it, in bytes. */
  record Heap(long used, long committed) {}

  private final String name;
  private final Process process;
  private final URI base;
  private final Path log;
  private final long startupNanos;

  private ServerProcess(String name, Process process, URI base, Path log, long startupNanos) {
    this.name = name;
    this.process = process;
    this.base = base;
    this.log = log;
    this.startupNanos = startupNanos;
  }

  /**
   * Spawns {@code java jvmOptions command…} (the command's arguments may use {@code {port}}, replaced by the port
   * picked here) and waits until it is healthy; throws, with the end of its log, if it exits first or is not
   * healthy within {@code timeout}.
   */
  static ServerProcess start(Command command, List<String> jvmOptions, Path logDir, Duration timeout)
      throws IOException, InterruptedException {
    int port = freePort();
    List<String> argv = new ArrayList<>();
    argv.add(javaBinary().toString());
    argv.addAll(jvmOptions);
    command.program().forEach(a -> argv.add(a.replace("{port}", Integer.toString(port))));
    Files.createDirectories(logDir);
    Path log = Files.createTempFile(logDir, command.name() + "-", ".log");
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpRequest health = HttpRequest.newBuilder(base.resolve(command.healthPath()))
        .timeout(Duration.ofSeconds(2)).GET().build();
    long spawned = System.nanoTime();
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    long deadline = spawned + timeout.toNanos();
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build()) {
      while (true) {
        if (answers(http, health)) {
          return new ServerProcess(command.name(), process, base, log, System.nanoTime() - spawned);
        }
        if (!process.isAlive() || System.nanoTime() - deadline > 0) {
          String why = process.isAlive() ? "was not healthy within " + timeout.toSeconds() + " s"
              : "exited with status " + process.exitValue();
          process.destroyForcibly();
          throw new IllegalStateException(command.name() + " " + why + "; " + String.join(" ", argv)
              + "\nits log " + log + " ends with:\n" + tail(log));
        }
        LockSupport.parkNanos(POLL_NANOS);
      }
    }
  }

  private static boolean answers(HttpClient http, HttpRequest health) throws InterruptedException {
    try {
      return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** A port nobody listens on now, on 127.0.0.1 (the server binds it a moment later). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The {@code java} of the JDK running the bench: every server runs on the same JDK. */
  static Path javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  String name() {
    return name;
  }

  URI base() {
    return base;
  }

  long pid() {
    return process.pid();
  }

  /** From just before the process was spawned to the first HTTP 200 from its health path. */
  long startupNanos() {
    return startupNanos;
  }

  /** The process's resident set size ({@code VmRSS} of {@code /proc/PID/status}), if the system tells. */
  Optional<Long> rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The Java heap, from {@code jcmd PID GC.heap_info} of the same JDK, if jcmd is there and answers. */
  Optional<Heap> heap() throws InterruptedException {
    Path jcmd = javaBinary().resolveSibling("jcmd");
    if (!Files.isExecutable(jcmd)) {
      return Optional.empty();
    }
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.heap_info").redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      return parseHeap(out);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The first {@code committed …K, used …K} of a {@code GC.heap_info} report: the whole heap's. */
  static Optional<Heap> parseHeap(String heapInfo) {
    Matcher m = HEAP.matcher(heapInfo);
    return m.find() ? Optional.of(new Heap(Long.parseLong(m.group(2)) * 1024, Long.parseLong(m.group(1)) * 1024))
        : Optional.empty();
  }

  /** The last lines of the server's log. */
  String logTail() {
    return tail(log);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
        System.err.printf("bench: %s did not stop within %d s of SIGTERM; killing it%n", name, STOP_SECONDS);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
