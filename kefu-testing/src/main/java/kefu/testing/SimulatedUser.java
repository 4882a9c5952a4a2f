package kefu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import kefu.protocol.Json;

/**
 * A WeChat user of the app, simulated by kefu: it enters the chat, writes text, an image or a mini-program card
 * (each grants its window allowance and is pushed to your server when push is configured), and shows what it
 * received from your backend, from agents and from the platform. kefu refusing one of these fails the test.
 *
 * <p>Thread-safety: the count of messages already taken is guarded by {@code lock}.
 */
public final class SimulatedUser {
  private final Platform platform;
  private final String appid;
  private final String openid;
  private final ReentrantLock lock = new ReentrantLock();
  private int taken;

  SimulatedUser(Platform platform, String appid, String openid) {
    this.platform = platform;
    this.appid = appid;
    this.openid = openid;
  }

  public String openid() {
    return openid;
  }

  /** The user opens the mini program's customer-service chat; {@code sessionFrom} is the button's session-from. */
  public void entersChat(String sessionFrom) {
    platform.post(path("/enter"), Json.write(Json.newObject().put("session_from", sessionFrom)));
  }

  /** The user sends a text message; returns its MsgId. */
  public long says(String text) {
    ObjectNode body = Json.newObject().put("msgtype", "text");
    body.putObject("text").put("content", text);
    return send(body);
  }

  /** The user sends an image (JPEG, PNG, GIF or BMP bytes); returns its MsgId. */
  public long sendsImage(byte[] image) {
    ObjectNode body = Json.newObject().put("msgtype", "image");
    body.putObject("image").put("data_base64", Base64.getEncoder().encodeToString(image));
    return send(body);
  }

  /** The user shares a mini-program page card; returns its MsgId. */
  public long sendsCard(String title, String pagePath, String thumbMediaId) {
    ObjectNode body = Json.newObject().put("msgtype", "miniprogrampage");
    body.putObject("miniprogrampage").put("title", title).put("pagepath", pagePath)
        .put("thumb_media_id", thumbMediaId);
    return send(body);
  }

  /** Everything the user has received so far, oldest first. */
  public List<ReceivedMessage> received() {
    JsonNode messages = platform.get(path("/conversation?limit=1000")).path("messages");
    List<ReceivedMessage> received = new ArrayList<>();
    for (JsonNode m : messages) {
      ReceivedMessage r = ReceivedMessage.of(m);
      if (r != null) {
        received.add(r);
      }
    }
    return received;
  }

  /**
   * The next message the user receives that this method has not returned yet, waiting up to {@code timeout} (real
   * time) for it; fails the test when none arrives.
   */
  public ReceivedMessage takeReceived(Duration timeout) {
    lock.lock();
    try {
      Optional<ReceivedMessage> next = Poll.until(timeout, () -> {
        List<ReceivedMessage> all = received();
        return all.size() > taken ? Optional.of(all.get(taken)) : Optional.empty();
      });
      if (next.isEmpty()) {
        throw new AssertionError(openid + " received nothing new within " + timeout + "; received so far: "
            + received());
      }
      taken++;
      return next.get();
    } finally {
      lock.unlock();
    }
  }

  /** The user's send window now: open or not, sends left, when it closes. */
  public UserWindow window() {
    return UserWindow.of(platform.get(path("/window")));
  }

  private long send(ObjectNode body) {
    return platform.post(path("/messages"), Json.write(body)).path("msgid").asLong();
  }

  private String path(String rest) {
    return "/apps/" + appid + "/users/" + openid + rest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SimulatedUser u && u.appid.equals(appid) && u.openid.equals(openid);
  }

  @Override
  public int hashCode() {
    return Objects.hash(appid, openid);
  }

  @Override
  public String toString() {
    return "SimulatedUser[" + openid + "]";
  }
}
