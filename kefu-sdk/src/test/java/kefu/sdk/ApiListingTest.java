package kefu.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of kefu-sdk, every public type under {@code kefu.sdk} (push included) with its public and
 * protected members, is listed in the checked-in {@code kefu-sdk/api/kefu-sdk.txt}. This test lists it again by
 * reflection and fails when the two differ, so that an API change is a reviewed change of that file too.
 */
class ApiListingTest {
  static final String UPDATE = "kefu.api.update";
  private static final String HEADER = """
      # The public API of kefu-sdk: every public type under kefu.sdk and its public and protected members.
      # Checked by ApiListingTest. After an intended change, regenerate and review the diff:
      #   mvn -o -pl kefu-sdk verify -Dtest=ApiListingTest -Dkefu.api.update=true
      """;

  @Test
  void the_checked_in_listing_is_the_public_api() throws Exception {
    Path classes = Path.of(KefuClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path file = classes.getParent().getParent().resolve("api").resolve("kefu-sdk.txt");
    String actual = HEADER + listing(classes);
    if (Boolean.getBoolean(UPDATE)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    String expected = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    assertThat(actual)
        .as("kefu-sdk's public API differs from " + file + ". If the change is intended, regenerate the file with "
            + "`mvn -o -pl kefu-sdk verify -Dtest=ApiListingTest -D" + UPDATE + "=true` and commit it with the change")
        .isEqualTo(expected);
  }

  static String listing(Path classes) throws IOException, URISyntaxException {
    List<Class<?>> types = new ArrayList<>();
    Path root = classes.resolve("kefu").resolve("sdk");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        String name = classes.relativize(p).toString().replace(p.getFileSystem().getSeparator(), ".");
        name = name.substring(0, name.length() - ".class".length());
        Class<?> c;
        try {
          c = Class.forName(name, false, ApiListingTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          throw new IllegalStateException("cannot load " + name, e);
        }
        if (isExported(c)) {
          types.add(c);
        }
      }
    }
    types.sort((a, b) -> a.getName().compareTo(b.getName()));
    StringBuilder out = new StringBuilder();
    for (Class<?> c : types) {
      out.append('\n').append(header(c)).append('\n');
      List<String> members = new ArrayList<>();
      for (Field f : c.getDeclaredFields()) {
        if (visible(f) && !f.isSynthetic()) {
          members.add(f.toGenericString());
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (visible(k) && !k.isSynthetic()) {
          members.add(k.toGenericString());
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
          members.add(m.toGenericString());
        }
      }
      // "public void kefu.sdk.KefuClient.typing(java.lang.String)" reads as "public void typing(java.lang.String)"
      String own = " " + c.getName() + ".";
      members.stream().map(m -> m.replace(own, " ")).sorted()
          .forEach(m -> out.append("  ").append(m).append('\n'));
    }
    return out.toString();
  }

  /** Public, and so are the types it is nested in; not anonymous, local or synthetic. */
  private static boolean isExported(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass() || k.isSynthetic()) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(Member m) {
    return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
  }

  private static String header(Class<?> c) {
    String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
        : c.isRecord() ? "record" : "class";
    int mods = c.getModifiers() & ~Modifier.INTERFACE;
    if (c.isInterface() || c.isEnum() || c.isRecord()) {
      mods &= ~(Modifier.ABSTRACT | Modifier.FINAL | Modifier.STATIC);
    }
    StringBuilder s = new StringBuilder(Modifier.toString(mods));
    if (c.isSealed()) {
      s.append(" sealed");
    }
    s.append(s.isEmpty() ? "" : " ").append(kind).append(' ').append(c.getName());
    if (c.getGenericSuperclass() != null && c.getSuperclass() != Object.class && !c.isEnum() && !c.isRecord()) {
      s.append(" extends ").append(c.getGenericSuperclass().getTypeName());
    }
    var interfaces = c.getGenericInterfaces();
    if (interfaces.length > 0) {
      s.append(c.isInterface() ? " extends " : " implements ");
      for (int i = 0; i < interfaces.length; i++) {
        s.append(i == 0 ? "" : ", ").append(interfaces[i].getTypeName());
      }
    }
    return s.toString();
  }
}
