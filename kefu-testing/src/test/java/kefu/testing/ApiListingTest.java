package kefu.testing;

import static kefu.testing.KefuAssertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API of kefu-testing is listed in the checked-in {@code api/kefu-testing.txt}, as OkHttp lists
 * MockWebServer's: a change to the API shows up in review as a change to that page. This test fails when the page
 * and the compiled classes differ. After an intended change, regenerate it:
 * <pre>
 *   mvn -o -pl kefu-testing verify -Dtest=ApiListingTest -Dkefu.api.update=true
 * </pre>
 */
class ApiListingTest {
  private static final String PACKAGE = "kefu.testing";

  @Test void the_checked_in_listing_matches_the_public_api() throws Exception {
    Path file = moduleDir().resolve("api/kefu-testing.txt");
    String actual = listing();
    if (Boolean.getBoolean("kefu.api.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file).as("%s is missing; create it with -Dkefu.api.update=true", file).exists();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as("the public API of kefu-testing changed; if that is intended, regenerate api/kefu-testing.txt with%n"
            + "  mvn -o -pl kefu-testing verify -Dtest=ApiListingTest -Dkefu.api.update=true%nand commit it")
        .isEqualTo(actual);
  }

  @Test void the_listing_names_what_users_call() throws Exception {
    assertThat(listing())
        .contains("public @interface kefu.testing.KefuTest")
        .contains("  public abstract kefu.testing.TestClock clock()")
        .contains("  public static kefu.testing.WxResponseAssert assertThat(kefu.testing.WxResponse)")
        .doesNotContain("RunningKefu")
        .doesNotContain("Platform");
  }

  static Path moduleDir() {
    String basedir = System.getProperty("basedir");
    return Path.of(basedir != null ? basedir : System.getProperty("user.dir"));
  }

  /** Every public type of the package, with its public and protected members, one per line, sorted. */
  static String listing() throws IOException, URISyntaxException {
    Path classes = Path.of(KefuTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(PACKAGE.replace('.', '/'));
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        String name = f.getFileName().toString().replace(".class", "");
        try {
          Class<?> c = Class.forName(PACKAGE + "." + name, false, KefuTest.class.getClassLoader());
          if (isExported(c)) {
            types.add(c);
          }
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    types.sort(Comparator.comparing(Class::getName));
    StringBuilder out = new StringBuilder();
    for (Class<?> c : types) {
      out.append(header(c)).append('\n');
      members(c).forEach(m -> out.append("  ").append(m).append('\n'));
      out.append('\n');
    }
    return out.toString();
  }

  private static boolean isExported(Class<?> c) {
    for (Class<?> t = c; t != null; t = t.getDeclaringClass()) {
      if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()) {
        return false;
      }
    }
    return true;
  }

  private static String header(Class<?> c) {
    int mods = c.getModifiers() & ~Modifier.INTERFACE & ~Modifier.ABSTRACT;
    if (c.isMemberClass() && (c.isInterface() || c.isEnum() || c.isRecord())) {
      mods &= ~Modifier.STATIC;
    }
    if (c.isEnum() || c.isRecord()) {
      mods &= ~Modifier.FINAL;
    }
    if (!c.isInterface() && Modifier.isAbstract(c.getModifiers())) {
      mods |= Modifier.ABSTRACT;
    }
    String kind = c.isAnnotation() ? "@interface" : c.isInterface() ? "interface" : c.isEnum() ? "enum"
        : c.isRecord() ? "record" : "class";
    StringBuilder h = new StringBuilder(Modifier.toString(mods)).append(' ').append(kind).append(' ')
        .append(c.getName());
    Type superclass = c.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && !c.isEnum() && !c.isRecord()) {
      h.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = c.isAnnotation() ? new Type[0] : c.getGenericInterfaces();
    if (interfaces.length > 0) {
      h.append(c.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    return h.toString();
  }

  /** Fields, then constructors, then methods; each group by name. */
  private record Member(int group, String name, String line) {}

  private static List<String> members(Class<?> c) {
    List<Member> members = new ArrayList<>();
    for (Field f : c.getDeclaredFields()) {
      if (visible(f.getModifiers()) && !f.isSynthetic()) {
        members.add(new Member(0, f.getName(),
            Modifier.toString(f.getModifiers()) + " " + f.getGenericType().getTypeName() + " " + f.getName()));
      }
    }
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (visible(k.getModifiers()) && !k.isSynthetic()) {
        members.add(new Member(1, "", Modifier.toString(k.getModifiers()) + " " + c.getName() + parameters(k)));
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
        int mods = m.getModifiers() & ~Modifier.TRANSIENT & ~Modifier.VOLATILE;
        String line = Modifier.toString(mods) + " " + typeParameters(m) + m.getGenericReturnType().getTypeName()
            + " " + m.getName() + parameters(m);
        if (m.getDefaultValue() != null) {
          Object value = m.getDefaultValue();
          line += " default " + (value instanceof String text ? '"' + text + '"' : value);
        }
        members.add(new Member(2, m.getName(), line));
      }
    }
    members.sort(Comparator.comparingInt(Member::group).thenComparing(Member::name).thenComparing(Member::line));
    return members.stream().map(Member::line).toList();
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String typeParameters(Method m) {
    if (m.getTypeParameters().length == 0) {
      return "";
    }
    return "<" + Arrays.stream(m.getTypeParameters()).map(t -> t.getName()).collect(Collectors.joining(", ")) + "> ";
  }

  private static String parameters(Executable e) {
    String params = Arrays.stream(e.getGenericParameterTypes()).map(Type::getTypeName)
        .collect(Collectors.joining(", "));
    if (e.isVarArgs()) {
      params = params.substring(0, params.length() - 2) + "...";
    }
    return "(" + params + ")";
  }

}
