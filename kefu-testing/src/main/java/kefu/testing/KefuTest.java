package kefu.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the class's tests against one in-process kefu, reset before each test, and passes it to test methods
 * (and {@code @BeforeEach} methods) declaring a {@link Kefu} parameter. For more options, register a
 * {@link KefuExtension} built with {@link KefuExtension#builder()} instead.
 *
 * <pre>{@code
 * @KefuTest
 * class MyBackendTest {
 *   @Test void replies(Kefu kefu) { … }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KefuExtension.class)
public @interface KefuTest {
  /** The app's window rules: {@code seed} (the default, the original document) or {@code current}. */
  String rules() default "seed";
}
