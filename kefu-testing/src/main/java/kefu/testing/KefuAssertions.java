package kefu.testing;

import org.assertj.core.api.Assertions;

/**
 * AssertJ's entry point plus kefu's: one static import gives both.
 *
 * <pre>{@code
 * import static kefu.testing.KefuAssertions.assertThat;
 *
 * assertThat(kefu.api().sendText(alice, "one more")).hasErrcode(45047);
 * assertThat(alice.received()).extracting(ReceivedMessage::text).containsExactly("echo: hi");
 * }</pre>
 */
public class KefuAssertions extends Assertions {
  protected KefuAssertions() {}

  public static WxResponseAssert assertThat(WxResponse actual) {
    return new WxResponseAssert(actual);
  }
}
