package kefu.server.push;

import java.net.URI;
import kefu.protocol.push.PushEvent;
import kefu.protocol.send.Message;
import kefu.store.App;
import kefu.store.StoredMessage;

/**
 * The push events of what a simulated user does (spec §6.3). Image URLs ({@code PicUrl}, {@code ThumbUrl}) point at
 * kefu's own public media path, {@value #MEDIA_PATH}{media_id}, on the address the user reached kefu through.
 */
public final class PushEvents {
  public static final String MEDIA_PATH = "/kefu/media/";

  private PushEvents() {}

  public static PushEvent entered(App app, String openid, long createTime, String sessionFrom) {
    return new PushEvent.UserEnteredSession(app.originalId(), openid, createTime, sessionFrom);
  }

  public static PushEvent of(App app, StoredMessage m, URI base) {
    long createTime = m.createdAt().getEpochSecond();
    Message msg = m.message();
    if (msg instanceof Message.Text t) {
      return new PushEvent.Text(app.originalId(), m.openid(), createTime, t.content(), m.msgId());
    }
    if (msg instanceof Message.Image i) {
      return new PushEvent.Image(app.originalId(), m.openid(), createTime, mediaUrl(base, i.mediaId()), i.mediaId(),
          m.msgId());
    }
    if (msg instanceof Message.MiniProgramPage p) {
      return new PushEvent.MiniProgramPage(app.originalId(), m.openid(), createTime, p.title(), app.appid(),
          p.pagePath(), mediaUrl(base, p.thumbMediaId()), p.thumbMediaId(), m.msgId());
    }
    throw new IllegalArgumentException("a user cannot send " + msg.type());
  }

  static String mediaUrl(URI base, String mediaId) {
    return base.getScheme() + "://" + base.getRawAuthority() + MEDIA_PATH + mediaId;
  }
}
