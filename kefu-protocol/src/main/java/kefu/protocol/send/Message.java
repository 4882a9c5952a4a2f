package kefu.protocol.send;

import java.util.Objects;

/**
 * A customer-service message, in either direction: what the developer sends with {@code custom/send}, and what
 * the simulated user sends (text, image, mini-program card). Spec §3.1 and §6.3.
 */
public sealed interface Message {
  /** The wire {@code msgtype}. */
  String type();

  record Text(String content) implements Message {
    public Text {
      Objects.requireNonNull(content, "content");
    }

    @Override
    public String type() {
      return "text";
    }
  }

  record Image(String mediaId) implements Message {
    public Image {
      Objects.requireNonNull(mediaId, "mediaId");
    }

    @Override
    public String type() {
      return "image";
    }
  }

  record Link(String title, String description, String url, String thumbUrl) implements Message {
    public Link {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(thumbUrl, "thumbUrl");
    }

    @Override
    public String type() {
      return "link";
    }
  }

  /** A mini-program card; {@code appid} is optional (null when absent), see spec §3.1. */
  record MiniProgramPage(String title, String pagePath, String thumbMediaId, String appid) implements Message {
    public MiniProgramPage {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(pagePath, "pagePath");
      Objects.requireNonNull(thumbMediaId, "thumbMediaId");
    }

    @Override
    public String type() {
      return "miniprogrampage";
    }
  }
}
