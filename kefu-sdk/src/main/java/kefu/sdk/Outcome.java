package kefu.sdk;

/**
 * What one step of a call came to: a value, or a {@link Failure}. Inside the SDK errors travel as values; the
 * public methods turn a failure into a {@link WxException}, once.
 */
sealed interface Outcome<T> {
  record Ok<T>(T value) implements Outcome<T> {}

  record Failed<T>(Failure failure) implements Outcome<T> {}

  static <T> Outcome<T> ok(T value) {
    return new Ok<>(value);
  }

  static <T> Outcome<T> failed(Failure failure) {
    return new Failed<>(failure);
  }

  /** The same failure, typed for another step. */
  default <U> Outcome<U> asFailure() {
    if (this instanceof Failed<T> f) {
      return new Failed<>(f.failure());
    }
    throw new IllegalStateException("not a failure: " + this);
  }

  /** The value, or the failure thrown as a {@link WxException}. */
  default T orThrow() {
    if (this instanceof Ok<T> ok) {
      return ok.value();
    }
    throw ((Failed<T>) this).failure().toException();
  }
}
