package kefu.protocol.fault;

import java.time.Duration;
import java.util.Objects;
import kefu.protocol.WxError;

/**
 * What a {@link FaultRule} does to what it matches. The first three act on WeChat-API calls, the last two on pushes
 * to the developer's server ({@link #onPushes()}).
 */
public sealed interface FaultEffect {
  /** Whether the effect acts on pushes (else on WeChat-API calls). */
  boolean onPushes();

  /** The effect in a few words, as the journals mark it: {@code errcode 45009}, {@code latency 2000 ms}. */
  String describe();

  /**
   * The call is answered {@code {"errcode":errcode,"errmsg":"… rid: …"}} without running, so it changes nothing.
   * {@code errmsg} is the text before the rid; null means WeChat's for the code ({@link #errmsgText()}).
   */
  record Errcode(int errcode, String errmsg) implements FaultEffect {
    public Errcode {
      if (errcode == 0) {
        throw new IllegalArgumentException("an injected errcode is never 0");
      }
    }

    /** The errmsg before the rid: the given text, else WeChat's for the code, else {@link WxError#UNKNOWN}'s. */
    public String errmsgText() {
      return errmsg != null ? errmsg : WxError.forCode(errcode).message();
    }

    @Override
    public boolean onPushes() {
      return false;
    }

    @Override
    public String describe() {
      return "errcode " + errcode;
    }
  }

  /** The call runs at once; its answer is held back {@code latency} (real time, not kefu's clock). */
  record Latency(Duration latency) implements FaultEffect {
    public Latency {
      requirePositive(latency, "latency");
    }

    @Override
    public boolean onPushes() {
      return false;
    }

    @Override
    public String describe() {
      return "latency " + latency.toMillis() + " ms";
    }
  }

  /**
   * The connection is closed without an answer: before the call runs (nothing changes), or, {@code afterCall}, once
   * it ran (its effects stay: the client cannot tell whether a send went through).
   */
  record Drop(boolean afterCall) implements FaultEffect {
    @Override
    public boolean onPushes() {
      return false;
    }

    @Override
    public String describe() {
      return afterCall ? "drop after the call" : "drop";
    }
  }

  /** The push goes out twice in a row, the same timestamp, nonce, body and MsgId; the first answer decides. */
  record DuplicatePush() implements FaultEffect {
    @Override
    public boolean onPushes() {
      return true;
    }

    @Override
    public String describe() {
      return "duplicate push";
    }
  }

  /** The push's first attempt waits {@code delay} on kefu's clock (so moving the clock delivers it). */
  record DelayPush(Duration delay) implements FaultEffect {
    public DelayPush {
      requirePositive(delay, "delay");
    }

    @Override
    public boolean onPushes() {
      return true;
    }

    @Override
    public String describe() {
      return "delay push " + delay.toMillis() + " ms";
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }
}
