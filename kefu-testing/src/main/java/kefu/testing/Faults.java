package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import kefu.protocol.fault.FaultMark;

/**
 * kefu's fault injection ({@code /kefu/v1/faults}), for testing how your backend handles WeChat's errors, slow or
 * lost answers, and duplicated or late pushes. Faults are gone before the next test. Every call or push a fault
 * changed is marked: {@link RecordedRequest#fault()}, {@link RecordedPush#fault()}.
 */
public final class Faults {
  private final Platform platform;

  Faults(Platform platform) {
    this.platform = platform;
  }

  /** Adds the fault; kefu applies it from the next matching call or push on. A fault kefu refuses fails the test. */
  public InjectedFault inject(Fault fault) {
    return InjectedFault.of(platform.post("/faults", fault.toJson()));
  }

  /** The faults added since the test began, oldest first, with how often each applied. */
  public List<InjectedFault> list() {
    List<InjectedFault> faults = new ArrayList<>();
    platform.get("/faults").path("faults").forEach(r -> faults.add(InjectedFault.of(r)));
    return faults;
  }

  public void remove(InjectedFault fault) {
    platform.delete("/faults/" + fault.id());
  }

  /** Removes every fault. */
  public void clear() {
    platform.delete("/faults");
  }

  /** A journal entry's fault mark ({@code "fault":{"rule":7,"effect":"errcode 45009"}} or null). */
  static FaultMark mark(JsonNode fault) {
    return fault.isObject() ? new FaultMark(fault.path("rule").asLong(), fault.path("effect").asText())
        : FaultMark.NONE;
  }
}
