package kefu.protocol.push;

import java.util.Objects;

/**
 * What the platform pushes to the developer's server (spec §6.3): the user entered the chat, or sent a text, an
 * image or a mini-program card. {@code toUser} is the mini program's original id, {@code fromUser} the user's
 * openid, {@code createTime} Unix seconds. Events carry no MsgId.
 */
public sealed interface PushEvent {
  String toUser();

  String fromUser();

  long createTime();

  /** The wire {@code MsgType}. */
  String msgType();

  /** The MsgId, 0 for events. */
  long msgId();

  record UserEnteredSession(String toUser, String fromUser, long createTime, String sessionFrom)
      implements PushEvent {
    public UserEnteredSession {
      Objects.requireNonNull(toUser, "toUser");
      Objects.requireNonNull(fromUser, "fromUser");
      Objects.requireNonNull(sessionFrom, "sessionFrom");
    }

    @Override
    public String msgType() {
      return "event";
    }

    @Override
    public long msgId() {
      return 0;
    }
  }

  record Text(String toUser, String fromUser, long createTime, String content, long msgId) implements PushEvent {
    public Text {
      Objects.requireNonNull(toUser, "toUser");
      Objects.requireNonNull(fromUser, "fromUser");
      Objects.requireNonNull(content, "content");
    }

    @Override
    public String msgType() {
      return "text";
    }
  }

  record Image(String toUser, String fromUser, long createTime, String picUrl, String mediaId, long msgId)
      implements PushEvent {
    public Image {
      Objects.requireNonNull(toUser, "toUser");
      Objects.requireNonNull(fromUser, "fromUser");
      Objects.requireNonNull(picUrl, "picUrl");
      Objects.requireNonNull(mediaId, "mediaId");
    }

    @Override
    public String msgType() {
      return "image";
    }
  }

  record MiniProgramPage(String toUser, String fromUser, long createTime, String title, String appId,
                         String pagePath, String thumbUrl, String thumbMediaId, long msgId) implements PushEvent {
    public MiniProgramPage {
      Objects.requireNonNull(toUser, "toUser");
      Objects.requireNonNull(fromUser, "fromUser");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(appId, "appId");
      Objects.requireNonNull(pagePath, "pagePath");
      Objects.requireNonNull(thumbUrl, "thumbUrl");
      Objects.requireNonNull(thumbMediaId, "thumbMediaId");
    }

    @Override
    public String msgType() {
      return "miniprogrampage";
    }
  }
}
