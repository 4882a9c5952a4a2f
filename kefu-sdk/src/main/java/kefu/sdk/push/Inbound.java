package kefu.sdk.push;

import java.util.Objects;
import kefu.protocol.push.PushEvent;

/**
 * What a user did, as a push told the developer's server (spec §6.3): entered the chat, or sent a text, an image or
 * a mini-program card. {@code openid} is the user (the push's {@code FromUserName}), {@code originalId} the mini
 * program's original id ({@code gh_…}, the push's {@code ToUserName}), {@code createTime} Unix seconds.
 *
 * <p>Only {@link Message}s carry a MsgId, and only they may be transferred to the agents (spec §7).
 */
public sealed interface Inbound {
  String openid();

  String originalId();

  long createTime();

  /**
   * The de-duplication key of spec §6.5, scoped to the mini program: {@code originalId:msg:MsgId} for a message,
   * {@code originalId:event:FromUserName:CreateTime} for an event. WeChat's retries carry the same body, so the
   * same key.
   */
  String dedupKey();

  /** A user message: text, image or card, with its 64-bit MsgId. */
  sealed interface Message extends Inbound {
    long msgId();

    @Override
    default String dedupKey() {
      return originalId() + ":msg:" + msgId();
    }
  }

  /** {@code user_enter_tempsession}: the user opened the chat through a contact button with {@code session-from}. */
  record UserEnteredSession(String openid, String originalId, long createTime, String sessionFrom)
      implements Inbound {
    public UserEnteredSession {
      Objects.requireNonNull(openid, "openid");
      Objects.requireNonNull(originalId, "originalId");
      Objects.requireNonNull(sessionFrom, "sessionFrom");
    }

    @Override
    public String dedupKey() {
      return originalId + ":event:" + openid + ":" + createTime;
    }
  }

  record TextMessage(String openid, String originalId, long createTime, String content, long msgId)
      implements Message {
    public TextMessage {
      Objects.requireNonNull(openid, "openid");
      Objects.requireNonNull(originalId, "originalId");
      Objects.requireNonNull(content, "content");
    }
  }

  /** {@code picUrl} is a temporary CDN link; {@code mediaId} works with {@code media/get}. */
  record ImageMessage(String openid, String originalId, long createTime, String picUrl, String mediaId, long msgId)
      implements Message {
    public ImageMessage {
      Objects.requireNonNull(openid, "openid");
      Objects.requireNonNull(originalId, "originalId");
      Objects.requireNonNull(picUrl, "picUrl");
      Objects.requireNonNull(mediaId, "mediaId");
    }
  }

  /** A mini-program card the user sent ({@code show-message-card}); the thumbnail fields may be empty. */
  record MiniProgramPageMessage(String openid, String originalId, long createTime, String title, String appId,
                                String pagePath, String thumbUrl, String thumbMediaId, long msgId)
      implements Message {
    public MiniProgramPageMessage {
      Objects.requireNonNull(openid, "openid");
      Objects.requireNonNull(originalId, "originalId");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(appId, "appId");
      Objects.requireNonNull(pagePath, "pagePath");
      Objects.requireNonNull(thumbUrl, "thumbUrl");
      Objects.requireNonNull(thumbMediaId, "thumbMediaId");
    }
  }

  /** The SDK's view of a protocol push event. */
  static Inbound of(PushEvent event) {
    if (event instanceof PushEvent.UserEnteredSession) {
      PushEvent.UserEnteredSession e = (PushEvent.UserEnteredSession) event;
      return new UserEnteredSession(e.fromUser(), e.toUser(), e.createTime(), e.sessionFrom());
    }
    if (event instanceof PushEvent.Text) {
      PushEvent.Text t = (PushEvent.Text) event;
      return new TextMessage(t.fromUser(), t.toUser(), t.createTime(), t.content(), t.msgId());
    }
    if (event instanceof PushEvent.Image) {
      PushEvent.Image i = (PushEvent.Image) event;
      return new ImageMessage(i.fromUser(), i.toUser(), i.createTime(), i.picUrl(), i.mediaId(), i.msgId());
    }
    PushEvent.MiniProgramPage p = (PushEvent.MiniProgramPage) event;
    return new MiniProgramPageMessage(p.fromUser(), p.toUser(), p.createTime(), p.title(), p.appId(), p.pagePath(),
        p.thumbUrl(), p.thumbMediaId(), p.msgId());
  }
}
