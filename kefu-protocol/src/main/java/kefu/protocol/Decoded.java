package kefu.protocol;

/** What a codec makes of bytes: a value, or the WeChat error that the bytes deserve. Codecs never throw. */
public sealed interface Decoded<T> {
  record Ok<T>(T value) implements Decoded<T> {}

  record Bad<T>(WxError error) implements Decoded<T> {}

  static <T> Decoded<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Decoded<T> bad(WxError error) {
    return new Bad<>(error);
  }
}
