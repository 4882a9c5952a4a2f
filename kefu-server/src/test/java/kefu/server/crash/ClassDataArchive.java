package kefu.server.crash;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import kefu.server.KefuProcesses;

/**
 * The harness starts kefu twenty-odd times, so its children run on a class-data archive (AppCDS) trained on one start
 * and clean stop, which about halves each start. AppCDS takes jars only: the class directories of the test classpath
 * are jarred first, one jar each, in classpath order. When the training leaves no archive (its SIGTERM came before
 * kefu's signal handler), the children start without one.
 */
final class ClassDataArchive {
  /** A quicker start (C1 only) and a modest heap: the machine is shared. */
  private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
      "--enable-native-access=ALL-UNNAMED");

  private ClassDataArchive() {}

  /** Child processes for the harness, printing into {@code dir}, on the trained archive when there is one. */
  static KefuProcesses processes(Path dir) throws Exception {
    String classPath = jarred(Files.createDirectories(dir.resolve("classpath")));
    Path archive = dir.resolve("kefu.jsa");
    try (KefuProcesses training = new KefuProcesses(dir, classPath,
        with(JVM_OPTIONS, "-XX:ArchiveClassesAtExit=" + archive))) {
      Process p = training.start("--data", dir.resolve("training").toString()).process;
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
    boolean trained = Files.isRegularFile(archive);
    System.out.println("class-data archive for the children: " + (trained ? archive : "none"));
    return new KefuProcesses(dir, classPath,
        trained ? with(JVM_OPTIONS, "-XX:SharedArchiveFile=" + archive) : JVM_OPTIONS);
  }

  private static List<String> with(List<String> options, String option) {
    List<String> all = new ArrayList<>(options);
    all.add(option);
    return all;
  }

  /** The test classpath with each directory replaced by a jar of it. */
  private static String jarred(Path into) throws IOException {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path jar = into.resolve(entries.size() + ".jar");
        jar(path, jar);
        entries.add(jar.toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Directories get entries too: Flyway finds its migrations by looking the directory up. */
  private static void jar(Path dir, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
         Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(p -> !p.equals(dir))::iterator) {
        String name = dir.relativize(p).toString().replace(File.separatorChar, '/');
        boolean directory = Files.isDirectory(p);
        out.putNextEntry(new JarEntry(directory ? name + "/" : name));
        if (!directory) {
          Files.copy(p, out);
        }
        out.closeEntry();
      }
    }
  }
}
