package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README cannot rot: every {@code ```java} block between {@code <!-- snippet:NAME -->} and
 * {@code <!-- /snippet -->} in README.md must equal, whitespace aside, the lines between
 * {@code // snippet:NAME} and {@code // /snippet} in a source file of the repository, which the build compiles
 * (and whose tests it runs).
 */
class ReadmeSnippetsTest {
  private static final List<String> DOCS = List.of("README.md");
  private static final Pattern DOC_SNIPPET = Pattern.compile(
      "<!-- snippet:([\\w.-]+) -->\\s*```java\\n(.*?)```\\s*<!-- /snippet -->", Pattern.DOTALL);
  private static final Pattern SOURCE_START = Pattern.compile("^\\s*// snippet:([\\w.-]+)\\s*$");
  private static final Pattern SOURCE_END = Pattern.compile("^\\s*// /snippet\\s*$");

  record Snippet(String name, String file, String text) {}

  @Test void every_snippet_in_the_readme_is_code_the_build_compiles() {
    Map<String, Snippet> sources = sourceSnippets();
    List<Snippet> documented = docSnippets();
    assertThat(documented).as("no <!-- snippet:NAME --> blocks found in %s", DOCS).isNotEmpty();
    for (Snippet doc : documented) {
      Snippet source = sources.get(doc.name());
      assertThat(source).as("%s shows snippet '%s', but no source file has // snippet:%s … // /snippet",
          doc.file(), doc.name(), doc.name()).isNotNull();
      assertThat(normalized(doc.text()))
          .as("snippet '%s' in %s differs from %s; copy the code from the source into the document",
              doc.name(), doc.file(), source.file())
          .isEqualTo(normalized(source.text()));
    }
  }

  @Test void the_echo_bot_and_the_first_test_are_in_the_testing_section() {
    assertThat(docSnippets()).extracting(Snippet::name)
        .contains("testing-first-test", "echo-bot-handler", "echo-bot-test");
  }

  static String normalized(String code) {
    return code.replaceAll("\\s+", " ").trim();
  }

  static Path repository() {
    return ApiListingTest.moduleDir().toAbsolutePath().getParent();
  }

  static List<Snippet> docSnippets() {
    List<Snippet> snippets = new ArrayList<>();
    for (String doc : DOCS) {
      Path file = repository().resolve(doc);
      if (!Files.exists(file)) {
        continue;
      }
      Matcher m = DOC_SNIPPET.matcher(read(file));
      while (m.find()) {
        snippets.add(new Snippet(m.group(1), doc, m.group(2)));
      }
    }
    return snippets;
  }

  /** The {@code // snippet:NAME} regions of every Java source under a {@code src} directory, by name. */
  static Map<String, Snippet> sourceSnippets() {
    Map<String, Snippet> snippets = new LinkedHashMap<>();
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(repository(), new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
          String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
          boolean skip = !dir.equals(repository()) && (name.startsWith(".") || name.equals("target")
              || name.equals("node_modules"));
          return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          if (file.toString().endsWith(".java") && repository().relativize(file).toString().contains("src")) {
            files.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(null);
    for (Path file : files) {
      String relative = repository().relativize(file).toString();
      String name = null;
      StringBuilder text = new StringBuilder();
      for (String line : read(file).split("\n", -1)) {
        Matcher start = SOURCE_START.matcher(line);
        if (name == null && start.matches()) {
          name = start.group(1);
          text.setLength(0);
        } else if (name != null && SOURCE_END.matcher(line).matches()) {
          Snippet previous = snippets.put(name, new Snippet(name, relative, text.toString()));
          assertThat(previous).as("snippet '%s' is in both %s and %s", name,
              previous == null ? "" : previous.file(), relative).isNull();
          name = null;
        } else if (name != null) {
          text.append(line).append('\n');
        }
      }
      assertThat(name).as("%s: // snippet:%s has no // /snippet", relative, name).isNull();
    }
    return snippets;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
